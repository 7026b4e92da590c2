"""HEAD's commit read from the repository's own files, when they say it plainly.

``git rev-parse --verify HEAD^{commit}`` is a process start (milliseconds) on every
``lease-lane acquire``, ``verify`` and ``status``. In the common case the answer is two
small files away: ``.git/HEAD`` names a branch, the branch's loose ref file holds a sha,
and the commit is a loose object whose header says ``commit``. :func:`head_commit` reads
exactly that and answers None — "ask git" — for everything else: a ``.git`` that is a
file (a linked worktree or a submodule) or a symlink, a repository or work tree another
user owns (git refuses those), reftable refs, a packed ref, a packed or borrowed commit,
a HEAD or ref in any other shape, an object that is not a commit, any read error — and
a machine without git, where git's own answer (an error: nothing can be verified) must
stand. So every answer it gives is git's, and git gives every other one.
"""

from __future__ import annotations

import os
import stat

__all__ = ["head_commit", "head_sha"]

_HEX = frozenset("0123456789abcdef")
_SHA_LENGTHS = (40, 64)  # SHA-1 and SHA-256 repositories
_MAX_READ = 512  # HEAD and a ref file are one line
_HEADS = "refs/heads/"


def head_commit(root: str | os.PathLike[str]) -> tuple[str, bool] | None:
    """(HEAD's full commit sha, whether the clone is shallow) from ``root/.git``'s files,
    or None when only git can say."""
    from dos.git import git_on_path

    if not git_on_path():
        return None  # git's answer stands: without git, nothing is verified
    try:
        return _read(os.fspath(root))
    except (OSError, ValueError):
        return None


def head_sha(root: str | os.PathLike[str]) -> str:
    """The commit HEAD names in ``root``; "" outside a repository, before the first
    commit, or without git (a lease is still granted there, just with no commit rung).
    Read from the files when they say it plainly, else asked of git."""
    read = head_commit(root)  # no process when .git says it plainly
    if read is not None:
        return read[0]
    from dos.errors import GitError
    from dos.git import run_git

    try:
        done = run_git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], os.fspath(root),
                       check=False)
    except GitError:
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def _read(root: str) -> tuple[str, bool] | None:
    git_dir = os.path.join(root, ".git")  # noqa: PTH118 - pathlib costs start-up time
    if not (_owned_directory(root) and _owned_directory(git_dir)):
        return None
    if os.path.lexists(os.path.join(git_dir, "reftable")) or \
            os.path.lexists(os.path.join(git_dir, "commondir")):  # noqa: PTH118
        return None
    head = _line(os.path.join(git_dir, "HEAD"))  # noqa: PTH118
    if head.startswith("ref: "):
        name = head[5:]
        if not _plain_branch(name):
            return None
        head = _line(os.path.join(git_dir, *name.split("/")))  # noqa: PTH118
    if not _is_sha(head) or not _loose_commit(git_dir, head):
        return None
    return head, os.path.exists(os.path.join(git_dir, "shallow"))  # noqa: PTH110, PTH118


def _owned_directory(path: str) -> bool:
    """A real directory (not a symlink) of this user: git's ownership check passes."""
    found = os.lstat(path)
    return stat.S_ISDIR(found.st_mode) and found.st_uid == os.geteuid()


def _line(path: str) -> str:
    with open(path, "rb") as handle:  # noqa: PTH123
        data = handle.read(_MAX_READ + 1)
    if len(data) > _MAX_READ or not data.endswith(b"\n") or data.count(b"\n") != 1:
        raise ValueError(path)
    return data[:-1].decode("ascii")


def _plain_branch(name: str) -> bool:
    parts = name.split("/")
    return (name.startswith(_HEADS) and len(parts) > 2
            and all(part and not part.startswith(".") and not part.endswith(".lock")
                    and part.isprintable() and "\\" not in part for part in parts))


def _is_sha(text: str) -> bool:
    return len(text) in _SHA_LENGTHS and set(text) <= _HEX


def _loose_commit(git_dir: str, sha: str) -> bool:
    """Whether ``sha`` is a loose object of this repository whose header says commit."""
    import zlib  # only here: a loose object's header is zlib-compressed

    path = os.path.join(git_dir, "objects", sha[:2], sha[2:])  # noqa: PTH118
    with open(path, "rb") as handle:  # noqa: PTH123
        data = handle.read(64)
    try:
        head = zlib.decompressobj().decompress(data, 16)
    except zlib.error:  # damaged: git reports it
        return False
    return head.startswith(b"commit ")
