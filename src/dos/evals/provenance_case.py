"""How confident a case's provenance flag is, read from the two forms the reference
writes: a compact ``confidence`` (HIGH/LOW/NONE, any case, with an optional
``unsupported`` name list) or a full provenance-verdict object under ``verdict``.

A verdict that believes, or names nothing unsupported, is NONE. It is HIGH when an
unsupported argument was one id with one part, and that part was never shown; any other
flag is LOW. A string ``verdict`` (BELIEVE/UNSUPPORTED) is neither form: it goes
through the hook-exit map instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dos.errors import UsageError
from dos.evals.cases import Case, label
from dos.evals.intervention_policy import Confidence
from dos.json_input import Fields

__all__ = ["ARG_KEYS", "STANCES", "VERDICT_KEYS", "confidence_of"]

STANCES = ("SUPPORTED", "UNSUPPORTED", "ABSTAIN")
# the reference's fields, and the ones `dos arg-provenance --json` adds, so its answer pastes in
VERDICT_KEYS = ("believe", "unsupported", "reason", "args", "verdict", "tool", "mutating",
                "mutating_reason", "rung", "schema")
ARG_KEYS = ("arg_name", "value_repr", "stance", "id_shaped", "is_reference", "matched_in",
            "components_checked", "components_unmatched", "reason")
_CHOICES = "/".join(Confidence)


def confidence_of(case: Case) -> Confidence | None:
    """The case's confidence, or None when it carries a string verdict."""
    verdict = case.raw.get("verdict")
    case.texts("unsupported")
    if "confidence" in case.raw:
        if "verdict" in case.raw:
            raise UsageError(f"{case.where}: a case has a 'confidence' or a 'verdict', not "
                             "both", hint="keep the one that says what the gate decided")
        return _compact(case)
    if isinstance(verdict, dict):
        return _from_verdict(Fields(verdict, f"{case.where}: verdict", VERDICT_KEYS))
    if isinstance(verdict, str):
        return None
    if verdict is not None:
        raise UsageError(f"{case.where}: verdict must be BELIEVE, UNSUPPORTED or a "
                         f"provenance-verdict object, got {str(verdict)[:40]}",
                         hint="write the arg-provenance verdict of the call")
    raise UsageError(f"{case.where}: each case needs a 'confidence' ({_CHOICES}) or a "
                     f"'verdict' (BELIEVE/UNSUPPORTED, or a full provenance-verdict object) "
                     f"(got keys: {', '.join(sorted(case.raw))[:200]})",
                     hint='add e.g. "confidence": "HIGH" to that line')


def _compact(case: Case) -> Confidence:
    value = case.raw["confidence"]
    text = value.strip().upper() if isinstance(value, str) else ""
    if text not in Confidence.__members__:
        shown = repr(value)[:40] if isinstance(value, str) else str(value)[:40]
        raise UsageError(f"{case.where}: confidence must be one of {_CHOICES}, got {shown}",
                         hint="HIGH (one id, never shown), LOW (a weaker flag) or NONE")
    return Confidence[text]


def _from_verdict(verdict: Fields) -> Confidence:
    if "believe" not in verdict.raw:
        raise UsageError(f"{verdict.where} has no 'believe'",
                         hint="a provenance verdict says believe: true or false")
    believe = label(verdict.raw["believe"], f"{verdict.where}.believe")
    verdict.text("reason", limit=1 << 16)
    rows = [_row(item, f"{verdict.where}.args[{index}]")
            for index, item in enumerate(verdict.items("args"))]
    unsupported = verdict.texts("unsupported") if "unsupported" in verdict.raw else \
        [row.text("arg_name") for row in rows if row.raw["stance"] == "UNSUPPORTED"]
    if believe or not unsupported:
        return Confidence.NONE
    single = any(row.raw["stance"] == "UNSUPPORTED" and len(row.texts("components_checked"))
                 == 1 and len(row.texts("components_unmatched")) == 1 for row in rows)
    return Confidence.HIGH if single else Confidence.LOW


def _row(item: Any, where: str) -> Fields:
    if not isinstance(item, Mapping):
        raise UsageError(f"{where} must be an object, got {type(item).__name__}",
                         hint="each entry of args is one argument's row")
    row = Fields(item, where, ARG_KEYS)
    stance = row.raw.get("stance", "")
    if not isinstance(stance, str) or stance.strip().upper() not in STANCES:
        raise UsageError(f"{where}.stance {str(stance)[:40]!r} is not a provenance stance "
                         f"(known: {', '.join(STANCES)})", hint="copy the row from "
                         "`dos arg-provenance --json`")
    return Fields({**item, "stance": stance.strip().upper()}, where, ARG_KEYS)
