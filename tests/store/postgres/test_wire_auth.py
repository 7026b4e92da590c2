"""The wire client's password exchanges. The test server trusts loopback, so the real
server computes the secrets (a role's md5 hash and SCRAM verifier, read back from
pg_authid) and a scripted server checks the client's answers against them; the SCRAM
arithmetic is also checked against RFC 7677's published exchange."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from base64 import b64decode, b64encode
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from tests._support.fake_pg import Peer, fake_server, ready

from dos.store import pgwire
from dos.store.pgwire.auth import Scram
from dos.store.pgwire.connection import Connection
from dos.store.pgwire.errors import OperationalError, Unsupported

pytestmark = pytest.mark.postgres

PASSWORD = "s3cret-Pw:with;odd=chars"  # noqa: S105 - a test role's, dropped after


def test_scram_matches_the_rfc_7677_example() -> None:
    scram = Scram("pencil", nonce="rOprNGfwEbeRWgbNEkqO", user="user")
    assert scram.first() == "n,,n=user,r=rOprNGfwEbeRWgbNEkqO"
    server_first = ("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                    "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")
    assert scram.final(server_first) == (
        "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
        "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")
    scram.verify("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
    with pytest.raises(OperationalError, match="signature"):
        scram.verify("v=" + "A" * 43 + "=")


@pytest.fixture
def stored_secret(postgres_url: str) -> Iterator[Callable[[str], tuple[str, str]]]:
    """``make(encryption)``: a role with PASSWORD, and its secret as the server stored it."""
    roles: list[str] = []

    def make(encryption: str) -> tuple[str, str]:
        role = f"dos_auth_{uuid.uuid4().hex[:8]}"
        roles.append(role)
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            conn.execute(sql.SQL("SET password_encryption = {}").format(encryption))
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                sql.Identifier(role), PASSWORD))
            row = conn.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s",
                               (role,)).fetchone()
        assert row is not None
        return role, str(row[0])

    yield make
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        for role in roles:
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.digest(key, text.encode(), "sha256")


def _scram_server(verifier: str, *, forge: bool = False) -> Callable[[Peer], None]:
    """A server holding ``verifier`` (as pg_authid keeps it) that checks the proof."""
    rounds_salt, keys = verifier.removeprefix("SCRAM-SHA-256$").split("$")
    rounds, salt = rounds_salt.split(":")
    stored_key, server_key = (b64decode(part) for part in keys.split(":"))

    def script(peer: Peer) -> None:
        peer.greet()
        peer.auth(10, b"SCRAM-SHA-256\x00\x00")
        _, body = peer.read()
        bare = body.partition(b"\x00")[2][4:].decode().removeprefix("n,,")
        server_first = f"r={bare.split('r=')[1]}server-part,s={salt},i={rounds}"
        peer.auth(11, server_first.encode())
        _, final = peer.read()
        without_proof, _, proof = final.decode().rpartition(",p=")
        message = f"{bare},{server_first},{without_proof}"
        client_key = bytes(a ^ b for a, b in zip(
            b64decode(proof), _hmac(stored_key, message), strict=True))
        if hashlib.sha256(client_key).digest() != stored_key:
            peer.error("28P01", f'password authentication failed for user "{peer.startup["user"]}"')
            return
        signature = _hmac(b"forged" if forge else server_key, message)
        peer.auth(12, b"v=" + b64encode(signature))
        ready(peer)
        peer.read()

    return script


def _connect(port: int, role: str, password: str | None, **env: str) -> Connection:
    secret = "" if password is None else f":{password}"
    return pgwire.connect(f"postgresql://{role}{secret}@127.0.0.1:{port}/db", {}, env)


def test_scram_sha_256_proves_the_password_the_server_stored(
        stored_secret: Callable[[str], tuple[str, str]]) -> None:
    role, verifier = stored_secret("scram-sha-256")
    with fake_server(_scram_server(verifier)) as port:
        conn = _connect(port, role, PASSWORD)
        assert conn.backend_pid == 4242
        conn.close()
        with pytest.raises(OperationalError, match="password authentication failed"):
            _connect(port, role, "not-it")


def test_a_server_that_does_not_know_the_password_is_refused(
        stored_secret: Callable[[str], tuple[str, str]]) -> None:
    role, verifier = stored_secret("scram-sha-256")
    with fake_server(_scram_server(verifier, forge=True)) as port, \
            pytest.raises(OperationalError, match="server's signature is wrong"):
        _connect(port, role, PASSWORD)


def test_md5_answers_with_the_hash_the_server_stored(
        stored_secret: Callable[[str], tuple[str, str]]) -> None:
    role, stored = stored_secret("md5")
    seen: list[bytes] = []

    def script(peer: Peer) -> None:
        peer.greet()
        peer.auth(5, b"salt")
        seen.append(peer.read()[1])
        ready(peer)
        peer.read()

    with fake_server(script) as port:
        _connect(port, role, PASSWORD).close()
    expected = "md5" + hashlib.md5(stored[3:].encode() + b"salt",
                                   usedforsecurity=False).hexdigest()
    assert seen == [expected.encode() + b"\x00"]


def _asks(code: int) -> Callable[[Peer], None]:
    def script(peer: Peer) -> None:
        peer.greet()
        peer.auth(code)
        peer.read()
        ready(peer)
        peer.read()
    return script


def test_cleartext_and_a_missing_password(tmp_path: Path) -> None:
    with fake_server(_asks(3)) as port:
        _connect(port, "someone", PASSWORD).close()
        with pytest.raises(OperationalError, match="fe_sendauth: no password supplied"):
            _connect(port, "someone", None, HOME=str(tmp_path))
        (tmp_path / ".pgpass").write_text("*:*:*:*:pw\n", encoding="utf-8")
        with pytest.raises(Unsupported, match="password file"):  # psycopg reads it
            _connect(port, "someone", None, HOME=str(tmp_path))


def test_an_authentication_method_it_lacks_is_left_to_psycopg() -> None:
    with fake_server(_asks(7)) as port, pytest.raises(Unsupported, match="method 7"):  # GSSAPI
        _connect(port, "someone", PASSWORD)
