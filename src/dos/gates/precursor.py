"""The precursor gate: may this tool run yet, given the tools the session already called?

``[precursor.requires]`` names, for a gated tool, the lookups that must have run before
it (every one of them); ``[precursor.aliases]`` names other tools that count as a given
lookup. Names are compared trimmed, with ``-`` and ``.`` read as ``_``, and case-folded
unless ``case_sensitive`` is set. Pure: the caller supplies the calls, nothing is read.

The first call of a session is judged like any other: a gated tool with nothing before
it is MISSING_PRECURSOR (an empty history attests nothing).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any

from dos.gates.precursor_names import canonical, missing_lookups
from dos.structs import struct

__all__ = ["PrecursorPolicy", "PrecursorToken", "PrecursorVerdict", "classify", "policy_of"]


class PrecursorToken(StrEnum):
    SATISFIED = "SATISFIED"
    MISSING_PRECURSOR = "MISSING_PRECURSOR"
    NOT_GATED = "NOT_GATED"


@struct
class PrecursorPolicy:
    """The grammar, already canonical: gated tool → lookups; lookup → names counting as it."""

    requires: Mapping[str, tuple[str, ...]]
    aliases: Mapping[str, tuple[str, ...]]
    case_sensitive: bool = False

    def name(self, raw: str) -> str:
        return canonical(raw, case_sensitive=self.case_sensitive)

    def to_dict(self) -> dict[str, Any]:
        return {"requires": {tool: list(needs) for tool, needs in self.requires.items()},
                "aliases": {need: list(names) for need, names in self.aliases.items()},
                "case_sensitive": self.case_sensitive}


@struct
class PrecursorVerdict:
    token: PrecursorToken
    tool: str
    missing: tuple[str, ...] = ()


def policy_of(table: Mapping[str, Any]) -> PrecursorPolicy:
    """A validated ``[precursor]`` table as a canonical policy (see dos.settings.tables)."""
    sensitive = bool(table.get("case_sensitive", False))

    def names(values: Iterable[str]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(canonical(value, case_sensitive=sensitive)
                                   for value in values if value.strip()))

    def merged(raw: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, ...]]:
        out: dict[str, tuple[str, ...]] = {}
        for key, values in raw.items():
            name = canonical(key, case_sensitive=sensitive)
            out[name] = names((*out.get(name, ()), *values))
        return out

    requires = {tool: needs for tool, needs in merged(table.get("requires", {})).items()
                if needs}
    return PrecursorPolicy(requires, merged(table.get("aliases", {})), sensitive)


def classify(calls: Iterable[str], next_call: str, policy: PrecursorPolicy) -> PrecursorVerdict:
    """Judge ``next_call`` against the ``calls`` made before it in the session, in order."""
    tool = policy.name(next_call)
    missing = missing_lookups(calls, next_call, policy.requires, policy.aliases,
                              case_sensitive=policy.case_sensitive)
    if missing is None:
        return PrecursorVerdict(PrecursorToken.NOT_GATED, tool)
    token = PrecursorToken.MISSING_PRECURSOR if missing else PrecursorToken.SATISFIED
    return PrecursorVerdict(token, tool, missing)
