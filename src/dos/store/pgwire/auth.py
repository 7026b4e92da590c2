"""Password authentication: md5 and SCRAM-SHA-256 (RFC 5802, RFC 7677) without
channel binding, which a plain (non-TLS) connection cannot offer anyway."""

from __future__ import annotations

import hashlib
import hmac
import os
from binascii import a2b_base64, b2a_base64

from dos.store.pgwire.errors import OperationalError, Unsupported

__all__ = ["MAX_ITERATIONS", "Scram", "md5_response"]

# A server asking for more PBKDF2 rounds than this is refused, not obeyed for minutes.
MAX_ITERATIONS = 10_000_000
_GS2 = "n,,"  # no channel binding, no authorization identity


def md5_response(user: str, password: str, salt: bytes) -> bytes:
    """The md5 PasswordMessage body: ``md5`` + md5(md5(password + user) + salt)."""
    inner = hashlib.md5((password + user).encode(), usedforsecurity=False).hexdigest()
    outer = hashlib.md5(inner.encode() + salt, usedforsecurity=False).hexdigest()
    return b"md5" + outer.encode() + b"\x00"


def _b64(data: bytes) -> str:
    return b2a_base64(data, newline=False).decode("ascii")


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.digest(key, text.encode(), "sha256")


class Scram:
    """One SCRAM-SHA-256 exchange as the client. PostgreSQL takes the user from the
    startup message, so the SCRAM user name is empty unless a test vector needs one."""

    __slots__ = ("_auth", "_first_bare", "_nonce", "_password", "_server_key")

    def __init__(self, password: str, *, nonce: str | None = None, user: str = "") -> None:
        if not password.isascii():  # libpq SASLprep-normalises; psycopg does it for us
            raise Unsupported("a non-ASCII password")
        self._password = password.encode()
        self._nonce = nonce or _b64(os.urandom(18))
        self._first_bare = f"n={user},r={self._nonce}"
        self._auth = ""
        self._server_key = b""

    def first(self) -> str:
        """client-first-message."""
        return _GS2 + self._first_bare

    def final(self, server_first: str) -> str:
        """client-final-message, answering ``server_first``."""
        attrs = _attributes(server_first)
        nonce, salt, rounds = attrs.get("r", ""), attrs.get("s", ""), attrs.get("i", "")
        if not nonce.startswith(self._nonce) or len(nonce) <= len(self._nonce):
            raise OperationalError("SCRAM: the server's nonce does not extend the client's")
        if not rounds.isdigit() or not 0 < int(rounds) <= MAX_ITERATIONS or not salt:
            raise OperationalError(f"SCRAM: unusable salt or iteration count ({rounds!r})")
        try:
            raw_salt = a2b_base64(salt)
        except ValueError:
            raise OperationalError(f"SCRAM: the salt {salt!r} is not base64") from None
        salted = hashlib.pbkdf2_hmac("sha256", self._password, raw_salt, int(rounds))
        client_key = _hmac(salted, "Client Key")
        without_proof = f"c={_b64(_GS2.encode())},r={nonce}"
        self._auth = f"{self._first_bare},{server_first},{without_proof}"
        signature = _hmac(hashlib.sha256(client_key).digest(), self._auth)
        proof = bytes(a ^ b for a, b in zip(client_key, signature, strict=True))
        self._server_key = _hmac(salted, "Server Key")
        return f"{without_proof},p={_b64(proof)}"

    def verify(self, server_final: str) -> None:
        """Check that the server knew the password too (its signature)."""
        attrs = _attributes(server_final)
        if "e" in attrs:
            raise OperationalError(f"SCRAM: the server refused: {attrs['e']}")
        expected = _b64(_hmac(self._server_key, self._auth))
        if not self._auth or not hmac.compare_digest(attrs.get("v", ""), expected):
            raise OperationalError("SCRAM: the server's signature is wrong: it does not "
                                   "know the password")


def _attributes(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for part in text.split(","):
        name, equals, value = part.partition("=")
        if len(name) != 1 or not equals:
            raise OperationalError(f"SCRAM: malformed server message {text[:80]!r}")
        found.setdefault(name, value)
    return found
