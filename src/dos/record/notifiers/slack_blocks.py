"""A notification as Slack Block Kit: a header, the summary, the fields, a context line.
Text is escaped for mrkdwn and cut to Slack's per-element limits."""

from __future__ import annotations

from typing import Any

from dos.record.notifiers import Notification

__all__ = ["blocks", "mrkdwn"]

_FIELDS_PER_SECTION = 10  # Slack's limit per section block
_MAX_FIELDS = 40


def mrkdwn(text: str) -> str:
    """``text`` safe inside Slack mrkdwn: no accidental links, mentions or markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _field(label: str, value: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": f"*{mrkdwn(label)[:200]}*\n{mrkdwn(value)[:1700]}"}


def blocks(note: Notification) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = [{"type": "header", "text": {
        "type": "plain_text", "text": note.headline()[:150], "emoji": True}}]
    if note.summary:
        found.append({"type": "section",
                      "text": {"type": "mrkdwn", "text": mrkdwn(note.summary)[:2900]}})
    fields = [_field(label, value) for label, value in note.fields[:_MAX_FIELDS]]
    found.extend({"type": "section", "fields": fields[start:start + _FIELDS_PER_SECTION]}
                 for start in range(0, len(fields), _FIELDS_PER_SECTION))
    found.append({"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn(
        f"{note.severity.value} · {note.source} · key {note.key}")[:2900]}]})
    return found
