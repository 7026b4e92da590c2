"""The lane taxonomy: which lanes exist, which run alone, and the trees they own."""

from __future__ import annotations

from collections.abc import Mapping

from dos.settings import SchemaProblem, check_keys, expect_str, expect_str_list, expect_table
from dos.structs import field, struct

TYPE_CHECKING = False  # typing costs start-up time; annotations are strings
if TYPE_CHECKING:
    from typing import Any

__all__ = ["LaneTaxonomy", "parse_lanes"]


def _freeze_trees(trees: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    return {str(lane): tuple(globs) for lane, globs in trees.items()}


@struct
class LaneTaxonomy:
    """Concurrency policy as data.

    ``concurrent`` lanes may run side by side when their trees are disjoint;
    ``exclusive`` lanes run alone; ``autopick`` is the order a bare request walks;
    ``aliases`` route a keyword to a declared lane.
    """

    concurrent: tuple[str, ...] = ()
    exclusive: tuple[str, ...] = ()
    autopick: tuple[str, ...] = ()
    trees: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    aliases: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "concurrent", tuple(self.concurrent))
        object.__setattr__(self, "exclusive", tuple(self.exclusive))
        object.__setattr__(self, "autopick", tuple(self.autopick))
        object.__setattr__(self, "trees", _freeze_trees(self.trees))
        object.__setattr__(self, "aliases", dict(self.aliases))

    def declared(self) -> tuple[str, ...]:
        """Every declared lane name, concurrent first, without duplicates."""
        seen: dict[str, None] = {}
        for lane in (*self.concurrent, *self.exclusive):
            seen.setdefault(lane, None)
        return tuple(seen)

    def resolve(self, name: str) -> str | None:
        """The declared lane ``name`` means (directly or by alias), case-insensitively."""
        folded = name.strip().casefold()
        for lane in self.declared():
            if lane.casefold() == folded:
                return lane
        for keyword, target in self.aliases.items():
            if keyword.casefold() == folded:
                return self.resolve(target) if target.casefold() != folded else None
        return None

    def tree_for(self, lane: str) -> tuple[str, ...]:
        """The globs a lane owns (``()`` for an unknown lane)."""
        canonical = self.resolve(lane) or lane
        return self.trees.get(canonical, ())

    def is_exclusive(self, lane: str) -> bool:
        return (self.resolve(lane) or lane) in self.exclusive

    def is_concurrent(self, lane: str) -> bool:
        return (self.resolve(lane) or lane) in self.concurrent


_LANE_KEYS = ("concurrent", "exclusive", "autopick", "trees", "aliases")


def parse_lanes(raw: Mapping[str, Any]) -> LaneTaxonomy:
    """Build a taxonomy from a ``[lanes]`` table, checking every value."""
    check_keys("lanes", raw, _LANE_KEYS)
    lists = {key: expect_str_list("lanes", key, raw.get(key, [])) for key in _LANE_KEYS[:3]}
    trees = {
        lane: expect_str_list("lanes.trees", lane, globs)
        for lane, globs in expect_table("lanes", "trees", raw.get("trees", {})).items()
    }
    aliases = {
        keyword: expect_str("lanes.aliases", keyword, target)
        for keyword, target in expect_table("lanes", "aliases", raw.get("aliases", {})).items()
    }
    taxonomy = LaneTaxonomy(trees=trees, aliases=aliases, **lists)
    for keyword, target in aliases.items():
        if target not in taxonomy.declared():
            raise SchemaProblem(
                "lanes.aliases", keyword,
                f"alias '{keyword}' points at unknown lane '{target}'",
                hint=f"declare '{target}' in [lanes] concurrent or exclusive, "
                f"or point the alias at one of: {', '.join(taxonomy.declared()) or '(none)'}",
            )
    return taxonomy
