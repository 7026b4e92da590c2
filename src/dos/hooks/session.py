"""Who a hook call is: the session id (or ``DOS_OWNER``) that lease checks match, and
the key its per-session records are kept under."""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dos.hooks.events import HookEvent

__all__ = ["KEY_MAX", "OWNER_ENV", "identities", "session_key"]

OWNER_ENV = "DOS_OWNER"
KEY_MAX = 128  # longer ids, and ids with control characters, are kept by their digest


def identities(event: HookEvent) -> frozenset[str]:
    """Who is writing: the session id, and ``DOS_OWNER`` when the hook's env sets it."""
    names = {event.session_id.strip(), os.environ.get(OWNER_ENV, "").strip()}
    return frozenset(name for name in names if name)


def session_key(event: HookEvent) -> str:
    """The key of the session's records in the store ("" without a session): the id as
    given when it is short printable text, else ``sha256:`` and its digest (a payload's
    id may be megabytes long, or hold a NUL PostgreSQL text cannot)."""
    key = event.session_id or min(identities(event), default="")
    if len(key) <= KEY_MAX and key.isprintable():
        return key
    import hashlib  # only for such an id: hashlib costs hook start-up time

    return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
