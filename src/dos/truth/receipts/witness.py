"""What a witness's recorded facts mean: the verdict, who witnessed it and how far to
trust it. Pure: the signer and every verifier derive the same answer from the same facts,
so a receipt whose verdict does not follow from its own witness is refused."""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from typing import Any

from dos.structs import struct

__all__ = ["SNAPSHOT_FINDINGS", "Finding", "classify"]

# How the claim key fared between the two snapshots.
SNAPSHOT_FINDINGS = ("added", "changed", "unchanged", "absent", "unreadable")
_GRADE_TIERS = {"subject": "AGENT_AUTHORED", "artifact": "OS_RECORDED",
                "registry-verified": "OS_RECORDED", "none": "OS_RECORDED"}


@struct
class Finding:
    """The derived fields of a receipt, and a one-line reason for people."""

    verdict: str
    author: str
    tier: str
    surface: str
    reason: str

    @property
    def believe(self) -> bool:
        return self.verdict == "CONFIRMED"

    @property
    def refuted(self) -> bool:
        return self.verdict == "REFUTED"


def classify(witness: Mapping[str, Any], claim: str) -> Finding:
    """The finding of one witness object (its ``kind`` chooses the reading)."""
    kind = witness["kind"]
    if kind == "accept_cmd":
        return _command(witness, claim)
    if kind == "state_diff":
        return _snapshots(witness, claim)
    return _oracle(witness, claim)


def _finding(verdict: str, author: str, tier: str, surface: str, why: str) -> Finding:
    return Finding(verdict, author, tier if verdict != "UNWITNESSED" else "", surface, why)


def _command(witness: Mapping[str, Any], claim: str) -> Finding:
    surface = shlex.join(witness["argv"])
    author, tier = "os_acceptance", "OS_RECORDED"
    if witness["timed_out"]:
        why = f"the command did not finish within {witness['timeout_s']} s"
        return _finding("UNWITNESSED", author, tier, surface, why)
    if witness["output_truncated"]:
        return _finding("UNWITNESSED", author, tier, surface,
                        "the command's output exceeded the bound and it was stopped")
    if witness["head_moved"]:
        return _finding("UNWITNESSED", author, tier, surface,
                        "HEAD moved while the command ran: no single commit was witnessed")
    code = witness["exit_code"]
    if code == 0:
        return _finding("CONFIRMED", author, tier, surface,
                        f"'{claim}': the command exited 0")
    return _finding("REFUTED", author, tier, surface, f"'{claim}': the command exited {code}")


def _snapshots(witness: Mapping[str, Any], claim: str) -> Finding:
    surface = f"{witness['before']['path']}\u2192{witness['after']['path']}"
    author = "state_diff"
    tier = "THIRD_PARTY" if witness["third_party"] else "OS_RECORDED"
    finding = witness["finding"]
    if finding == "unreadable":
        return _finding("UNWITNESSED", author, tier, surface,
                        "a snapshot could not be read as a JSON object")
    if finding in ("added", "changed"):
        return _finding("CONFIRMED", author, tier, surface,
                        f"'{claim}' is {finding} in the after snapshot")
    why = ("absent from the after snapshot" if finding == "absent"
           else "unchanged between the snapshots: no effect was observed")
    return _finding("REFUTED", author, tier, surface, f"'{claim}' is {why}")


def _oracle(witness: Mapping[str, Any], claim: str) -> Finding:
    surface = shlex.join(["dos", "verify", witness["plan"], witness["phase"],
                          "--ref", witness["ref"]])
    tier = _GRADE_TIERS[witness["grade"]]
    if witness["shipped"]:
        return _finding("CONFIRMED", "oracle", tier, surface,
                        f"'{claim}': git shows it shipped (grade {witness['grade']})")
    return _finding("REFUTED", "oracle", tier, surface,
                    f"'{claim}': git shows it did not ship")
