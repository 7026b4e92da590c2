"""Picker questions answered from git and the store: which units does a plan declare and
which shipped (``enumerate``), may one be offered now (``pickable``), and does an
agent's "done" hold (``reconcile``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dos import structs
from dos.admission.pickable import PickState, PickVerdict
from dos.config import SubstrateConfig
from dos.errors import UsageError
from dos.json_input import Fields, json_flag
from dos.limits import MAX_EPOCH_MS
from dos.render import with_schema
from dos.truth.enumeration import Enumeration
from dos.truth.plan_units import EnumerateGrammar
from dos.truth.reconcile import Reconciliation
from dos.truth.ship_verdict import GRADES, ShipVerdict, grade_at_least

__all__ = [
    "STATE_KEYS",
    "check_grade",
    "claimed_ids",
    "enumerate_grammar",
    "enumerate_json",
    "enumerate_plan",
    "pick_state",
    "pick_state_from",
    "pickable",
    "pickable_json",
    "read_plan_doc",
    "reconcile",
    "reconcile_json",
    "shipped_list",
    "shown_doc",
]

_MAX_DOC_BYTES = 16 << 20
_MAX_UNIT = 200


def check_grade(min_grade: str) -> str:
    if min_grade not in GRADES:
        raise UsageError(f"unknown grade {min_grade!r}", hint="one of " + ", ".join(GRADES))
    return min_grade


def check_unit(unit: str, what: str = "UNIT") -> str:
    if not 0 < len(unit.strip()) <= _MAX_UNIT:
        raise UsageError(f"{what} must be a unit id of 1 to {_MAX_UNIT} characters",
                         hint="name the unit, e.g. AUTH2")
    return unit.strip()


def read_plan_doc(path: Path) -> str:
    """A plan document's text (a regular file of at most 16 MiB; bad bytes replaced)."""
    try:
        if not path.is_file():
            raise UsageError(f"plan document {path} is not a file",
                             hint="name an existing markdown plan, e.g. docs/auth-plan.md")
        if path.stat().st_size > _MAX_DOC_BYTES:
            raise UsageError(f"plan document {path} is over 16 MiB",
                             hint="split the plan into smaller documents")
        return path.read_bytes().decode("utf-8", "replace")
    except OSError as exc:
        raise UsageError(f"cannot read plan document {path}: {exc.strerror}",
                         hint="check the path and its permissions") from None


def shipped_list(text: str | None) -> list[str] | None:
    """``--shipped``: a JSON array of unit ids."""
    if text is None:
        return None
    return claimed_ids(json_flag(text, "--shipped", expect=list,
                                 example="'[\"AUTH1\", \"Phase 2\"]'"))


def claimed_ids(items: Sequence[Any]) -> list[str]:
    if not all(isinstance(item, str) and 0 < len(item) <= _MAX_UNIT for item in items):
        raise UsageError("--shipped must be a JSON array of unit ids (strings)",
                         hint="e.g. '[\"AUTH1\", \"AUTH2\"]'")
    return [str(item) for item in items]


def _at_grade(verdict: ShipVerdict, min_grade: str) -> ShipVerdict:
    if verdict.shipped and not grade_at_least(verdict.grade, min_grade):
        return structs.replace(verdict, shipped=False,
                                   extra={**verdict.extra, "min_grade": min_grade})
    return verdict


def enumerate_grammar(config: SubstrateConfig) -> EnumerateGrammar:
    """The unit grammar ``[enumerate]`` sets."""
    table = config.table("enumerate")
    return EnumerateGrammar(**{key: table[key] for key in (
        "heading_levels", "scan_tables", "generic_numeric_table", "bare_phase_fallback",
        "rollup_parents")})


def enumerate_plan(config: SubstrateConfig, doc: Path, *, series: str | None = None,
                   shipped: Sequence[str] = (), ref: str = "HEAD",
                   min_grade: str = "none") -> Enumeration:
    """The units ``doc`` declares, each shipped or remaining by the oracle (one read of
    the history for all of them)."""
    from dos.truth.enumeration import fold
    from dos.truth.oracle import PhaseQuery, verify_many
    from dos.truth.plan_units import parse_units

    check_grade(min_grade)
    if series is not None and not series.strip().replace("-", "").replace("_", "").isalnum():
        raise UsageError(f"--series {series[:40]!r} is not a plan id",
                         hint="letters, digits, '-' and '_', e.g. --series AUTH")
    claimed = claimed_ids(shipped)
    grammar = enumerate_grammar(config)
    units = parse_units(read_plan_doc(doc), series=series, grammar=grammar)
    asked = [u for u in units.units if u.plan]
    verdicts = verify_many([PhaseQuery(u.plan, u.unit) for u in asked], config,
                           ref=ref) if asked else []
    by_key = {u.key: _at_grade(v, min_grade) for u, v in zip(asked, verdicts, strict=True)}
    return fold(units, by_key, doc=shown_doc(doc, config.root),
                rollup_parents=grammar.rollup_parents, claimed=claimed)


def shown_doc(doc: Path, root: Path) -> str:
    """``doc`` relative to ``root`` when it lies inside it, else its absolute path."""
    resolved = doc.resolve()
    return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) \
        else str(resolved)


def enumerate_json(result: Enumeration) -> dict[str, Any]:
    return dict(with_schema(result.to_dict(), "enumerate"))


# pickable

STATE_KEYS = ("shipped", "unparseable", "in_flight", "soft_claimed_elsewhere", "stale_claim",
              "plan_class", "operator_gated", "soak_open", "dependency_unmet",
              "cooldown_until_ms")


def pick_state(text: str | None) -> PickState:
    """``--state``: a JSON object of the facts the host gathered."""
    if text is None:
        return PickState()
    return pick_state_from(json_flag(text, "--state", expect=dict,
                                     example="'{\"in_flight\": true}'"), "--state")


def pick_state_from(raw: Mapping[str, Any], where: str = "state") -> PickState:
    """The facts from a parsed object: booleans are JSON booleans, an unknown key is an
    error."""
    fields = Fields(raw, where, STATE_KEYS)
    values: dict[str, Any] = {key: fields.flag(key) for key in STATE_KEYS
                              if key not in ("plan_class", "cooldown_until_ms")}
    return PickState(**values, plan_class=fields.text("plan_class", limit=64),
                     cooldown_until_ms=fields.integer("cooldown_until_ms", 0, MAX_EPOCH_MS))


def pickable(config: SubstrateConfig, *, unit: str | None, state: PickState,
             now_ms: int | None = None) -> PickVerdict:
    """OFFERABLE or HELD(reason). With a UNIT, its own recorded attempts are consulted:
    a unit tried too recently is held even when the host forgot to say so."""
    from dos.admission.pickable import classify
    from dos.api.temporal import resolve_now

    name = check_unit(unit) if unit is not None else ""
    now = resolve_now(config, now_ms)
    stored = None
    if name:
        from dos.api.pacing import cooldown

        stored = cooldown(config, name, now_ms=now).until_ms
    return classify(name, state, now, stored_until_ms=stored)


def pickable_json(verdict: PickVerdict) -> dict[str, Any]:
    return dict(with_schema(verdict.to_dict(), "pickable"))


# reconcile

def reconcile(config: SubstrateConfig, unit: str, *, claimed: bool,
              oracle_shipped: bool | None = None, plan: str | None = None,
              phase: str | None = None, ref: str = "HEAD",
              min_grade: str | None = None) -> Reconciliation:
    """VERIFIED only when git shows the unit shipped at ``min_grade`` or better."""
    from dos.truth.reconcile import classify

    name = check_unit(unit)
    if oracle_shipped is not None:
        if plan is not None or phase is not None or min_grade is not None:
            raise UsageError("--oracle-shipped/--no-oracle-shipped and --plan/--phase/"
                             "--min-grade both say where the verdict comes from",
                             hint="pass --plan PLAN (git decides) or the caller's bit alone")
        return classify(name, claimed=claimed, caller_bit=oracle_shipped)
    if plan is None:
        raise UsageError("no oracle: pass --plan PLAN (and --phase when it differs from UNIT), "
                         "or --oracle-shipped/--no-oracle-shipped",
                         hint=f"e.g. `dos reconcile {name} --claimed-done --plan AUTH`")
    grade = check_grade(min_grade or "none")
    asked = name if phase is None else check_unit(phase, "--phase")
    if not _same_unit(plan, asked, name):
        raise UsageError(f"UNIT {name!r} and --phase {asked!r} name different units",
                         hint="reconcile the unit you verify: drop --phase, or make them equal")
    from dos.api.truth import verify

    verdict = verify(config, plan=plan, phase=asked, ref=ref)
    return classify(name, claimed=claimed, verdict=verdict, min_grade=grade)


def _same_unit(plan: str, phase: str, unit: str) -> bool:
    """``AUTH2`` is ``AUTH2``, ``2`` and ``Phase 2`` of plan AUTH."""
    def folded(text: str) -> str:
        return "".join(text.split()).casefold()

    spelled = folded(phase)
    number = spelled.removeprefix("phase")
    return folded(unit) in {spelled, folded(plan) + number}


def reconcile_json(result: Reconciliation) -> dict[str, Any]:
    return dict(with_schema(result.to_dict(), "reconcile"))


def units_of(items: Sequence[str]) -> list[str]:
    """Unit ids from positionals: each named once, in the order given."""
    return list(dict.fromkeys(check_unit(item) for item in items))
