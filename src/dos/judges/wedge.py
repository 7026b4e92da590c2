"""Does a picker's "nothing to do" hold up? The oracle behind ``dos judge wedge``.

The picker (``dos next``) answered DRAINED or HELD and named its cause (``because``).
The cause maps to a checkable claim through an exact table (no substring guessing); the
claim is then checked against what the store and the plan documents say. Pure: the
facts are gathered by the caller. A check that cannot be made abstains; it never
confirms.
"""

from __future__ import annotations

from typing import Any

from dos.structs import struct
from dos.verdicts.judges import WedgeToken

__all__ = ["CAUSES", "HeldFacts", "PickerAnswer", "PlanFacts", "WedgeVerdict", "classify"]

# the picker's own cause tokens → the claim each one makes
CAUSES = {"ALL_SHIPPED": "TRUE_DRAIN", "NO_UNITS": "EMPTY_PLAN",
          "ALL_LEASED": "STALE_CLAIM", "ALL_COOLING": "COOLDOWN", "ALL_HELD": "HELD",
          "LANE_BUSY": "LANE_BUSY"}


@struct
class PickerAnswer:
    """The picker's recorded answer for a run (a verdict journal record of ``next``)."""

    run_id: str
    seq: int
    ts_ms: int
    verdict: str
    because: str = ""
    owner: str = ""
    lane: str = ""
    unit: str = ""
    units: int | None = None
    remaining: int | None = None


@struct
class HeldFacts:
    """What held work when the picker answered: other workers' live leases (unit leases
    among them) and the units still cooling down after an attempt."""

    unit_leases: tuple[str, ...] = ()
    other_leases: tuple[str, ...] = ()
    cooling: tuple[str, ...] = ()


@struct
class PlanFacts:
    """The plan documents as they read now. ``problem`` set: they could not be read."""

    problem: str = ""
    recorded: bool = True  # the documents are the ones the answer named
    changed: tuple[str, ...] = ()
    units: int = 0
    remaining: tuple[str, ...] = ()


@struct
class WedgeVerdict:
    token: WedgeToken
    outcome: str
    cause: str | None
    cause_source: str
    evidence: tuple[str, ...]

    @property
    def oracle_disagrees(self) -> bool:
        return self.token is WedgeToken.DISAGREES

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.token.value, "outcome": self.outcome, "cause": self.cause,
                "cause_source": self.cause_source, "oracle_disagrees": self.oracle_disagrees,
                "evidence": list(self.evidence)}


def _names(items: tuple[str, ...]) -> str:
    return ", ".join(items[:5]) + (f" and {len(items) - 5} more" if len(items) > 5 else "")


def _plans_checkable(answer: PickerAnswer, plans: PlanFacts | None) -> str:
    """Why the plans cannot settle the claim ("" when they can)."""
    if plans is None or plans.problem:
        return f"the plan documents cannot be read now ({plans.problem if plans else 'none'})"
    if plans.changed:
        return f"plan documents changed since the answer: {_names(plans.changed)}"
    if not plans.recorded and answer.units is not None and plans.units != answer.units:
        return (f"the plans declare {plans.units} units now, the answer counted "
                f"{answer.units}: not the same plans")
    return ""


def _miscounted(answer: PickerAnswer, plans: PlanFacts) -> str:
    """The same unchanged documents and settings read differently now: a picker bug."""
    if answer.units is None or plans.units == answer.units:
        return ""
    return (f"the unchanged plans declare {plans.units} units, the answer counted "
            f"{answer.units}")


def _drain(answer: PickerAnswer, plans: PlanFacts | None) -> tuple[WedgeToken, str]:
    if answer.remaining:
        return WedgeToken.DISAGREES, (f"the answer itself counted {answer.remaining} remaining "
                                      "units — TRUE_DRAIN is FALSE")
    if why := _plans_checkable(answer, plans):
        return WedgeToken.ABSTAINS, f"{why} — TRUE_DRAIN unverifiable, abstaining"
    assert plans is not None  # noqa: S101 - _plans_checkable said the plans are there
    if wrong := _miscounted(answer, plans):
        return WedgeToken.DISAGREES, f"{wrong} — TRUE_DRAIN is FALSE"
    if plans.remaining:
        return WedgeToken.DISAGREES, (f"units still unshipped at HEAD in unchanged plans: "
                                      f"{_names(plans.remaining)} — TRUE_DRAIN is FALSE")
    return WedgeToken.AGREES, f"all {plans.units} units are shipped at HEAD — TRUE_DRAIN confirmed"


def _empty(answer: PickerAnswer, plans: PlanFacts | None) -> tuple[WedgeToken, str]:
    if why := _plans_checkable(answer, plans):
        return WedgeToken.ABSTAINS, f"{why} — EMPTY_PLAN unverifiable, abstaining"
    assert plans is not None  # noqa: S101 - _plans_checkable said the plans are there
    if wrong := _miscounted(answer, plans):
        return WedgeToken.DISAGREES, f"{wrong} — EMPTY_PLAN is FALSE"
    return WedgeToken.AGREES, "the unchanged plans still declare no unit — EMPTY_PLAN confirmed"


def _held(cause: str, held: HeldFacts) -> tuple[WedgeToken, str]:
    found = {"STALE_CLAIM": held.unit_leases, "COOLDOWN": held.cooling,
             "HELD": held.unit_leases + held.cooling, "LANE_BUSY": held.other_leases}[cause]
    what = {"STALE_CLAIM": "unit leases of other workers", "COOLDOWN": "units cooling down",
            "HELD": "units leased or cooling down",
            "LANE_BUSY": "live leases of other workers"}[cause]
    if not found:
        return WedgeToken.DISAGREES, (f"no {what} when the picker answered — {cause} is "
                                      "FALSE")
    return WedgeToken.AGREES, f"{len(found)} {what} then: {_names(found)} — {cause} confirmed"


def classify(answer: PickerAnswer, held: HeldFacts | None,
             plans: PlanFacts | None) -> WedgeVerdict:
    """The oracle's verdict on one recorded picker answer."""
    if answer.verdict == "PICKED":
        return WedgeVerdict(WedgeToken.AGREES, "LIVE", None, "none",
                            (f"oracle: the picker picked {answer.unit or 'a unit'}",))
    cause = CAUSES.get(answer.because.strip().upper())
    if cause is None:
        said = (f"the picker's cause {answer.because[:60]!r} is not one this oracle knows"
                if answer.because else "the picker recorded no cause")
        return WedgeVerdict(WedgeToken.ABSTAINS, "NO_PICK", "UNCLASSIFIED", "none",
                            (f"oracle: {said}; cannot verify — abstaining",))
    if cause == "TRUE_DRAIN":
        token, line = _drain(answer, plans)
    elif cause == "EMPTY_PLAN":
        token, line = _empty(answer, plans)
    else:
        token, line = _held(cause, held or HeldFacts())
    return WedgeVerdict(token, "NO_PICK", cause, "exact", (f"oracle: {line}",))
