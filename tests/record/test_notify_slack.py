"""dos notify --notifier slack: Web API calls to a local HTTP server standing in for
Slack — chat.postMessage once, then chat.update of the same message per key, with the
message's ts kept in the store; Block Kit; --token is honoured."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from tests._support.leases import Ran, Workspace
from tests._support.receivers import Receiver, Request, http_receiver
from tests._support.verdicts import arbiter_refusal, halt_proposal, remembered, seed


@dataclass
class FakeSlack:
    """Answers like the Web API: every message gets a new ts; updates need a known one."""

    receiver: Receiver | None = None
    posted: set[str] = field(default_factory=set)
    fail_with: str = ""
    counter: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def answer(self, request: Request) -> tuple[int, str, bytes]:
        body = request.json()
        if self.fail_with:
            reply: dict[str, Any] = {"ok": False, "error": self.fail_with}
        elif request.path == "/api/chat.postMessage":
            ts = f"1700000000.{next(self.counter):06d}"
            self.posted.add(ts)
            reply = {"ok": True, "channel": "C0CHANNEL1", "ts": ts}
        elif request.path == "/api/chat.update" and body.get("ts") in self.posted:
            reply = {"ok": True, "channel": body["channel"], "ts": body["ts"]}
        else:
            reply = {"ok": False, "error": "message_not_found"}
        return 200, "application/json", json.dumps(reply).encode()

    @property
    def calls(self) -> list[tuple[str, dict[str, Any]]]:
        assert self.receiver is not None
        return [(r.path.rsplit("/", 1)[1], r.json()) for r in self.receiver.requests]


@pytest.fixture
def slack(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSlack]:
    fake = FakeSlack()
    with http_receiver(fake.answer) as receiver:
        fake.receiver = receiver
        monkeypatch.setenv("DOS_SLACK_API_URL", f"{receiver.url}/api")
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-env-token")
        yield fake


def _notify(dos_run: Callable[..., Ran], surface: str, *extra: str) -> Ran:
    return dos_run("--json", "notify", surface, "--notifier", "slack", "--channel",
                   "C0CHANNEL1", *extra)


def test_posts_once_then_edits_in_place(workspace: Workspace, dos_run: Callable[..., Ran],
                                        slack: FakeSlack) -> None:
    seed(workspace.config(), arbiter_refusal("global"))
    first = _notify(dos_run, "decisions")
    assert first.code == 0, first.err
    assert first.json()["result"]["ref"] == "1700000000.000001"
    done = dos_run("decisions", "resolve", "1", "--dismiss", "--owner", "op")
    assert done.code == 0, done.err
    second = _notify(dos_run, "decisions")
    assert second.code == 0, second.err
    assert second.json()["result"]["detail"] == "updated message 1700000000.000001 in C0CHANNEL1"
    assert [method for method, _ in slack.calls] == ["chat.postMessage", "chat.update"]
    _, update = slack.calls[1]
    assert update["channel"] == "C0CHANNEL1"
    assert update["ts"] == "1700000000.000001"
    assert update["text"] == "· [INFO] fleet clear — no pending decisions"
    assert remembered(workspace.config(), "notify-slack", "C0CHANNEL1|dos-decisions") == {
        "channel": "C0CHANNEL1", "ts": "1700000000.000001"}
    assert slack.receiver is not None
    assert {r.headers["authorization"] for r in slack.receiver.requests} == {
        "Bearer xoxb-env-token"}


def test_each_key_has_its_own_message(workspace: Workspace, dos_run: Callable[..., Ran],
                                      slack: FakeSlack) -> None:
    assert _notify(dos_run, "decisions").code == 0
    assert _notify(dos_run, "top").code == 0
    assert _notify(dos_run, "top").code == 0
    assert [method for method, _ in slack.calls] == [
        "chat.postMessage", "chat.postMessage", "chat.update"]


def test_block_kit_message(workspace: Workspace, dos_run: Callable[..., Ran],
                           slack: FakeSlack) -> None:
    seed(workspace.config(), arbiter_refusal("docs"))
    halt_proposal(workspace.config(), reason="<!channel> & co", command=None)
    assert _notify(dos_run, "decisions").code == 0
    method, message = slack.calls[0]
    assert method == "chat.postMessage"
    assert message["channel"] == "C0CHANNEL1"
    assert message["text"] == "▲ [URGENT] 2 decisions need you"
    kinds = [block["type"] for block in message["blocks"]]
    assert kinds == ["header", "section", "section", "context"]
    assert message["blocks"][0]["text"] == {"type": "plain_text", "emoji": True,
                                            "text": "▲ [URGENT] 2 decisions need you"}
    fields = [item["text"] for item in message["blocks"][2]["fields"]]
    assert fields == ["*LIVENESS @ src*\n&lt;!channel&gt; &amp; co",
                      "*ARBITER_REFUSE @ docs*\nEXCLUSIVE_LANE_BUSY"]
    assert "key dos-decisions" in message["blocks"][3]["elements"][0]["text"]


def test_the_token_flag_is_honoured(workspace: Workspace, dos_run: Callable[..., Ran],
                                    slack: FakeSlack, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    assert _notify(dos_run, "top", "--token", "xoxb-flag").code == 0
    assert slack.receiver is not None
    assert slack.receiver.requests[0].headers["authorization"] == "Bearer xoxb-flag"


def test_a_lost_message_is_posted_again(workspace: Workspace, dos_run: Callable[..., Ran],
                                        slack: FakeSlack) -> None:
    assert _notify(dos_run, "top").code == 0
    slack.posted.clear()  # someone deleted the message
    again = _notify(dos_run, "top")
    assert again.code == 0
    assert [method for method, _ in slack.calls] == [
        "chat.postMessage", "chat.update", "chat.postMessage"]
    assert again.json()["result"]["ref"] == "1700000000.000002"


@pytest.mark.parametrize("error", ["invalid_auth", "channel_not_found"])
def test_slack_saying_no_is_exit_1(workspace: Workspace, dos_run: Callable[..., Ran],
                                   slack: FakeSlack, error: str) -> None:
    slack.fail_with = error
    ran = _notify(dos_run, "top")
    assert ran.code == 1
    assert ran.json()["verdict"] == "NOT_DELIVERED"
    assert ran.json()["result"]["detail"] == f"chat.postMessage failed: {error}"


def test_rate_limited_is_exit_1(workspace: Workspace, dos_run: Callable[..., Ran],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    with http_receiver(lambda _r: (429, "application/json", b'{"ok": false}')) as limited:
        monkeypatch.setenv("DOS_SLACK_API_URL", limited.url)
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-x")
        ran = _notify(dos_run, "top")
    assert ran.code == 1
    assert "rate limited" in ran.json()["result"]["detail"]


@pytest.mark.parametrize(("argv", "unset", "message"), [
    ([], "SLACK_BOT_TOKEN", "no Slack token"),
    (["--channel", "has space"], "", "is not a channel id or #name"),
])
def test_missing_settings_are_usage_errors(workspace: Workspace, dos_run: Callable[..., Ran],
                                           *, slack: FakeSlack, monkeypatch: pytest.MonkeyPatch,
                                           argv: list[str], unset: str, message: str) -> None:
    if unset:
        monkeypatch.delenv(unset)
    ran = dos_run("notify", "top", "--notifier", "slack", *(argv or ["--channel", "C1"]))
    assert ran.code == 2
    assert message in ran.err
    assert slack.calls == []


def test_no_channel_is_a_usage_error(workspace: Workspace, dos_run: Callable[..., Ran],
                                     slack: FakeSlack) -> None:
    ran = dos_run("notify", "top", "--notifier", "slack")
    assert ran.code == 2
    assert "no Slack channel" in ran.err
    assert slack.calls == []
