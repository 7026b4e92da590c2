"""What the HTTP notifiers share: URL and token checks at the edge, and one JSON POST
through httpx (the ``[notify]`` extra) that never raises for a network failure."""

from __future__ import annotations

import math
import re
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

from dos._version import __version__
from dos.errors import UsageError
from dos.structs import struct

__all__ = ["Answer", "check_timeout", "check_token", "check_url", "load_httpx", "post_json",
           "shown_url"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def load_httpx(who: str) -> ModuleType:
    try:
        import httpx
    except ImportError:
        raise UsageError(f"the {who} notifier needs httpx, which is not installed",
                         hint="pip install 'dispatch-os[notify]'") from None
    return httpx


def check_url(url: str, what: str, fix: str) -> str:
    """``url`` if it is an http(s) URL with a host; anything else (file://, …) is exit 2."""
    try:
        parts = urlsplit(url)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        valid = False
    if not valid or len(url) > 2048 or _CONTROL.search(url):
        raise UsageError(f"{what} {shown_url(url)[:120]!r} is not an http(s) URL", hint=fix)
    return url


def shown_url(url: str) -> str:
    """``url`` without its user info or query (they may hold secrets)."""
    try:
        parts = urlsplit(url)
        host = parts.netloc.rpartition("@")[2]
    except ValueError:
        return "<unparsable URL>"
    return f"{parts.scheme}://{host}{parts.path}"


def check_token(token: str, what: str) -> str:
    if _CONTROL.search(token) or len(token) > 4096:
        raise UsageError(f"the {what} has control characters or is too long",
                         hint=f"pass the {what} as one line of text")
    return token


def check_timeout(raw: float | None) -> float:
    value = 10.0 if raw is None else float(raw)
    if not (math.isfinite(value) and 0 < value <= 300):
        raise UsageError(f"--timeout must be 0 < seconds <= 300, got {raw}",
                         hint="e.g. --timeout 10")
    return value


@struct
class Answer:
    """An HTTP answer (``status`` 0 when none came), its JSON body if it had one."""

    status: int
    reason: str
    body: Any = None
    error: str = ""
    retry_after: str = ""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def post_json(httpx: ModuleType, url: str, payload: Any, *, token: str, timeout: float,
              agent: str) -> Answer:
    headers = {"Content-Type": "application/json; charset=utf-8",
               "User-Agent": f"dos-notify/{agent} dos/{__version__}"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        response = httpx.post(url, json=payload, headers=headers, timeout=timeout,
                              follow_redirects=False)
    except httpx.HTTPError as exc:
        return Answer(0, "", error=f"{type(exc).__name__}: {exc}")
    try:
        body = response.json()
    except ValueError:
        body = None
    return Answer(response.status_code, response.reason_phrase, body,
                  retry_after=response.headers.get("Retry-After", ""))
