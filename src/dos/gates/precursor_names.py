"""The precursor rule on plain names, with no import: the pretool hook applies it on
every gated call, so it must not pull in what :mod:`dos.gates.precursor`'s verdict
types cost at start-up (dataclasses, enum, typing)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

__all__ = ["canonical", "missing_lookups"]


def canonical(raw: str, *, case_sensitive: bool) -> str:
    """A tool name trimmed, ``-`` and ``.`` read as ``_``, case-folded unless sensitive."""
    name = raw.strip().replace("-", "_").replace(".", "_")
    return name if case_sensitive else name.casefold()


def missing_lookups(calls: Iterable[str], tool: str, requires: Mapping[str, Sequence[str]],
                    aliases: Mapping[str, Sequence[str]], *,
                    case_sensitive: bool) -> tuple[str, ...] | None:
    """The lookups ``tool`` needs that none of ``calls`` (nor an alias) provided, in the
    grammar's order; None when ``tool`` is not gated. ``requires`` and ``aliases`` are
    already canonical."""
    needs = requires.get(canonical(tool, case_sensitive=case_sensitive))
    if not needs:
        return None
    seen = {canonical(call, case_sensitive=case_sensitive) for call in calls}
    return tuple(need for need in needs
                 if need not in seen and seen.isdisjoint(aliases.get(need, ())))
