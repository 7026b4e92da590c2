"""Claims of done work an agent makes when it stops: ``DOS-CLAIM: <plan> <phase>``
lines in its last message, or in its last turn of the transcript."""

from __future__ import annotations

import json
import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["TAIL_BYTES", "claims_in", "last_assistant_turn", "read_transcript_tail"]

TAIL_BYTES = 2_000_000  # only the end of a transcript can hold the last turn
_CLAIM = re.compile(r"^[>*\- \t]*DOS-CLAIM:[ \t]+(\S+)[ \t]+(\S+)[ \t]*$", re.MULTILINE)
_TEXT_BLOCKS = ("text", "output_text")


def claims_in(texts: Iterable[str]) -> list[tuple[str, str]]:
    """(plan, phase) claims in order, without duplicates."""
    found: dict[tuple[str, str], None] = {}
    for text in texts:
        for match in _CLAIM.finditer(text):
            found.setdefault((match.group(1), match.group(2)), None)
    return list(found)


def _message(record: object) -> dict[str, object] | None:
    """The chat message of one transcript line (Claude Code or Codex layout)."""
    if not isinstance(record, dict):
        return None
    for key in ("message", "payload"):
        inner = record.get(key)
        if isinstance(inner, dict) and "role" in inner:
            return inner
    return record if "role" in record else None


def _texts(content: object) -> tuple[list[str], bool]:
    """The text of a message's content, and whether a person typed it (not a tool result)."""
    if isinstance(content, str):
        return [content], True
    if not isinstance(content, list):
        return [], False
    texts = [block["text"] for block in content if isinstance(block, dict)
             and block.get("type") in (*_TEXT_BLOCKS, "input_text")
             and isinstance(block.get("text"), str)]
    return texts, bool(texts)


def last_assistant_turn(lines: Iterable[str]) -> list[str]:
    """Every assistant text since the last message a user typed."""
    turn: list[str] = []
    for line in lines:
        try:
            message = _message(json.loads(line))
        except (ValueError, RecursionError):  # a torn line, or one nested past the stack
            continue
        if message is None:
            continue
        texts, typed = _texts(message.get("content"))
        if message.get("role") == "user" and typed:
            turn = []
        elif message.get("role") == "assistant":
            turn.extend(texts)
    return turn


def read_transcript_tail(path: str) -> list[str]:
    """The lines at the end of a JSONL transcript (an unreadable file has none)."""
    try:
        with open(path, "rb") as handle:  # noqa: PTH123 - a plain file read on the hook path
            handle.seek(0, 2)
            size = handle.tell()
            handle.seek(max(0, size - TAIL_BYTES))
            data = handle.read()
    except (OSError, ValueError):
        return []
    lines = data.decode("utf-8", "replace").splitlines()
    return lines[1:] if size > TAIL_BYTES else lines
