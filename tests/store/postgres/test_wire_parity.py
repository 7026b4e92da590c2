"""A fast path fails like the slow path: the built-in client and psycopg, fed the same
bad URL, dead server or misbehaving server, end in the same DosError with the same
exit code, message and hint."""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from tests._support.fake_pg import Peer, fake_server, ready
from tests._support.postgres import write_workspace

from dos.errors import DosError
from dos.store import open_store

pytestmark = pytest.mark.postgres

DRIVERS = ("wire", "psycopg")


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _hangs_up(peer: Peer) -> None:
    peer.greet()
    ready(peer)
    peer.read()


def _hangs_up_mid_answer(peer: Peer) -> None:
    _hangs_up(peer)
    peer.send(b"T", b"\x00\x01a\x00" + bytes(18))  # one column described, then silence


def _shuts_down(peer: Peer) -> None:
    _hangs_up(peer)
    peer.error("57P01", "terminating connection due to administrator command")


def _claims_a_huge_message(peer: Peer) -> None:
    _hangs_up(peer)
    peer.sock.sendall(b"T\x7f\xff\xff\xff")


def _failure(url: str, driver: str, monkeypatch: pytest.MonkeyPatch,
             shown_port: int | None = None) -> tuple[object, ...]:
    monkeypatch.setenv("DOS_PG_DRIVER", driver)
    store = open_store(url, workspace_id="ws-parity")
    with pytest.raises(DosError) as caught, store.transaction(write=False):
        pass
    error = caught.value
    shown = [str(error), error.hint]
    if shown_port is not None:
        shown = [text.replace(str(shown_port), "PORT") for text in shown]
    return type(error).__name__, error.exit_code, *shown


def _server_url(postgres_url: str, **parts: str) -> str:
    return urlsplit(postgres_url)._replace(**parts).geturl()


BAD_URLS: dict[str, tuple[Callable[[str], str], int, str]] = {
    "wrong database": (lambda url: _server_url(url, path="/no_such_db"), 74,
                       'database "no_such_db" does not exist'),
    "unknown role": (lambda url: _server_url(url, netloc="nobody_here@127.0.0.1:5432"), 74,
                     'role "nobody_here" does not exist'),
    "unknown query keyword": (lambda url: url + "?color=blue", 2, "invalid URI query parameter"),
    "broken escape": (lambda url: url + "%zz", 2, "invalid percent-encoded token"),
    "port not a number": (lambda url: _server_url(url, netloc="postgres@127.0.0.1:abc"), 2,
                          'invalid integer value "abc"'),
    "port out of range": (lambda url: _server_url(url, netloc="postgres@127.0.0.1:99999"), 2,
                          "invalid port number"),
    "sslmode misspelt": (lambda url: url + "?sslmode=sometimes", 2, "invalid sslmode value"),
    "connect_timeout misspelt": (lambda url: url + "?connect_timeout=soon", 2,
                                 "bad value for connect_timeout"),
    "unknown server setting": (lambda url: url + "?options=-cno_such_setting%3D1", 74,
                               'unrecognized configuration parameter "no_such_setting"'),
    "unresolvable host": (lambda url: _server_url(url, netloc="postgres@no-such-host.invalid"),
                          74, "failed to resolve host 'no-such-host.invalid'"),
}


@pytest.mark.parametrize("case", list(BAD_URLS))
def test_a_bad_url_fails_alike(case: str, postgres_url: str,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    make, code, words = BAD_URLS[case]
    url = make(postgres_url)
    wire, slow = (_failure(url, driver, monkeypatch) for driver in DRIVERS)
    assert wire == slow
    assert wire[1] == code
    assert words in wire[2]


@pytest.mark.parametrize(("script", "words"), [
    (_hangs_up, "consuming input failed: server closed the connection unexpectedly"),
    (_hangs_up_mid_answer, "consuming input failed: server closed the connection"),
    (_shuts_down, "terminating connection due to administrator command"),
])
def test_a_server_that_goes_away_fails_alike(script: Callable[[Peer], None], words: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    found = []
    for driver in DRIVERS:
        with fake_server(script) as port:
            found.append(_failure(f"postgresql://dos@127.0.0.1:{port}/db", driver, monkeypatch,
                                  shown_port=port))
    assert found[0] == found[1]
    assert found[0][:2] == ("StoreError", 74)
    assert f"cannot be reached: {words}" in found[0][2]


def _never_answers(peer: Peer) -> None:
    peer.sock.settimeout(2.5)  # psycopg may keep its socket open after giving up
    with contextlib.suppress(TimeoutError):
        while peer.sock.recv(1024):  # until the client gives up and hangs up
            pass


def test_a_server_that_never_answers_times_out_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    found = []
    for driver in DRIVERS:
        with fake_server(_never_answers) as port:
            started = time.monotonic()
            found.append(_failure(f"postgresql://dos@127.0.0.1:{port}/db?connect_timeout=2",
                                  driver, monkeypatch, shown_port=port))
            assert 1.5 < time.monotonic() - started < 10
    assert found[0] == found[1]
    assert "cannot be reached: connection timeout expired" in str(found[0][2])


def test_a_dead_port_fails_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    port = _closed_port()
    url = f"postgresql://dos:s3cr3t@127.0.0.1:{port}/db"
    wire, slow = (_failure(url, driver, monkeypatch) for driver in DRIVERS)
    assert wire == slow
    assert f'connection to server at "127.0.0.1", port {port} failed: Connection refused' \
        in wire[2]
    assert "s3cr3t" not in wire[2] + wire[3]


def test_an_absurd_message_length_ends_the_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """psycopg runs out of memory for it ("refused"); the wire client refuses the length
    and drops the connection. Either way the store is unreadable (74)."""
    found = []
    for driver in DRIVERS:
        with fake_server(_claims_a_huge_message) as port:
            found.append(_failure(f"postgresql://dos@127.0.0.1:{port}/db", driver, monkeypatch))
    assert [found[0][1], found[1][1]] == [74, 74]
    assert "invalid message length 2147483647" in found[0][2]


def test_the_cli_answers_a_dead_server_alike(tmp_path: Path) -> None:
    ws = write_workspace(tmp_path, f"postgresql://dos@127.0.0.1:{_closed_port()}/db", "ws-parity")
    answers = []
    for driver in DRIVERS:
        ran = ws.proc("lease-lane", "acquire", "--json", "--lane", "src", "--owner", "A",
                      DOS_PG_DRIVER=driver)
        answers.append((ran.code, ran.json()["outcome"], ran.json()["reason"]))
    assert answers[0] == answers[1]
    assert answers[0][:2] == (74, "STORE_UNREADABLE")
    assert "Connection refused" in answers[0][2]
