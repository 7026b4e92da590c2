"""Small JSON memos beside the store, in the workspace's ``.dos/`` directory: what the
hook remembers of the store's location (:mod:`dos.hooks.hook_cache`) and the parsed
``dos.toml`` (:mod:`dos.toml_memo`).

A memo is read and written only through a real ``.dos`` directory of this user's
(never a symlink, ``O_NOFOLLOW``), as a regular file of this user's no larger than
64 KiB; written to a fresh temporary name (``O_EXCL``, mode 0600) and renamed into
place. Reading never creates anything; a memo that cannot be read is None, and the
caller then answers the slow way.
"""

from __future__ import annotations

import os

from dos import _fastjson as jsonc

__all__ = ["MAX_BYTES", "SUPPORTED", "directory_identity", "read", "write"]

MAX_BYTES = 1 << 16
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
# Without these flags a symlink cannot be refused: nothing is remembered.
SUPPORTED = bool(_NOFOLLOW and _DIRECTORY)


def _open_dot_dos(root: str) -> int | None:
    """A descriptor of ``root/.dos`` when it is a real directory of this user's."""
    if not SUPPORTED:
        return None
    try:
        handle = os.open(os.path.join(root, ".dos"),  # noqa: PTH118
                         os.O_RDONLY | _DIRECTORY | _NOFOLLOW)
    except OSError:
        return None  # absent, or a symlink (ELOOP / ENOTDIR)
    if os.fstat(handle).st_uid != os.getuid():
        os.close(handle)
        return None
    return handle


def directory_identity(root: str) -> list[int] | None:
    """The device and inode of ``root/.dos`` (a fresh copy or clone has others), or None."""
    directory = _open_dot_dos(root)
    if directory is None:
        return None
    try:
        found = os.fstat(directory)
    finally:
        os.close(directory)
    return [found.st_dev, found.st_ino]


def read(root: str, name: str) -> object:
    """The JSON value of ``.dos/<name>``; None when absent or not a trustworthy file.
    Raises ValueError for a file that is not UTF-8 JSON."""
    directory = _open_dot_dos(root)
    if directory is None:
        return None
    try:
        handle = os.open(name, os.O_RDONLY | _NOFOLLOW, dir_fd=directory)
    except OSError:
        return None
    finally:
        os.close(directory)
    with os.fdopen(handle, "rb") as stream:
        found = os.fstat(handle)
        if found.st_uid != os.getuid() or found.st_size > MAX_BYTES or (
                found.st_mode & 0o170000) != 0o100000:
            return None
        return jsonc.loads(stream.read(MAX_BYTES).decode("utf-8"))


def write(root: str, name: str, value: object, *, sort_keys: bool = True) -> None:
    """Replace ``.dos/<name>`` with ``value`` as JSON, when ``.dos`` is a real directory
    (a read creates nothing); a failure only costs the next reader the slow way."""
    text = jsonc.dumps(value, sort_keys=sort_keys)
    if len(text) > MAX_BYTES:
        return  # it would never be read back
    directory = _open_dot_dos(root)
    if directory is None:
        return
    temp = f".{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    try:
        handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600,
                         dir_fd=directory)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, name, src_dir_fd=directory, dst_dir_fd=directory)
    except OSError:
        import contextlib

        with contextlib.suppress(OSError):
            os.unlink(temp, dir_fd=directory)
    finally:
        os.close(directory)
