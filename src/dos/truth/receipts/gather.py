"""Gather a witness's facts from the world and bind them to what they witnessed: the
commit a command ran at, the digests of two snapshots, the oracle's verdict and grade."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

from dos.errors import UsageError
from dos.structs import struct
from dos.truth.receipts.schema import MAX_ARG, MAX_ARGS

__all__ = ["AcceptCommand", "ShipCheck", "SnapshotPair", "WitnessSpec", "gather",
           "repository_name", "tree_state"]

MAX_TIMEOUT_S = 86_400


@struct
class AcceptCommand:
    """``--accept-cmd``: split into arguments, or run by /bin/sh -c with ``shell``."""

    command: str
    shell: bool = False
    timeout_s: int = 600

    def argv(self) -> list[str]:
        from dos.truth.receipts.acceptance import shell_argv

        if self.shell:
            argv = shell_argv(self.command)
        else:
            try:
                argv = shlex.split(self.command)
            except ValueError as exc:
                raise UsageError(f"--accept-cmd cannot be split into arguments ({exc})",
                                 hint="balance the quotes, or pass --shell to run it as a "
                                      "shell command line") from None
        if not argv or not argv[0]:
            raise UsageError("--accept-cmd is empty", hint="name the command that witnesses "
                             "the claim, e.g. --accept-cmd 'pytest -q'")
        if len(argv) > MAX_ARGS or any(len(arg) > MAX_ARG for arg in argv):
            raise UsageError(f"--accept-cmd is longer than {MAX_ARGS} arguments of "
                             f"{MAX_ARG} characters", hint="wrap a long command in a script")
        return argv


@struct
class SnapshotPair:
    """``--before B --after A``: two JSON object snapshots of the world."""

    before: str
    after: str
    third_party: bool = False


@struct
class ShipCheck:
    """``--verify PLAN PHASE``: the truth oracle's verdict on the history of ``ref``."""

    plan: str
    phase: str
    ref: str = "HEAD"


WitnessSpec = AcceptCommand | SnapshotPair | ShipCheck


def tree_state(root: Path) -> tuple[str, bool | None]:
    """(HEAD's commit or "", whether the work tree is clean, None outside a repository)."""
    from dos.errors import GitError
    from dos.git import run_git

    try:
        head = run_git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], root, check=False)
    except GitError:
        return "", None  # no git at all: nothing to bind to
    commit = head.stdout.strip() if head.returncode == 0 else ""
    if not commit:
        return "", None
    done = run_git(["status", "--porcelain", "--untracked-files=normal"], root, check=False)
    return commit, (not done.stdout.strip()) if done.returncode == 0 else None


def repository_name(root: Path) -> str:
    """The origin remote's URL without credentials, else the top directory's name."""
    from urllib.parse import urlsplit, urlunsplit

    from dos.git import run_git

    done = run_git(["config", "--get", "remote.origin.url"], root, check=False)
    url = done.stdout.strip()
    if not url:
        return root.name
    if "://" in url:
        parts = urlsplit(url)
        return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
    return url.rpartition("@")[2]  # scp-like user@host:path


def _command(spec: AcceptCommand, root: Path) -> dict[str, Any]:
    from dos.truth.receipts.acceptance import run_command

    if not 1 <= spec.timeout_s <= MAX_TIMEOUT_S:
        raise UsageError(f"--timeout must be 1 to {MAX_TIMEOUT_S} seconds",
                         hint="e.g. --timeout 600")
    argv = spec.argv()
    commit, clean = tree_state(root)
    ran = run_command(argv, cwd=root, timeout_s=spec.timeout_s)
    moved = tree_state(root)[0] != commit
    return {"kind": "accept_cmd", "argv": argv, "shell": spec.shell,
            "timeout_s": spec.timeout_s, "exit_code": ran.exit_code,
            "timed_out": ran.timed_out, "output_sha256": ran.output_sha256,
            "output_bytes": ran.output_bytes, "output_truncated": ran.output_truncated,
            "commit": commit, "worktree_clean": clean, "head_moved": moved}


def _snapshots(spec: SnapshotPair, root: Path, claim: str) -> dict[str, Any]:
    from dos.truth.receipts.snapshots import compare, read_snapshot

    for named in (spec.before, spec.after):
        if not named.strip() or len(named) > 4096:
            raise UsageError("--before and --after each name a snapshot file",
                             hint="e.g. --before state-0.json --after state-1.json")
    before, after = read_snapshot(spec.before, root), read_snapshot(spec.after, root)
    return {"kind": "state_diff", "before": before.to_dict(), "after": after.to_dict(),
            "third_party": spec.third_party, "finding": compare(before, after, claim)}


def gather(spec: AcceptCommand | SnapshotPair, root: Path, claim: str) -> dict[str, Any]:
    """The witness object of the receipt, read from the world now (the oracle's is
    gathered by the api layer, which owns ``dos verify``)."""
    if isinstance(spec, AcceptCommand):
        return _command(spec, root)
    return _snapshots(spec, root, claim)
