"""Who is at the other end: the shared token checked in constant time, server-side
sessions for the browser (the cookie holds a random id, never the token), and a CSRF
token per session for every state-changing form."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable

from dos.structs import struct

__all__ = ["COOKIE", "OPERATOR_MAX", "Session", "Sessions", "check_operator"]

COOKIE = "dos_session"
OPERATOR_MAX = 200
SESSION_TTL_S = 12 * 3600
MAX_SESSIONS = 256


@struct
class Session:
    """One authenticated visitor: the operator named at login and the session's CSRF
    token ("" for a bearer request, which can read but post no form)."""

    sid: str
    operator: str
    csrf: str
    expires_at: float = float("inf")


def check_operator(text: str) -> str | None:
    """The operator name as the journal will keep it, or None when it is unusable."""
    name = text.strip()
    if not name or len(name) > OPERATOR_MAX or any(ord(c) < 32 or ord(c) == 127 for c in name):
        return None
    return name


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


class Sessions:
    """The server's sessions. Without a token there is one anonymous session (the
    operator from --owner / $DOS_OWNER); with one, each login makes its own."""

    def __init__(self, token: str, owner: str, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._token = _digest(token) if token else b""
        self._clock = clock
        self._live: OrderedDict[str, Session] = OrderedDict()
        self.anonymous = None if token else Session("", owner, secrets.token_urlsafe(32))

    @property
    def requires_token(self) -> bool:
        return bool(self._token)

    def token_ok(self, presented: str) -> bool:
        # digests first: compare_digest then sees equal lengths whatever was sent
        return bool(self._token) and hmac.compare_digest(_digest(presented), self._token)

    def login(self, presented: str, operator: str) -> Session | None:
        """A new session for ``operator`` when ``presented`` is the token."""
        if not self.token_ok(presented):
            return None
        session = Session(secrets.token_urlsafe(32), operator, secrets.token_urlsafe(32),
                          self._clock() + SESSION_TTL_S)
        self._live[session.sid] = session
        while len(self._live) > MAX_SESSIONS:
            self._live.popitem(last=False)  # the oldest login goes first
        return session

    def get(self, sid: str) -> Session | None:
        session = self._live.get(sid) if sid else None
        if session is not None and session.expires_at <= self._clock():
            del self._live[sid]
            return None
        return session

    def logout(self, sid: str) -> None:
        self._live.pop(sid, None)

    def bearer(self) -> Session:
        return Session("", "", "")

    @staticmethod
    def csrf_ok(session: Session, presented: str) -> bool:
        return bool(session.csrf) and hmac.compare_digest(_digest(presented),
                                                          _digest(session.csrf))
