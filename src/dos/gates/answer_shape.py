"""Is an output shaped like an answer? ANSWER_SHAPED, NON_ANSWER or INDETERMINATE.

Pure. Shape only, never correctness. The built-in signatures are anchored so that real
answers pass: a refusal must open the output, a traceback must *be* the output, a
"let me think" must be where it stops, a ``<thinking>`` tag must stand at a line start.
Each runs in time linear in the output (no two unbounded runs next to each other can
trade characters), so a hostile output cannot stall the check. The caller's own patterns
are matched elsewhere, under a time budget; here their results arrive as ``match`` /
``no-match`` / ``timeout``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from dos.structs import field, struct
from dos.verdicts.gates import AnswerShapeToken

__all__ = ["BUILT_IN", "MATCH", "NO_MATCH", "TIMEOUT", "ShapeEvidence", "ShapeVerdict",
           "classify"]

MATCH, NO_MATCH, TIMEOUT = "match", "no-match", "timeout"
_FLAGS = re.IGNORECASE | re.MULTILINE
BUILT_IN: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern, _FLAGS) for name, pattern in {
        "thinking-tag": r"^[ \t]*</?(?:thinking|scratchpad)>",
        # searched in the tail only, with trailing space, dots and colons cut first
        "stops-at-let-me-think":
            r"\blet me (?:think|reason|check|look into|look at|figure)\b[^.\n:]{0,80}\Z",
        "opens-with-refusal":
            r"\A\s*(?:i'?m sorry,?\s*(?:but\s*)?|i am sorry,?\s*(?:but\s*)?)?i (?:cannot|can't|"
            r"can not|am unable to|'m unable to|won't) (?:help|answer|comply|provide|assist|do "
            r"that)\b",
        "tool-call-line": r"^[ \t]*(?:tool_call|function_call|tool_use)\s*[:({]",
        "is-a-traceback": r"\A\s*Traceback \(most recent call last\)",
    }.items()}
# matched against the stripped text: one run of spaces at most, so linear in its length
_PLACEHOLDER = re.compile(
    r"(?:x+|todo|tbd|fixme|n/?a|none|null|nil|undefined|placeholder|lorem ipsum.*|"
    r"\.{3}|…)\s*[.!]?", re.IGNORECASE | re.DOTALL)
_TAIL = 200  # longer than any "let me think …" ending the tail signature can match
_TRAILING = " \t\r\n\f\v.…:"


@struct
class ShapeEvidence:
    text: str
    min_chars: int = 1
    non_answer: Mapping[str, str] = field(default_factory=dict)  # pattern → match result
    markers: Mapping[str, str] = field(default_factory=dict)


@struct
class ShapeVerdict:
    state: AnswerShapeToken
    length: int
    matched: str | None
    reason: str
    timed_out: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"state": self.state.value, "verdict": self.state.value,
                "length": self.length, "matched": self.matched,
                "is_shippable": self.state is AnswerShapeToken.ANSWER_SHAPED,
                "is_disqualified": self.state is AnswerShapeToken.NON_ANSWER,
                "timed_out": list(self.timed_out), "reason": self.reason}


def classify(evidence: ShapeEvidence) -> ShapeVerdict:
    """The first matching rung of the ladder wins."""
    text = evidence.text
    token, matched, reason = _shape(text, evidence) or _patterns(evidence)
    late = tuple(p for p, got in (*evidence.non_answer.items(), *evidence.markers.items())
                 if got == TIMEOUT)
    return ShapeVerdict(token, len(text), matched, reason, late)


def _shape(text: str, ev: ShapeEvidence) -> tuple[AnswerShapeToken, str | None, str] | None:
    non = AnswerShapeToken.NON_ANSWER
    solid = "".join(text.split())
    if not solid:
        return non, None, "empty / whitespace-only output — nothing was delivered (NON_ANSWER)"
    if not any(char.isalnum() for char in solid):
        return non, None, f"output is punctuation only ({solid[:20]!r}) — no answer in it"
    if _PLACEHOLDER.fullmatch(text.strip()):
        return non, None, f"output is a placeholder ({text.strip()[:40]!r}), not an answer"
    floor = max(1, ev.min_chars)
    if len(solid) < floor:
        return non, None, (f"output is {len(solid)} non-space chars, below the viability floor "
                           f"of {floor} — a stub, not an answer")
    tail = text.rstrip(_TRAILING)[-_TAIL:]
    for name, pattern in BUILT_IN.items():
        if pattern.search(tail if name == "stops-at-let-me-think" else text):
            return non, name, (f"output matched the non-answer signature '{name}' — leaked "
                               "process text or a refusal, not an answer")
    return None


def _patterns(ev: ShapeEvidence) -> tuple[AnswerShapeToken, str | None, str]:
    hit = next((p for p, got in ev.non_answer.items() if got == MATCH), None)
    if hit is not None:
        return AnswerShapeToken.NON_ANSWER, hit, (
            f"output matched the non-answer signature '{hit}' (--non-answer)")
    late = [p for p, got in ev.non_answer.items() if got == TIMEOUT]
    if late:
        return AnswerShapeToken.INDETERMINATE, None, (
            f"the --non-answer pattern '{late[0]}' ran out of its time budget — whether it "
            "matches is unknown")
    if ev.markers:
        found = next((p for p, got in ev.markers.items() if got == MATCH), None)
        if found is None:
            late = [p for p, got in ev.markers.items() if got == TIMEOUT]
            why = (f"the --markers pattern '{late[0]}' ran out of its time budget" if late
                   else "none of the required --markers matched")
            return AnswerShapeToken.INDETERMINATE, None, f"{why} — shape undecided"
        return AnswerShapeToken.ANSWER_SHAPED, found, (
            f"no structural disqualifier and the marker '{found}' matched — shaped like an "
            "answer (NOT a claim of correctness)")
    return AnswerShapeToken.ANSWER_SHAPED, None, (
        "no structural disqualifier — shaped like an answer (NOT a claim of correctness or "
        "relevance; pass --markers to require content)")
