"""What the temporal verbs share: the ``TOKEN  reason`` verdict line."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from dos.render import emit, paint

TYPE_CHECKING = False  # typing costs start-up time; annotations are strings
if TYPE_CHECKING:
    from typing import Any

__all__ = ["emit_verdict"]

# Green for moving on, yellow for a warning, red for stop; anything else stays plain.
_COLOURS = {"ADVANCING": "green", "PRODUCTIVE": "green", "EFFICIENT": "green",
            "CLOSED": "green", "CLEAR": "green", "SPINNING": "yellow", "DIMINISHING": "yellow",
            "COSTLY": "yellow", "RECENTLY_ATTEMPTED": "yellow", "STALLED": "red",
            "WASTEFUL": "red", "OPEN": "red", "KEEP": "green", "ACCEPT": "green",
            "DISCRIMINATES": "green", "BOUNDED": "green", "PASS": "green", "BELIEVE": "green",
            "ANSWER_SHAPED": "green", "REVERT": "yellow", "ABSTAIN": "yellow",
            "WARN": "yellow", "DEFER": "yellow", "INDETERMINATE": "yellow",
            "ESCALATE": "red", "REJECT_POISON": "red", "REGRESSIVE": "red", "BLOCK": "red",
            "GRANTS_ARBITRARY_EXEC": "red", "UNSUPPORTED": "red", "NON_ANSWER": "red"}


def verdict_line(token: str, reason: str, *, color: bool) -> str:
    """``TOKEN  reason`` (two spaces, the reference's format)."""
    styles = ("bold", _COLOURS[token]) if token in _COLOURS else ("bold",)
    return f"{paint(token, *styles, enabled=color)}  {reason}"


def emit_verdict(token: str, reason: str, payload: Mapping[str, Any], output: str,
                 details: Iterable[str] = ()) -> None:
    """The verdict line and any detail lines, or the payload as one JSON line."""
    extra = list(details)
    emit(payload, output=output,
         text=lambda color: "\n".join([verdict_line(token, reason, color=color), *extra]))
