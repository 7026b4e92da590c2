"""The exit-code contract, generated from the verdict enums' own declarations."""

from __future__ import annotations

import importlib

from dos.verdicts import VerdictToken

__all__ = ["OPERATION_EXITS", "VERDICT_SOURCES", "VerdictSource", "contract", "table",
           "verdict_enum"]


class VerdictSource:
    """Where a verb's verdict enum lives, and the code a future token would get.

    A plain class: ``dos exit-codes`` must start fast, and dataclasses import inspect.
    """

    __slots__ = ("enum", "module", "unknown_floor")

    def __init__(self, module: str, enum: str, unknown_floor: int | None = None) -> None:
        self.module = module
        self.enum = enum
        self.unknown_floor = unknown_floor


# verb → the enum whose members decide that verb's exit code. A test walks the
# package for VerdictToken subclasses and fails if one is missing here.
VERDICT_SOURCES: dict[str, VerdictSource] = {
    "lint": VerdictSource("dos.verdicts.ops", "LintVerdict"),
    "doctor": VerdictSource("dos.verdicts.ops", "DoctorVerdict"),
    "observe": VerdictSource("dos.verdicts.ops", "ObserveToken"),
    "verify": VerdictSource("dos.verdicts.truth", "ShipToken"),
    "commit-audit": VerdictSource("dos.verdicts.audit", "AuditToken"),
    "verify-result": VerdictSource("dos.verdicts.transcript", "ResultToken"),
    "coverage": VerdictSource("dos.verdicts.coverage", "CoverageToken"),
    "memory": VerdictSource("dos.verdicts.memory", "MemoryToken"),
    "attest": VerdictSource("dos.verdicts.receipts", "AttestToken"),
    "verify-receipt": VerdictSource("dos.verdicts.receipts", "ReceiptToken"),
    "arbitrate": VerdictSource("dos.verdicts.admission", "ArbitrateToken"),
    "lease-lane": VerdictSource("dos.verdicts.lease_lane", "LeaseLaneToken"),
    "scope-gate": VerdictSource("dos.verdicts.scope", "ScopeToken"),
    "journal": VerdictSource("dos.verdicts.journal", "JournalToken"),
    "refuse": VerdictSource("dos.verdicts.refusal", "RefuseToken"),
    "man": VerdictSource("dos.verdicts.manual", "ManToken"),
    "liveness": VerdictSource("dos.verdicts.temporal", "LivenessToken", unknown_floor=5),
    "status": VerdictSource("dos.verdicts.temporal", "StatusToken", unknown_floor=5),
    "productivity": VerdictSource("dos.verdicts.productivity", "ProductivityToken",
                                  unknown_floor=5),
    "efficiency": VerdictSource("dos.verdicts.efficiency", "EfficiencyToken", unknown_floor=5),
    "breaker": VerdictSource("dos.verdicts.breaker", "BreakerToken", unknown_floor=5),
    "cooldown": VerdictSource("dos.verdicts.cooldown", "CooldownToken", unknown_floor=5),
    "resume": VerdictSource("dos.verdicts.recovery", "ResumeToken", unknown_floor=5),
    "complete": VerdictSource("dos.verdicts.recovery", "CompleteToken", unknown_floor=6),
    "rewind": VerdictSource("dos.verdicts.recovery", "RewindToken", unknown_floor=4),
    "reap": VerdictSource("dos.verdicts.recovery", "ReapToken"),
    "enumerate": VerdictSource("dos.verdicts.picker", "EnumerateToken"),
    "pickable": VerdictSource("dos.verdicts.picker", "PickableToken", unknown_floor=8),
    "reconcile": VerdictSource("dos.verdicts.picker", "ReconcileToken", unknown_floor=5),
    "gate": VerdictSource("dos.verdicts.picker", "GateToken", unknown_floor=7),
    "scout": VerdictSource("dos.verdicts.picker", "ScoutToken"),
    "health": VerdictSource("dos.verdicts.picker", "HealthToken"),
    "next": VerdictSource("dos.verdicts.picker", "NextToken"),
    "judge": VerdictSource("dos.verdicts.judges", "WedgeToken"),
    "judge-eval": VerdictSource("dos.verdicts.judges", "JudgeEvalToken"),
    "export": VerdictSource("dos.verdicts.record", "ExportToken"),
    "notify": VerdictSource("dos.verdicts.record", "NotifyToken"),
    "improve": VerdictSource("dos.verdicts.gates", "ImproveToken", unknown_floor=5),
    "reward": VerdictSource("dos.verdicts.gates", "RewardToken", unknown_floor=6),
    "test-witness": VerdictSource("dos.verdicts.gates", "TestWitnessToken", unknown_floor=7),
    "exec-capability": VerdictSource("dos.verdicts.gates", "ExecCapabilityToken",
                                     unknown_floor=5),
    "hook-exit": VerdictSource("dos.verdicts.gates", "HookExitToken", unknown_floor=7),
    "arg-provenance": VerdictSource("dos.verdicts.gates", "ProvenanceToken"),
    "answer-shape": VerdictSource("dos.verdicts.gates", "AnswerShapeToken", unknown_floor=5),
    "overlap-eval": VerdictSource("dos.verdicts.evals", "EvalToken"),
    "intervention-eval": VerdictSource("dos.verdicts.evals", "EvalToken"),
    "tool-stream-eval": VerdictSource("dos.verdicts.evals", "EvalToken"),
    "precursor-gate-eval": VerdictSource("dos.verdicts.evals", "EvalToken"),
}


# Verbs that act rather than judge: their code says whether the act happened. A test
# checks every registered verb has a row here or in VERDICT_SOURCES.
OPERATION_EXITS: dict[str, dict[str, int]] = {
    "attempt": {"recorded": 0, "shown": 0, "contract_error": 2},
    # a non-empty queue is not an error: the rows are the answer
    "decisions": {"shown": 0, "resolved": 0, "contract_error": 2, "store_unreadable": 74},
    "exit-codes": {"shown": 0, "contract_error": 2},
    # --print-config prints the plan; otherwise dos becomes the host and its code is the host's
    "guard": {"printed": 0, "contract_error": 2, "host_not_found": 127},
    "helped": {"shown": 0, "contract_error": 2},
    "halt": {"recorded": 0, "not_recorded": 1, "contract_error": 2},
    # The host's protocol: 2 blocks the call (claude-code, codex, gemini); cursor uses 0 only.
    "hook": {"allow": 0, "block": 2, "contract_error": 2},
    "id-alloc": {"issued": 0, "contract_error": 2},
    # intent start/step/checkpoint: 1 when the ledger refuses the record (no INTENT for the
    # run, an undeclared step, a different declaration already made); show reads only
    "intent": {"recorded": 0, "shown": 0, "not_recorded": 1, "contract_error": 2},
    "init": {"written": 0, "contract_error": 2},
    "lease": {"held": 0, "refused": 1, "contract_error": 2},
    "learn": {"shown": 0, "contract_error": 2, "store_unreadable": 74},
    "loop": {"planned": 0, "contract_error": 2},
    # an ordering, not a gate: the reference's exit 3 for ATTEMPTED turned `&&` into a filter
    "pick-priority": {"ranked": 0, "contract_error": 2},
    "plan": {"shown": 0, "contract_error": 2},
    "projects": {"shown": 0, "contract_error": 2, "store_unreadable": 74},
    "quickstart": {"passed": 0, "failed": 1, "contract_error": 2},
    # incomplete: a project's store or dos.toml could not be read (each one is named)
    "reindex": {"reindexed": 0, "incomplete": 1, "contract_error": 2, "store_unreadable": 74},
    "run-id": {"shown": 0, "contract_error": 2},
    # --check: 0 when the server would start; a running server ends as 130 or 143
    "serve": {"ready": 0, "contract_error": 2, "address_unavailable": 3,
              "web_extra_missing": 4},
    "store": {"ok": 0, "contract_error": 2},
    "top": {"shown": 0, "contract_error": 2},
    "trace": {"found": 0, "not_found": 1, "contract_error": 2},
    "watch": {"watched": 0, "contract_error": 2},
}


def verdict_enum(verb: str) -> type[VerdictToken]:
    """Import and return the verdict enum of ``verb``."""
    source = VERDICT_SOURCES[verb]
    enum = getattr(importlib.import_module(source.module), source.enum)
    if not (isinstance(enum, type) and issubclass(enum, VerdictToken)):
        raise TypeError(f"{source.module}.{source.enum} is not a VerdictToken enum")
    return enum


def contract(verb: str) -> dict[str, int]:
    """Token → exit code for one verb, ``contract_error`` included."""
    if verb in OPERATION_EXITS:
        return dict(OPERATION_EXITS[verb])
    return verdict_enum(verb).contract(VERDICT_SOURCES[verb].unknown_floor)


def table() -> dict[str, dict[str, int]]:
    """The whole contract, every verb, sorted."""
    return {verb: contract(verb) for verb in sorted({*VERDICT_SOURCES, *OPERATION_EXITS})}
