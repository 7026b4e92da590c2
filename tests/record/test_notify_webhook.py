"""dos notify --notifier webhook: a JSON POST with a bearer token to a local HTTP server
standing in for the remote one; 2xx is delivered, anything else is exit 1, and only
http(s) URLs are ever opened."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator

import pytest
from tests._support.leases import Ran, Workspace
from tests._support.receivers import Receiver, closed_port, http_receiver, ok_json
from tests._support.verdicts import arbiter_refusal, halt_proposal, seed


@pytest.fixture
def hook() -> Iterator[Receiver]:
    with http_receiver(ok_json({"ok": True})) as receiver:
        yield receiver


def _history(workspace: Workspace) -> None:
    seed(workspace.config(), arbiter_refusal("global"), arbiter_refusal("global"))
    halt_proposal(workspace.config())


def test_posts_the_notification_with_a_bearer_token(workspace: Workspace,
                                                     dos_run: Callable[..., Ran],
                                                     hook: Receiver) -> None:
    _history(workspace)
    ran = dos_run("notify", "decisions", "--notifier", "webhook", "--url", f"{hook.url}/dos",
                  "--token", "s3cret")
    assert ran.code == 0, ran.err
    assert f"→ sent via webhook: posted to {hook.url}/dos: HTTP 200" in ran.out
    [request] = hook.requests
    assert request.path == "/dos"
    assert request.headers["authorization"] == "Bearer s3cret"
    assert request.headers["content-type"].startswith("application/json")
    assert request.headers["user-agent"].startswith("dos-notify/webhook")
    body = request.json()
    assert body["severity"] == "URGENT"
    assert body["title"] == "2 decisions need you"
    assert body["key"] == "dos-decisions"
    assert body["fields"] == [
        ["LIVENESS @ src", "watchdog: SPINNING (alive, no forward progress)  ⟶ stop: kill 42"],
        ["ARBITER_REFUSE @ global", "EXCLUSIVE_LANE_BUSY (\u00d72)"]]
    assert body["text"].startswith("▲ [URGENT] 2 decisions need you\n2 pending (HUMAN:2)")


def test_url_and_token_from_the_environment(workspace: Workspace, dos_run: Callable[..., Ran],
                                            hook: Receiver,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOS_WEBHOOK_URL", hook.url)
    monkeypatch.setenv("DOS_WEBHOOK_TOKEN", "from-env")
    ran = dos_run("--json", "notify", "top", "--notifier", "webhook")
    assert ran.code == 0
    assert ran.json()["verdict"] == "DELIVERED"
    assert ran.json()["result"] == {"delivered": True, "ref": "200",
                                    "detail": f"posted to {hook.url}: HTTP 200"}
    assert hook.requests[0].headers["authorization"] == "Bearer from-env"
    assert "authorization" not in hook.requests[0].json()


@pytest.mark.parametrize(("status", "shown"), [(500, "HTTP 500 Internal Server Error"),
                                              (404, "HTTP 404 Not Found"),
                                              (302, "HTTP 302 Found")])
def test_a_non_2xx_answer_is_not_delivered(workspace: Workspace, dos_run: Callable[..., Ran],
                                           status: int, shown: str) -> None:
    with http_receiver(ok_json({"error": "nope"}, status=status)) as failing:
        ran = dos_run("notify", "decisions", "--notifier", "webhook", "--url", failing.url)
    assert ran.code == 1
    assert f"→ NOT sent via webhook: {failing.url} answered {shown}" in ran.out


def test_nobody_listening_is_exit_1(workspace: Workspace, dos_run: Callable[..., Ran]) -> None:
    url = f"http://127.0.0.1:{closed_port(kind=socket.SOCK_STREAM)}/x"
    ran = dos_run("notify", "top", "--notifier", "webhook", "--url", url)
    assert ran.code == 1
    assert "NOT sent via webhook: no answer from" in ran.out


def test_a_slow_remote_times_out(workspace: Workspace, dos_run: Callable[..., Ran]) -> None:
    def slow(_request: object) -> tuple[int, str, bytes]:
        time.sleep(1.5)
        return 200, "application/json", b"{}"

    with http_receiver(slow) as sleepy:
        started = time.monotonic()
        ran = dos_run("notify", "top", "--notifier", "webhook", "--url", sleepy.url,
                      "--timeout", "0.3")
        assert time.monotonic() - started < 1.4
    assert ran.code == 1
    assert "Timeout" in ran.out


def test_dry_run_sends_nothing(workspace: Workspace, dos_run: Callable[..., Ran],
                               hook: Receiver) -> None:
    ran = dos_run("--json", "notify", "top", "--notifier", "webhook", "--url", hook.url,
                  "--dry-run")
    assert ran.code == 0
    assert ran.json()["verdict"] == "DRY_RUN"
    assert hook.requests == []


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://h",
                                 "http://", "127.0.0.1:80/x", "http://h/\nx"])
def test_only_http_urls_are_opened(workspace: Workspace, dos_run: Callable[..., Ran],
                                   url: str) -> None:
    ran = dos_run("notify", "decisions", "--notifier", "webhook", "--url", url)
    assert ran.code == 2, ran.out
    assert "is not an http(s) URL" in ran.err
    assert ran.out == ""


def test_no_url_is_a_usage_error(workspace: Workspace, dos_run: Callable[..., Ran]) -> None:
    ran = dos_run("notify", "decisions", "--notifier", "webhook")
    assert ran.code == 2
    assert "no webhook URL" in ran.err
    assert "fix: pass --url" in ran.err


def test_url_secrets_are_not_shown(workspace: Workspace, dos_run: Callable[..., Ran],
                                   hook: Receiver) -> None:
    secret_url = hook.url.replace("http://", "http://user:pw@") + "/in?key=abc"
    ran = dos_run("notify", "top", "--notifier", "webhook", "--url", secret_url)
    assert ran.code == 0, ran.err
    assert "pw" not in ran.out
    assert "abc" not in ran.out
    assert hook.requests[0].path == "/in?key=abc"


def test_a_missing_httpx_is_exit_2_with_the_install_command(workspace: Workspace) -> None:
    code = ("import sys; sys.modules['httpx'] = None; from dos.cli import main; "
            f"sys.exit(main(['--workspace', {str(workspace.path)!r}, 'notify', 'top', "
            "'--notifier', 'webhook', '--url', 'http://127.0.0.1:9']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 2, done.stderr
    assert "pip install 'dispatch-os[notify]'" in done.stderr
