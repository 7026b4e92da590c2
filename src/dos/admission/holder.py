"""Who is asking: the holder's owner name, host, run id, and the store's time format."""

from __future__ import annotations

import os
import time

from dos.errors import UsageError

__all__ = ["OWNER_ENV", "check_run_id", "host_id", "iso_utc", "resolve_owner"]

OWNER_ENV = "DOS_OWNER"


def host_id() -> str:
    """This machine's name in leases: ``DISPATCH_HOST_ID``, else the hostname."""
    explicit = os.environ.get("DISPATCH_HOST_ID", "").strip()
    if explicit:
        return explicit
    if hasattr(os, "uname"):  # no socket import on the hot path where we can avoid it
        return os.uname().nodename
    import socket

    return socket.gethostname()


def resolve_owner(owner: str | None, *, allow_host_pid: bool) -> str:
    """The holder identity: ``owner``, else ``DOS_OWNER``, else ``host:pid`` where the
    verb allows it. A blank owner is never a wildcard."""
    chosen = (owner or "").strip() or os.environ.get(OWNER_ENV, "").strip()
    if chosen:
        return chosen
    if allow_host_pid:
        return f"{host_id()}:{os.getpid()}"
    raise UsageError("an owner is required (it names the lease's holder)",
                     hint=f"pass --owner NAME (e.g. your session id) or set {OWNER_ENV}")


def check_run_id(run_id: str | None) -> str:
    """A run id in canonical form, or "" when none was given; anything else is refused."""
    text = (run_id or "").strip()
    if not text:
        return ""
    from dos.run_id import is_run_id  # only when a run id is given: it is slow to import

    if not is_run_id(text):
        raise UsageError(f"{text!r} is not a run id",
                         hint="a run id looks like RID-1M8HSC4V72JNYG0 (`dos run-id mint`)")
    return text.upper()


def iso_utc(ms: int) -> str:
    """Epoch ms as ``YYYY-MM-DDTHH:MM:SSZ``."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ms // 1000))
