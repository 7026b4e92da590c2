"""Did a sub-agent's transcript end in a real answer, a harness-made error, or nothing?

States: ``HEALTHY`` (a real model answered), ``SYNTHETIC`` (the harness wrote the
last word: rate limit, auth, server, usage limit), ``EMPTY`` (no answer at all) and
``UNREADABLE`` (the transcript could not be read or parsed: never claimed as a death,
never passed as healthy — it has its own exit code).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dos import _fastjson as jsonc
from dos.structs import struct
from dos.verdicts.transcript import ResultToken

__all__ = ["ResultVerdict", "classify_lines", "classify_transcript"]

HEALTHY, SYNTHETIC, EMPTY, UNREADABLE = "HEALTHY", "SYNTHETIC", "EMPTY", "UNREADABLE"
_CONTENT_BLOCKS = frozenset({"tool_use", "tool_result", "thinking", "image"})
_CLASSES = (
    ("RATE_LIMIT", 429, ("rate limited",)),
    ("AUTH", 401, ("authentication",)),
    ("SERVER", 500, ("internal server error", "server-side")),
    ("USAGE_LIMIT", 403, ("weekly limit", "session limit", "out of extra usage",
                          "disabled claude", "usage limit")),
)
_FAIL_SAFE = "declining to claim a death (fail-safe)"


@struct
class ResultVerdict:
    """The terminal state of one transcript and why."""

    state: str
    reason: str
    error_class: str = "NONE"
    api_status: int | None = None

    @property
    def dead(self) -> bool:
        return self.state in (SYNTHETIC, EMPTY)

    @property
    def token(self) -> ResultToken:
        if self.state == UNREADABLE:
            return ResultToken.UNREADABLE
        return ResultToken.DEAD if self.dead else ResultToken.HEALTHY

    def envelope(self) -> dict[str, Any]:
        if not self.dead:
            return {"all_clear": self.state == HEALTHY, "reason": self.reason,
                    "state": self.state, "verdict": "LIVE" if self.state == HEALTHY else "UNKNOWN"}
        reason_class = (f"RESULT_DEAD_{self.error_class}" if self.state == SYNTHETIC
                        else "RESULT_EMPTY")
        return {"all_clear": False, "api_status": self.api_status, "blocked": True,
                "do_not_render": True, "reason": self.reason, "reason_class": reason_class,
                "state": self.state, "verdict": "WEDGE"}

    def to_dict(self) -> dict[str, Any]:
        return {"api_status": self.api_status, "class": self.error_class, "dead": self.dead,
                "envelope": self.envelope(), "reason": self.reason, "state": self.state}


def _status(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _content(message: dict[str, Any]) -> tuple[bool, str]:
    content = message.get("content")
    if isinstance(content, str):
        return bool(content.strip()), content[:400]
    has, text = False, ""
    for block in content if isinstance(content, list) else []:
        if not isinstance(block, dict):
            continue
        if block.get("type") == "text" and isinstance(block.get("text"), str) and block["text"]:
            has, text = True, text or block["text"][:400]
        elif block.get("type") in _CONTENT_BLOCKS:
            has = True
    return has, text


def _error_class(status: int | None, text: str) -> str:
    lowered = text.lower()
    for name, code, phrases in _CLASSES:
        if status == code or any(p in lowered for p in phrases):
            return name
    return "OTHER"


def _synthetic(record: dict[str, Any], message: dict[str, Any], text: str) -> ResultVerdict:
    status = _status(record.get("apiErrorStatus"))
    error_class = _error_class(status, text)
    marker = ("model=<synthetic>" if message.get("model") == "<synthetic>"
              else "isApiErrorMessage=true")
    corroborated = " + stop_reason=stop_sequence" if message.get("stop_reason") == \
        "stop_sequence" else ""
    shown = f" apiErrorStatus={status}" if status is not None else ""
    return ResultVerdict(SYNTHETIC, f"harness-authored terminal ({marker}{corroborated}{shown})"
                         f" — the result is a {error_class} error string, not a finding; route "
                         "to DEAD and do not fold", error_class, status)


def _parse(line: str) -> dict[str, Any] | None:
    try:
        value = jsonc.loads(line)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def classify_lines(lines: Sequence[str]) -> ResultVerdict:
    """Classify a JSONL transcript already read into lines (pure)."""
    filled = [line for line in lines if line.strip()]
    if not filled:
        return ResultVerdict(UNREADABLE, f"transcript is empty (no records) — {_FAIL_SAFE}")
    records = [_parse(line) for line in filled]
    if records[-1] is None:
        return ResultVerdict(UNREADABLE, "transcript's last line is not a JSON record (garbage or "
                             f"a truncated write) — {_FAIL_SAFE}")
    assistant = [r for r in records if r is not None and isinstance(r.get("message"), dict)
                 and r["message"].get("role") == "assistant"]
    if not assistant:
        return ResultVerdict(EMPTY, "no assistant terminal record found — the worker produced "
                             "no result")
    record = assistant[-1]
    message: dict[str, Any] = record["message"]
    has_content, text = _content(message)
    if message.get("model") == "<synthetic>" or record.get("isApiErrorMessage"):
        return _synthetic(record, message, text)
    if not has_content:
        return ResultVerdict(EMPTY, "terminal assistant record carried no content — no result "
                             "to fold")
    return ResultVerdict(HEALTHY, "terminal assistant record is real-model authored with content")


def classify_transcript(path: Path) -> ResultVerdict:
    """Read and classify a transcript file; a missing or unreadable file is ``UNREADABLE``."""
    from dos.truth.transcript_file import UnreadableTranscriptError, read_transcript_bytes

    try:
        data = read_transcript_bytes(path)
    except OSError as exc:
        return ResultVerdict(UNREADABLE, f"transcript unreadable ({exc.strerror or exc}) — "
                             f"{_FAIL_SAFE}")
    except UnreadableTranscriptError as exc:
        return ResultVerdict(UNREADABLE, f"transcript unreadable ({exc}) — {_FAIL_SAFE}")
    return classify_lines(data.decode("utf-8", "replace").splitlines())
