"""Refusal reasons a workspace declares in ``[reasons.<TOKEN>]`` and morphology rules."""

from __future__ import annotations

from collections.abc import Mapping

from dos.settings import (
    SchemaProblem,
    expect_bool,
    expect_str,
    expect_str_or_list,
    expect_table,
    validate_table,
)
from dos.structs import struct

TYPE_CHECKING = False  # typing costs start-up time; annotations are strings
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "KNOWN_CATEGORIES",
    "MorphologyRule",
    "ReasonSpec",
    "parse_morphology",
    "parse_reasons",
]

KNOWN_CATEGORIES = ("TRUE_DRAIN", "OPERATOR_GATE", "STALE_CLAIM", "MISROUTE", "UNCLASSIFIED")


@struct
class ReasonSpec:
    """One refusal reason: its token, the category it rolls up to, and how to fix it."""

    token: str
    category: str
    refusal: bool = True
    summary: str = ""
    fix: str = ""
    see_also: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        key = self.token.strip().upper()
        if not key:
            raise ValueError("a reason token must not be empty")
        if self.category not in KNOWN_CATEGORIES:
            raise ValueError(
                f"reason '{key}' has category '{self.category}'; "
                f"known categories: {', '.join(KNOWN_CATEGORIES)}"
            )
        object.__setattr__(self, "token", key)


@struct
class MorphologyRule:
    """A substring that classifies an otherwise unknown reason text into a category."""

    substring: str
    category: str


def _category(table: str, value: Any) -> str:
    category = expect_str(table, "category", value)
    if category not in KNOWN_CATEGORIES:
        raise SchemaProblem(
            table, "category", f"[{table}] category '{category}' is not known",
            hint=f"use one of: {', '.join(KNOWN_CATEGORIES)}",
        )
    return category


def parse_reasons(raw: Mapping[str, Any]) -> tuple[ReasonSpec, ...]:
    """Each ``[reasons.TOKEN]`` table; ``morphology`` is a separate array, not a reason."""
    specs: list[ReasonSpec] = []
    for token, body in raw.items():
        if token == "morphology":  # noqa: S105 - a table name, not a secret
            continue
        table = f"reasons.{token}"
        if not token.strip():
            raise SchemaProblem("reasons", token, f"[reasons] {token!r} is not a reason token: "
                                "it is empty", hint="name the reason, e.g. [reasons.BUSY]")
        expect_table("reasons", token, body)
        if "category" not in body:
            raise SchemaProblem(table, "category", f"[{table}] needs a category",
                                hint=f"add category = one of {', '.join(KNOWN_CATEGORIES)}")
        values = validate_table(table, body, {
            "category": (lambda t, _k, v: _category(t, v), ""),
            "refusal": (expect_bool, True),
            "summary": (expect_str, ""),
            "fix": (expect_str, ""),
            "see_also": (expect_str_or_list, ()),
        })
        specs.append(ReasonSpec(token=token, **values))
    return tuple(specs)


def parse_morphology(raw: Any) -> tuple[MorphologyRule, ...]:
    """``[[reasons.morphology]]``: an ordered list of substring → category rules."""
    if not isinstance(raw, list):
        raise SchemaProblem("reasons", "morphology", "[[reasons.morphology]] must be an array "
                            "of tables", hint="write each rule as [[reasons.morphology]]")
    rules = []
    for entry in raw:
        expect_table("reasons", "morphology", entry)
        values = validate_table("reasons.morphology", entry, {
            "substring": (expect_str, ""),
            "category": (lambda t, _k, v: _category(t, v), "UNCLASSIFIED"),
        })
        if not values["substring"]:
            raise SchemaProblem("reasons.morphology", "substring",
                                "a morphology rule needs a non-empty substring")
        rules.append(MorphologyRule(**values))
    return tuple(rules)
