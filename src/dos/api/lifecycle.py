"""``dos plan --lifecycle``: one lifecycle tick over the plan documents, for the CLI and
MCP alike. Nothing is written.

A document's units, and which of them shipped, are ``dos enumerate``'s answer (the
history is read once for every document); its class is its ``class:`` line. The journal
of earlier transitions is git: the newest commit on REF that changed a document's
``class:`` line starts that document's cooldown."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dos.config import SubstrateConfig
from dos.render import with_schema
from dos.truth.enumeration import Enumeration, UnitStatus
from dos.truth.lifecycle import Ask, PlanFacts, PlanTick, Tick, claim_of, classify

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dos.git.pickaxe import LineChange

__all__ = ["CLASS_LINE", "lifecycle_json", "lifecycle_tick"]

# git's pickaxe pattern (POSIX basic) for the line dos.truth.plan_units reads the class
# from, and the same shape for Python
CLASS_LINE = "^[[:space:]]*class:"
_CLASS_LINE = r"^\s*class:"


def _enumerations(config: SubstrateConfig, docs: Sequence[Path],
                  ref: str) -> list[tuple[str, str, str, Enumeration]]:
    """(shown path, series, class line, enumeration) of each document."""
    from dos.api.picker import enumerate_grammar, read_plan_doc, shown_doc
    from dos.truth.enumeration import fold
    from dos.truth.oracle import PhaseQuery, verify_many
    from dos.truth.plan_units import parse_units

    grammar = enumerate_grammar(config)
    parsed = [(shown_doc(doc, config.root), parse_units(read_plan_doc(doc), grammar=grammar))
              for doc in docs]
    asked = [(at, unit) for at, (_, units) in enumerate(parsed) for unit in units.units
             if unit.plan]
    verdicts = verify_many([PhaseQuery(u.plan, u.unit) for _, u in asked], config,
                           ref=ref) if asked else []
    by_doc: dict[int, dict[str, Any]] = {}
    for (at, unit), verdict in zip(asked, verdicts, strict=True):
        by_doc.setdefault(at, {})[unit.key] = verdict
    return [(doc, units.series, units.plan_class,
             fold(units, by_doc.get(at, {}), doc=doc, rollup_parents=grammar.rollup_parents))
            for at, (doc, units) in enumerate(parsed)]


def _evidence(status: UnitStatus) -> str:
    verdict = status.verdict
    if status.shipped_by == "oracle" and verdict is not None:
        return f"{status.unit.unit} shipped in {verdict.sha[:12]} (via {verdict.source})"
    return f"{status.unit.unit} shipped: every child of it shipped"


def _asker(config: SubstrateConfig, name: str) -> Ask:
    """The judge ``name`` (from ``[judges.<name>]``) asked about one move at a time."""
    from dos.api.judges import judge_options
    from dos.judges import Claim, Stance, open_judge, safe_judge

    chosen = open_judge(name, judge_options(config, name))

    def ask(facts: PlanFacts, move: Any) -> tuple[bool, Mapping[str, Any]]:
        text, evidence = claim_of(facts, move)
        claim = Claim(text, stated_reason=f"move {facts.doc} from {move.source} to "
                      f"{move.target} ({move.trigger})", evidence=evidence, subject=facts.doc)
        verdict = safe_judge(chosen, claim, config)
        return verdict.stance is Stance.AGREE, {"judge": name, "claim": text,
                                                **verdict.to_dict()}
    return ask


def _now_ms() -> int:
    import time

    from dos.store import test_clock_ms

    fixed = test_clock_ms()
    return time.time_ns() // 1_000_000 if fixed is None else fixed


def lifecycle_tick(config: SubstrateConfig, *, ref: str = "HEAD", judge: str | None = None,
                   now_ms: int | None = None) -> Tick:
    """Every plan document's class, the transition due and what holds it; ``judge`` is
    asked about each move nothing else holds, and only its AGREE makes one ready."""
    from dos.git.history import resolve_commit
    from dos.git.pickaxe import line_changes
    from dos.truth.plan_source import plan_documents

    resolve_commit(config.root, ref)  # a bad ref or an empty repository says so first
    ask = _asker(config, judge) if judge else None
    found = _enumerations(config, plan_documents(config.root, config.paths.plans_glob), ref)
    inside = [doc for doc, *_ in found if not Path(doc).is_absolute()]
    changes = line_changes(config.root, ref, CLASS_LINE, _CLASS_LINE, inside) if inside else {}
    first = config.lifecycle.classes[0]
    facts = [PlanFacts(doc, series, declared, tuple(s.unit.unit for s in result.statuses),
                       {s.unit.unit: _evidence(s) for s in result.statuses if s.shipped},
                       _last_move(changes.get(doc, []), first))
             for doc, series, declared, result in found]
    return classify(facts, config.lifecycle, _now_ms() if now_ms is None else now_ms, ask)


def _last_move(changes: Sequence[LineChange], first: str) -> tuple[str, int] | None:
    """(sha, time) of the newest commit that moved the document from one class to another
    (no ``class:`` line means the first class): creating a document with its class, or
    rewriting the line to the class it already had, is no move and starts no cooldown."""
    from dos.truth.plan_units import plan_class

    for change in changes:
        after = plan_class(list(change.added)) or first
        before = None if change.created else plan_class(list(change.removed)) or first
        if before is not None and before.casefold() != after.casefold():
            return change.sha, change.at_ms
    return None


def _iso(ms: int | None) -> str | None:
    if ms is None:
        return None
    import datetime

    moment = datetime.datetime.fromtimestamp(ms / 1000, datetime.UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _plan(tick: PlanTick) -> dict[str, Any]:
    facts, change = tick.facts, tick.facts.last_change
    return {"doc": facts.doc, "series": facts.series or None, "class": tick.current or None,
            "class_line": facts.declared_class or None, "state": tick.state,
            "transition": tick.transition.to_dict() if tick.transition else None,
            "hold": tick.hold or None, "until": _iso(tick.until_ms), "until_ms": tick.until_ms,
            "units": len(facts.units), "shipped": len(facts.shipped),
            "remaining": list(facts.remaining),
            "last_class_change": None if change is None else {
                "sha": change[0], "at": _iso(change[1]), "at_ms": change[1]},
            "ruling": None if tick.ruling is None else dict(tick.ruling)}


def lifecycle_json(tick: Tick, *, ref: str, judge: str | None) -> dict[str, Any]:
    """The ``--json`` answer: ``ready`` lists the moves to apply, in order."""
    payload = {"view": "lifecycle", "ref": ref, "now": _iso(tick.now_ms),
               "now_ms": tick.now_ms, "judge": judge, "journal": "git",
               "settings": tick.settings.to_dict(),
               "ready": [{"doc": p.facts.doc, "from": p.transition.source,
                          "to": p.transition.target}
                         for p in tick.plans if p.state == "ready" and p.transition],
               "plans": [_plan(p) for p in tick.plans], "summary": tick.summary()}
    return dict(with_schema(payload, "plan"))
