"""The startup message and authentication, up to the first ReadyForQuery."""

from __future__ import annotations

import os
import time
from struct import unpack_from

from dos.store.pgwire import frames
from dos.store.pgwire.errors import OperationalError, Unsupported

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dos.store.pgwire.auth import Scram
    from dos.store.pgwire.startup import Session
    from dos.store.pgwire.target import Target

__all__ = ["handshake"]

_OK, _CLEARTEXT, _MD5, _SASL, _SASL_CONTINUE, _SASL_FINAL = 0, 3, 5, 10, 11, 12
_MECHANISM = "SCRAM-SHA-256"


def handshake(session: Session, target: Target, deadline: float | None) -> None:
    """Send the startup message and answer the server until it is ready for queries."""
    session.send(frames.startup(target.startup))
    scram: Scram | None = None
    while True:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            session.sock.settimeout(left)
        kind, body = session.reader.next()
        if kind == ord("R"):
            scram = _authenticate(session, target, body, scram)
        elif kind == ord("E"):
            raise _refusal(target, frames.fields(body))
        elif kind == ord("S"):
            session.note(body)
        elif kind == ord("K"):
            session.backend_pid = unpack_from("!I", body)[0]
        elif kind == ord("Z"):
            session.status = chr(body[0])
            return
        elif kind not in (ord("N"), ord("v")):  # notices; a minor-version negotiation
            raise OperationalError(f"unexpected message {chr(kind)!r} during startup")


def _authenticate(session: Session, target: Target, body: bytes,
                  scram: Scram | None) -> Scram | None:
    code = unpack_from("!I", body)[0]
    if code == _OK:
        return scram
    if code == _SASL_CONTINUE and scram is not None:
        reply = scram.final(body[4:].decode("utf-8"))
        session.send(frames.message(b"p", reply.encode()))
        return scram
    if code == _SASL_FINAL and scram is not None:
        scram.verify(body[4:].decode("utf-8"))
        return None
    mechanisms = body[4:].split(b"\x00") if code == _SASL else []
    if code not in (_CLEARTEXT, _MD5) and _MECHANISM.encode() not in mechanisms:
        raise Unsupported(f"authentication method {code}")
    password = _password(target)
    if code == _SASL:
        return _start_scram(session, password)
    if code == _CLEARTEXT:
        session.send(frames.message(b"p", frames.cstring(password)))
    else:
        from dos.store.pgwire.auth import md5_response

        response = md5_response(target.startup["user"], password, body[4:8])
        session.send(frames.message(b"p", response))
    return None


def _start_scram(session: Session, password: str) -> Scram:
    from dos.store.pgwire.auth import Scram

    scram = Scram(password)
    first = scram.first().encode()
    payload = frames.cstring(_MECHANISM) + len(first).to_bytes(4, "big") + first
    session.send(frames.message(b"p", payload))
    return scram


def _password(target: Target) -> str:
    """The password the server asks for; a password file is psycopg's to read."""
    if target.password is not None:
        return target.password
    if os.path.exists(target.passfile):  # noqa: PTH110
        raise Unsupported("a password file")
    raise OperationalError("fe_sendauth: no password supplied")


def _refusal(target: Target, found: dict[str, str]) -> Exception:
    """The server's FATAL answer, as libpq words it."""
    if target.sslmode == "allow":  # libpq would retry over TLS: psycopg can
        return Unsupported("sslmode=allow refused in plain text")
    severity = found.get("S", "FATAL")
    return OperationalError(f"{severity}:  {found.get('M', 'unknown error')}")
