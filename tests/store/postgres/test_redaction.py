"""Item 12: a PostgreSQL password holding '/', '?', '#' or '@' (percent-encoded in the
URL, as it must be) is hidden everywhere a store URL can show: doctor, errors, `dos
store status`, hook stderr. One function (``dos.store.urls.scrub``, with ``redact_url``
under it) does it, for the password as written and percent-decoded."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from tests._support.postgres import PgWorkspace, write_workspace

from dos.errors import EXIT_STORE_UNREADABLE
from dos.store.urls import redact_url, scrub

pytestmark = pytest.mark.postgres

CHARACTERS = ["/", "?", "#", "@"]


def _password(char: str) -> str:
    return f"Sekr{char}tPw"


def _spellings(char: str) -> list[str]:
    """Every way the password could leak: decoded, encoded, and its halves."""
    raw = _password(char)
    return [raw, quote(raw, safe=""), "Sekr", "tPw"]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _assert_hidden(char: str, *texts: str) -> None:
    for text in texts:
        for spelling in _spellings(char):
            assert spelling not in text, (spelling, text)


@pytest.mark.parametrize("char", CHARACTERS)
def test_the_redaction_function_hides_each_character(char: str) -> None:
    encoded = quote(_password(char), safe="")
    url = f"postgresql://dos:{encoded}@db.internal:5432/fleet?sslmode=require"
    assert redact_url(url) == "postgresql://dos:***@db.internal:5432/fleet?sslmode=require"
    message = f"could not connect to {url}: password {_password(char)} rejected ({encoded})"
    shown = scrub(message, url)
    _assert_hidden(char, shown)
    assert "db.internal" in shown
    # Written raw (not percent-encoded), the whole user info still goes.
    raw = f"postgresql://dos:{_password(char)}@db.internal/fleet"
    _assert_hidden(char, redact_url(raw), scrub(f"bad url {raw}", raw))
    param = f"postgresql://db.internal/fleet?user=dos&password={encoded}"
    _assert_hidden(char, redact_url(param))


@pytest.fixture(params=CHARACTERS)
def char(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def down(tmp_path: Path, char: str) -> PgWorkspace:
    """A workspace whose store URL, with the password, points at a closed port."""
    url = f"postgresql://dos:{quote(_password(char), safe='')}@127.0.0.1:{_closed_port()}/test"
    return write_workspace(tmp_path / "down", url, "ws-down")


def test_a_dead_server_never_shows_the_password(down: PgWorkspace, char: str) -> None:
    acquire = down.proc("--json", "lease-lane", "acquire", "--lane", "src", "--owner", "A")
    assert acquire.code == EXIT_STORE_UNREADABLE
    assert "127.0.0.1" in acquire.json()["reason"]
    status = down.proc("store", "status")
    assert status.code == EXIT_STORE_UNREADABLE
    doctor = down.proc("doctor", "--json")
    assert doctor.json()["store"]["reachable"] is False
    verify = down.proc("journal", "verify")
    assert verify.code == EXIT_STORE_UNREADABLE
    _assert_hidden(char, *(ran.out + ran.err for ran in (acquire, status, doctor, verify)))
    assert "***" in status.out + status.err


def test_hook_stderr_never_shows_the_password(down: PgWorkspace, char: str) -> None:
    root = down.path
    payload = json.dumps({
        "session_id": "S", "transcript_path": str(root / "t.jsonl"), "cwd": str(root),
        "permission_mode": "default", "hook_event_name": "PreToolUse", "tool_name": "Edit",
        "tool_input": {"file_path": str(root / "src" / "a.py"), "old_string": "a",
                       "new_string": "b"}, "tool_use_id": "toolu_1"})
    import subprocess

    from tests._support.postgres import child_env

    done = subprocess.run(down.argv("hook", "pretool", "--dialect", "claude-code"),
                          input=payload, capture_output=True, text=True, timeout=60,
                          env=child_env(), check=False)
    assert done.stderr.strip(), "the hook names the store failure on stderr"
    _assert_hidden(char, done.stdout, done.stderr)


def test_a_live_server_with_such_a_password_is_shown_redacted(
        tmp_path: Path, postgres_url: str, workspace_id: str, char: str) -> None:
    parts = urlsplit(postgres_url)  # the test server trusts loopback: any password works
    user = parts.username or "postgres"
    url = parts._replace(netloc=f"{user}:{quote(_password(char), safe='')}@"
                                f"{parts.hostname}:{parts.port or 5432}").geturl()
    workspace = write_workspace(tmp_path / "ws", url, workspace_id)
    assert workspace.proc("lease-lane", "acquire", "--lane", "src", "--owner", "A").code == 0
    status = workspace.proc("store", "status")
    assert status.code == 0, status
    doctor = workspace.proc("doctor")
    _assert_hidden(char, status.out + status.err, doctor.out + doctor.err)
    assert "***" in status.out
