"""Lines shared by ``dos attest`` and ``dos verify-receipt``: a receipt's text is shown
with control characters escaped, so a claim cannot rewrite the terminal."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["bound_line", "shown", "verdict_line"]


def shown(text: str, limit: int = 200) -> str:
    """``text`` with control characters escaped, cut to ``limit`` characters."""
    escaped = "".join(char if char.isprintable() else char.encode("unicode_escape").decode()
                      for char in text[:limit])  # cut first: a surface may be 600k chars
    return escaped if len(escaped) <= limit else escaped[:limit - 1] + "\u2026"


def verdict_line(receipt: Mapping[str, Any]) -> str:
    return (f"{receipt['verdict']}   (believe={receipt['believe']} "
            f"refuted={receipt['refuted']})")


def _commit(witness: Mapping[str, Any]) -> str:
    commit = witness.get("commit") or ""
    if not commit:
        return "outside a git commit"
    clean = witness.get("worktree_clean")
    state = {True: "clean tree", False: "uncommitted changes", None: "tree state unknown"}
    return f"at {commit[:12]} ({state[clean]})" if "worktree_clean" in witness \
        else f"at {commit[:12]}"


def bound_line(witness: Mapping[str, Any]) -> str:
    """What binds the witness to the world: exit code and commit, digests, or grade."""
    kind = witness["kind"]
    if kind == "accept_cmd":
        ended = ("stopped at the time limit" if witness["timed_out"] else
                 "stopped at the output bound" if witness["output_truncated"] else
                 f"exit {witness['exit_code']}")
        shell = ", through /bin/sh" if witness["shell"] else ""
        return (f"{ended} {_commit(witness)}{shell}; output sha256 "
                f"{witness['output_sha256'][:16]}\u2026 ({witness['output_bytes']} bytes)")
    if kind == "state_diff":
        digests = [f"{side} sha256 {witness[side]['sha256'][:16] or 'unreadable'}"
                   for side in ("before", "after")]
        return f"claim key {witness['finding']}; " + ", ".join(digests)
    ship = f"shipped in {witness['sha'][:12]}" if witness["shipped"] else "not shipped"
    return f"{ship} (grade {witness['grade']}) {_commit(witness)}"
