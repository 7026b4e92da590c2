"""The Slack notifier: one Block Kit message per notification key, edited in place.

Web API ``chat.postMessage`` the first time, ``chat.update`` afterwards (the message's
``ts`` is kept per channel and key in the store). Token ``token`` > ``$SLACK_BOT_TOKEN``;
channel ``channel`` > ``$DOS_SLACK_CHANNEL``; API base ``$DOS_SLACK_API_URL`` (default
https://slack.com/api). A missing token or channel is a usage error (exit 2).
"""

from __future__ import annotations

import os
import re
from typing import Any

from dos.errors import DosError, UsageError
from dos.record.notifiers import KeyMemory, Notification, NotifyResult
from dos.record.notifiers._http import (
    Answer,
    check_timeout,
    check_token,
    check_url,
    load_httpx,
    post_json,
    shown_url,
)
from dos.record.notifiers.slack_blocks import blocks

__all__ = ["DEFAULT_API", "SlackNotifier"]

DEFAULT_API = "https://slack.com/api"
_CHANNEL = re.compile(r"^#?[A-Za-z0-9._-]{1,80}$")
_GONE = frozenset({"message_not_found", "cant_update_message", "edit_window_closed"})


def _channel(raw: str) -> str:
    if not raw:
        raise UsageError("no Slack channel", hint="pass --channel C0123456789 (a channel "
                         "id or #name), or set $DOS_SLACK_CHANNEL")
    if not _CHANNEL.match(raw):
        raise UsageError(f"Slack channel {raw[:80]!r} is not a channel id or #name",
                         hint="pass --channel C0123456789 or --channel '#ops'")
    return raw


class SlackNotifier:
    name = "slack"

    def __init__(self, channel: str | None = None, token: str | None = None,
                 timeout: float | None = None, memory: KeyMemory | None = None) -> None:
        self.token = check_token(token or os.environ.get("SLACK_BOT_TOKEN", ""), "Slack token")
        if not self.token:
            raise UsageError("no Slack token", hint="set $SLACK_BOT_TOKEN (a bot token, "
                             "xoxb-…) or pass --token")
        self.channel = _channel(channel or os.environ.get("DOS_SLACK_CHANNEL", ""))
        self.api = check_url(os.environ.get("DOS_SLACK_API_URL", "") or DEFAULT_API,
                             "DOS_SLACK_API_URL", "unset it, or point it at an http(s) "
                             "Slack API base URL").rstrip("/")
        self.timeout, self.memory = check_timeout(timeout), memory
        self.target = f"{self.channel} via {shown_url(self.api)}"
        self._httpx = load_httpx("slack")

    def _call(self, method: str, payload: dict[str, Any]) -> Answer:
        return post_json(self._httpx, f"{self.api}/{method}", payload, token=self.token,
                         timeout=self.timeout, agent="slack")

    def send(self, note: Notification) -> NotifyResult:
        message = {"text": note.headline(), "blocks": blocks(note)}
        key = f"{self.channel}|{note.key}"
        kept = self.memory.get(key) if self.memory is not None else None
        if isinstance(kept, dict) and kept.get("ts") and kept.get("channel"):
            answer = self._call("chat.update", {**message, "channel": kept["channel"],
                                                "ts": kept["ts"]})
            if _ok(answer):
                return NotifyResult(True, f"updated message {kept['ts']} in {self.channel}",
                                    ref=str(kept["ts"]))
            if _error(answer) not in _GONE:
                return NotifyResult(False, f"chat.update failed: {_error(answer)}")
        answer = self._call("chat.postMessage", {**message, "channel": self.channel})
        if not _ok(answer):
            return NotifyResult(False, f"chat.postMessage failed: {_error(answer)}")
        ts, where = str(answer.body.get("ts", "")), str(answer.body.get("channel", ""))
        return NotifyResult(True, f"posted message {ts} to {self.channel}"
                            + self._keep(key, where or self.channel, ts), ref=ts)

    def _keep(self, key: str, channel: str, ts: str) -> str:
        if self.memory is None or not ts:
            return ""
        try:
            self.memory.put(key, {"channel": channel, "ts": ts})
        except DosError as exc:  # posted all the same: the next run posts a new message
            return f" (not remembered for editing: {exc.message})"
        return ""


def _ok(answer: Answer) -> bool:
    return answer.ok and isinstance(answer.body, dict) and answer.body.get("ok") is True


def _error(answer: Answer) -> str:
    if answer.error:
        return f"no answer: {answer.error}"
    if answer.status == 429:
        return f"rate limited (retry after {answer.retry_after or '?'} s)"
    if isinstance(answer.body, dict) and answer.body.get("error"):
        return str(answer.body["error"])[:200]
    return f"HTTP {answer.status} {answer.reason}".rstrip()
