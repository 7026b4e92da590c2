"""dos export --to statsd: one tagged counter per (syscall, verdict) over real UDP; a
port nobody listens on is a failed export, not a success."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests._support.leases import Ran, Workspace
from tests._support.receivers import closed_port, datagrams, udp_receiver
from tests._support.verdicts import remembered, seed, verdict

from dos.record.export_drain import CURSOR_NAMESPACE


def _history(workspace: Workspace) -> None:
    seed(workspace.config(),
         verdict("verify", "NOT_SHIPPED", subject="AUTH::AUTH2"),
         verdict("verify", "NOT_SHIPPED", subject="AUTH::AUTH3"),
         verdict("verify", "SHIPPED", subject="AUTH::AUTH1"),
         verdict("hook_exit", "WARN", lane="src"),
         verdict("odd|name,#x", "A:B @c"))


def test_datagrams_counted_and_tagged(workspace: Workspace,
                                      dos_run: Callable[..., Ran]) -> None:
    _history(workspace)
    with udp_receiver() as sock:
        port = str(sock.getsockname()[1])
        ran = dos_run("export", "--to", "statsd", "--host", "127.0.0.1", "--port", port)
        assert ran.code == 0, ran.err
        got = datagrams(sock, 4)
    assert got == ["dos.verdict:2|c|#syscall:verify,verdict:NOT_SHIPPED",
                   "dos.verdict:1|c|#syscall:verify,verdict:SHIPPED",
                   "dos.verdict:1|c|#syscall:hook_exit,verdict:WARN",
                   "dos.verdict:1|c|#syscall:odd_name__x,verdict:A_B__c"]
    assert "sent 4 datagram(s) for 5 event(s)" in ran.out
    assert "unacknowledged" in ran.out
    assert remembered(workspace.config(), CURSOR_NAMESPACE, "statsd") == 5


def test_settings_from_the_environment(workspace: Workspace, dos_run: Callable[..., Ran],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    seed(workspace.config(), verdict("verify", "SHIPPED"))
    with udp_receiver() as sock:
        monkeypatch.setenv("DOS_STATSD_HOST", "127.0.0.1")
        monkeypatch.setenv("DOS_STATSD_PORT", str(sock.getsockname()[1]))
        assert dos_run("export", "--to", "statsd").code == 0
        assert datagrams(sock, 1) == ["dos.verdict:1|c|#syscall:verify,verdict:SHIPPED"]


@pytest.mark.parametrize("lines", [1, 4])  # one datagram: only the wait hears the refusal
def test_a_closed_port_is_not_delivered(workspace: Workspace, dos_run: Callable[..., Ran],
                                        lines: int) -> None:
    if lines == 1:
        seed(workspace.config(), verdict("verify", "SHIPPED"))
    else:
        _history(workspace)
    ran = dos_run("--json", "export", "--to", "statsd", "--port", str(closed_port()))
    assert ran.code == 1
    payload = ran.json()
    assert payload["verdict"] == "NOT_EXPORTED"
    assert payload["result"]["exported"] == 0
    assert "refused by 127.0.0.1" in payload["result"]["detail"]
    assert payload["cursor"] == {"before": 0, "after": 0, "saved": False}
    assert remembered(workspace.config(), CURSOR_NAMESPACE, "statsd") is None


@pytest.mark.parametrize(("argv", "message"), [
    (["--port", "0"], "--port must be an integer from 1 to 65535"),
    (["--port", "70000"], "--port must be an integer from 1 to 65535"),
    (["--port", "x"], "--port must be an integer from 1 to 65535"),
    (["--port", "²"], "--port must be an integer from 1 to 65535"),
    (["--host", "a b"], "is not a host name"),
    (["--host", "x" * 300], "is not a host name"),
])
def test_bad_settings_are_usage_errors(workspace: Workspace, dos_run: Callable[..., Ran],
                                       argv: list[str], message: str) -> None:
    ran = dos_run("export", "--to", "statsd", *argv)
    assert ran.code == 2
    assert message in ran.err
