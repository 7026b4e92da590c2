"""Verdicts of the receipt verbs (``attest``, ``verify-receipt``).

``attest`` exits with the verdict it signed; ``verify-receipt`` exits with whether the
receipt is authentic (and, under ``--require-verdict``, whether it carries that verdict).
"""

from __future__ import annotations

from dos.verdicts import VerdictToken

__all__ = ["AttestToken", "ReceiptToken"]


class AttestToken(VerdictToken):
    CONFIRMED = ("CONFIRMED", 0)
    REFUTED = ("REFUTED", 1)
    UNWITNESSED = ("UNWITNESSED", 3)


class ReceiptToken(VerdictToken):
    VALID = ("VALID", 0)
    INVALID = ("INVALID", 1)
    VERDICT_UNMET = ("VERDICT_UNMET", 1)
