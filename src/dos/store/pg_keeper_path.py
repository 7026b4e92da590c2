"""Where the PostgreSQL session keeper of a store listens, and whether a client may trust
what listens there.

One socket per store: ``pg-<digest>.sock`` in the user's private directory
(``$XDG_RUNTIME_DIR/dos``, else ``/tmp/dos-<uid>``), the digest taken over everything
that picks the server session — host, port, password, startup parameters but the
application's name — so a keeper only ever serves the store it was started for. A
client uses the socket only when the directory is a real directory of its own user
that nobody else may enter, and the socket is its own user's (anyone else could answer
queries with lies).
"""

from __future__ import annotations

import os
import stat

TYPE_CHECKING = False  # typing costs start-up time
if TYPE_CHECKING:
    from dos.store.pgwire.target import Target

__all__ = ["keeper_dir", "keeper_socket", "private_dir", "session_parameters",
           "trusted_socket"]


def keeper_dir() -> str:
    """The user's private directory for keeper sockets (not created here)."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if os.path.isabs(runtime):  # noqa: PTH117 - pathlib costs start-up time
        return os.path.join(runtime, "dos")  # noqa: PTH118
    return f"/tmp/dos-{os.getuid()}"  # noqa: S108 - a private, checked directory


def keeper_socket(target: Target) -> str:
    """The socket path of ``target``'s keeper."""
    try:
        from _sha256 import sha256  # type: ignore[import-not-found]  # hashlib: start-up time
    except ImportError:  # pragma: no cover - an interpreter without it
        from hashlib import sha256
    words = [target.host, str(target.port), target.password or "",
             *(f"{key}={value}" for key, value in sorted(session_parameters(
                 target.startup).items()))]
    digest = sha256("\x00".join(words).encode("utf-8")).hexdigest()[:24]
    return os.path.join(keeper_dir(), f"pg-{digest}.sock")  # noqa: PTH118


def session_parameters(startup: dict[str, str]) -> dict[str, str]:
    """The startup parameters that pick a session's state: all but ``application_name``
    (each dos process names itself; a lent session keeps the keeper's name)."""
    return {key: value for key, value in startup.items() if key != "application_name"}


def private_dir(path: str) -> bool:
    """A real directory (not a link) of this user that nobody else may enter."""
    return _private(path, stat.S_IFDIR)


def _private(path: str, kind: int) -> bool:
    try:
        found = os.lstat(path)
    except (OSError, ValueError):
        return False
    return (stat.S_IFMT(found.st_mode) == kind and found.st_uid == os.getuid()
            and (kind == stat.S_IFSOCK or not found.st_mode & 0o077))


def trusted_socket(target: Target) -> str | None:
    """``target``'s keeper socket when one is there and safe to use; else None."""
    if os.environ.get("DOS_NO_PG_KEEPER") or not hasattr(os, "getuid"):
        return None
    path = keeper_socket(target)
    if not (private_dir(os.path.dirname(path))  # noqa: PTH120
            and _private(path, stat.S_IFSOCK)):
        return None
    return path
