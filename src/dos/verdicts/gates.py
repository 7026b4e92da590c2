"""Verdicts of the loop gates (``improve``, ``reward``, ``test-witness``,
``exec-capability``, ``hook-exit``, ``arg-provenance``, ``answer-shape``) and the rung
every one of them states: who authored the facts it was judged on."""

from __future__ import annotations

from enum import StrEnum

from dos.verdicts import VerdictToken

__all__ = ["AnswerShapeToken", "ExecCapabilityToken", "HookExitToken", "ImproveToken",
           "ProvenanceToken", "RewardToken", "Rung", "TestWitnessToken"]


class Rung(StrEnum):
    """Who authored a fact: dos measured it, the caller says so, or the agent wrote it."""

    ENVIRONMENT_WITNESSED = "ENVIRONMENT_WITNESSED"
    CALLER_CLAIMED = "CALLER_CLAIMED"
    AGENT_AUTHORED = "AGENT_AUTHORED"


class ImproveToken(VerdictToken):
    KEEP = ("KEEP", 0)
    REVERT = ("REVERT", 3)
    ESCALATE = ("ESCALATE", 4)


class RewardToken(VerdictToken):
    ACCEPT = ("ACCEPT", 0)
    REJECT_POISON = ("REJECT_POISON", 3)
    ABSTAIN = ("ABSTAIN", 4)
    NO_CLAIM = ("NO_CLAIM", 5)


class TestWitnessToken(VerdictToken):
    __test__ = False  # not a pytest test class, whatever its name says

    DISCRIMINATES = ("DISCRIMINATES", 0)
    VACUOUS = ("VACUOUS", 3)
    UNSATISFIED = ("UNSATISFIED", 4)
    REGRESSIVE = ("REGRESSIVE", 5)
    ABSTAIN = ("ABSTAIN", 6)


class ExecCapabilityToken(VerdictToken):
    BOUNDED = ("BOUNDED", 0)
    EMPTY = ("EMPTY", 0)
    GRANTS_ARBITRARY_EXEC = ("GRANTS_ARBITRARY_EXEC", 3)


class HookExitToken(VerdictToken):
    PASS = ("PASS", 0)
    BLOCK = ("BLOCK", 3)
    WARN = ("WARN", 4)
    DEFER = ("DEFER", 5)
    OBSERVE = ("OBSERVE", 6)


class ProvenanceToken(VerdictToken):
    BELIEVE = ("BELIEVE", 0)
    UNSUPPORTED = ("UNSUPPORTED", 3)


class AnswerShapeToken(VerdictToken):
    ANSWER_SHAPED = ("ANSWER_SHAPED", 0)
    NON_ANSWER = ("NON_ANSWER", 3)
    INDETERMINATE = ("INDETERMINATE", 4)
