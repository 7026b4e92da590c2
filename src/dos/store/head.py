"""The journal's head, witnessed outside the store's tables.

After each write transaction that appended to the journal commits, the store writes
the new head (seq and hash) into a small file beside it: ``<database>.head`` for
SQLite, ``<workspace>/.dos/journal-<workspace id>.head`` for PostgreSQL. Someone who
edits the database alone (cuts the tail of the chain, deletes the last ACQUIRE with its
lease row, restores an older copy) cannot move this file back, and ``dos journal
verify`` compares the two. The file only ever advances: writers take a lock file, and
a head is written only when its seq is larger than the one already witnessed.
"""

from __future__ import annotations

import os

from dos.structs import struct

TYPE_CHECKING = False  # typing costs start-up time on every hook call
if TYPE_CHECKING:
    from types import TracebackType

__all__ = ["Head", "advance_head", "ensure_private_dir", "forget_head", "read_head"]

_FORMAT = 1
_GITIGNORE = "*\n"


@struct
class Head:
    """A witnessed head: the store it belongs to, its last record's seq and hash."""

    store: str
    seq: int
    hash: str


def ensure_private_dir(directory: str) -> None:
    """Create ``directory`` if needed; one named ``.dos``, or one dos created, gets a
    ``.gitignore`` of ``*`` so the store never shows in ``git status``."""
    created = not os.path.isdir(directory)  # noqa: PTH112 - pathlib costs hook start-up time
    os.makedirs(directory, exist_ok=True)  # noqa: PTH103
    if not created and os.path.basename(os.path.normpath(directory)) != ".dos":  # noqa: PTH119
        return
    try:
        fd = os.open(os.path.join(directory, ".gitignore"),  # noqa: PTH118
                     os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return  # the operator's own, or dos's from an earlier run: left as it is
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(_GITIGNORE)


def read_head(path: str) -> Head | None:
    """The head witnessed in ``path``; None when there is none. Raises ValueError
    when the file is not a head this dos wrote, OSError when it cannot be read."""
    from dos import _fastjson as jsonc  # bounded nesting: a tampered head is ValueError

    try:
        with open(path, encoding="utf-8") as handle:  # noqa: PTH123
            text = handle.read(4096)
    except FileNotFoundError:
        return None
    try:
        raw = jsonc.loads(text)
    except ValueError:
        raise ValueError("it is not JSON") from None
    if not isinstance(raw, dict) or raw.get("format") != _FORMAT:
        raise ValueError("it is not a dos journal head (format 1)")
    seq, digest, store = raw.get("seq"), raw.get("hash"), raw.get("store")
    if type(seq) is not int or seq < 1 or not isinstance(store, str) or not (
            isinstance(digest, str) and len(digest) == 64):
        raise ValueError("its seq, hash or store is malformed")
    return Head(store=store, seq=seq, hash=digest)


def advance_head(path: str, head: Head) -> None:
    """Witness ``head`` in ``path`` unless the file already holds a later seq of the
    same store. Called after the commit: it never raises, since the records are kept
    either way (a head that could not be written only witnesses less)."""
    try:
        ensure_private_dir(os.path.dirname(path))  # noqa: PTH120
        with _Locked(f"{path}.lock"):
            try:
                current = read_head(path)
            except ValueError:
                current = None  # damaged: a valid head replaces it
            if current is not None and current.store == head.store \
                    and current.seq >= head.seq:
                return
            _write(path, head)
    except OSError:
        return


def forget_head(path: str) -> None:
    """Remove the witnessed head (the store was erased on purpose)."""
    for name in (path, f"{path}.lock"):
        try:  # noqa: SIM105 - contextlib costs every writing verb start-up time
            os.unlink(name)  # noqa: PTH108
        except FileNotFoundError:
            pass


def _write(path: str, head: Head) -> None:
    from dos import _fastjson  # the json package's output, without its import cost

    text = _fastjson.dumps({"format": _FORMAT, "store": head.store, "seq": head.seq,
                            "hash": head.hash}, sort_keys=True) + "\n"
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        with open(tmp, "w", encoding="utf-8") as handle:  # noqa: PTH123
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())  # a crash leaves the old head or the new, never a torn one
        os.replace(tmp, path)  # noqa: PTH105
    finally:
        if os.path.exists(tmp):  # noqa: PTH110
            os.unlink(tmp)  # noqa: PTH108


class _Locked:
    """An exclusive ``flock`` on ``path`` (none where the platform has no fcntl: there
    the larger-seq rule alone keeps the head from going back, barring a race)."""

    __slots__ = ("_fd", "_path")

    def __init__(self, path: str) -> None:
        self._path = path
        self._fd = -1

    def __enter__(self) -> None:
        self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            import fcntl
        except ImportError:
            return
        fcntl.flock(self._fd, fcntl.LOCK_EX)

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        os.close(self._fd)  # closing releases the lock
