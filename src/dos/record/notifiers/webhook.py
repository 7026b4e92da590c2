"""The webhook notifier: the notification as JSON, POSTed to an http(s) URL.

URL ``url`` > ``$DOS_WEBHOOK_URL``; optional bearer token ``token`` >
``$DOS_WEBHOOK_TOKEN``. The body is the notification plus ``text`` (headline and
summary, for chat webhooks that show only that). A 2xx is delivered; a redirect,
any other status or no answer within the timeout is not.
"""

from __future__ import annotations

import os

from dos.errors import UsageError
from dos.record.notifiers import Notification, NotifyResult
from dos.record.notifiers._http import (
    check_timeout,
    check_token,
    check_url,
    load_httpx,
    post_json,
    shown_url,
)

__all__ = ["WebhookNotifier"]

_FIX = "pass --url https://… (or set $DOS_WEBHOOK_URL); only http and https are sent to"
_TEXT_MAX = 8000


class WebhookNotifier:
    name = "webhook"

    def __init__(self, url: str | None = None, token: str | None = None,
                 timeout: float | None = None) -> None:
        raw = url or os.environ.get("DOS_WEBHOOK_URL", "")
        if not raw:
            raise UsageError("no webhook URL", hint=_FIX)
        self.url = check_url(raw, "webhook URL", _FIX)
        self.token = check_token(token or os.environ.get("DOS_WEBHOOK_TOKEN", ""),
                                 "webhook token")
        self.timeout = check_timeout(timeout)
        self.target = shown_url(self.url)
        self._httpx = load_httpx("webhook")

    def send(self, note: Notification) -> NotifyResult:
        text = f"{note.headline()}\n{note.summary}"[:_TEXT_MAX]
        answer = post_json(self._httpx, self.url, {**note.to_dict(), "text": text},
                           token=self.token, timeout=self.timeout, agent="webhook")
        if answer.error:
            return NotifyResult(False, f"no answer from {self.target}: {answer.error}")
        if not answer.ok:
            return NotifyResult(False, f"{self.target} answered HTTP {answer.status} "
                                       f"{answer.reason}".rstrip(), ref=str(answer.status))
        return NotifyResult(True, f"posted to {self.target}: HTTP {answer.status}",
                            ref=str(answer.status))
