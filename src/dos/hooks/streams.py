"""Stalled tool streams: the same tool, the same input and a byte-identical result
several times in a row. Only the trailing run is kept, per session, in the store's
memory table, so the state never grows with the session."""

from __future__ import annotations

import hashlib
import json

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

__all__ = ["NAMESPACE", "Step", "advance", "classify", "digest", "step_of"]

NAMESPACE = "tool_stream"


def digest(value: object) -> str:
    """First 16 hex of SHA-256: a string as its UTF-8 bytes, anything else as canonical JSON."""
    text = value if isinstance(value, str) else json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


class Step:
    """One tool call as the stream sees it. ``result`` is None when there was none."""

    __slots__ = ("args", "result", "tool")

    def __init__(self, tool: str, args: str, result: str | None) -> None:
        self.tool, self.args, self.result = tool, args, result


def step_of(tool: str, tool_input: Mapping[str, Any], result: object) -> Step:
    return Step(tool, digest({"input": dict(tool_input), "tool": tool}),
                None if result is None else digest(result))


def advance(state: object, step: Step) -> dict[str, Any]:
    """The trailing run after ``step``: its count grows while the triple repeats; a
    call with no result breaks any run."""
    previous = state if isinstance(state, dict) else {}
    count = previous.get("count", 0)
    same = step.result is not None and (previous.get("tool"), previous.get("args"),
                                        previous.get("result")) == (step.tool, step.args,
                                                                    step.result)
    run = count + 1 if same and isinstance(count, int) else (0 if step.result is None else 1)
    return {"tool": step.tool, "args": step.args, "result": step.result, "count": run}


def classify(count: int, *, repeat_n: int, stall_n: int) -> str:
    """STALLED at ``stall_n`` identical results, REPEATING at ``repeat_n``, else ADVANCING."""
    if count >= stall_n:
        return "STALLED"
    if count >= repeat_n:
        return "REPEATING"
    return "ADVANCING"
