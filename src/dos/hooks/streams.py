"""The session's tool stream, one small record per session in the store's memory table:
the trailing run of identical calls (the same tool, the same input and a byte-identical
result several times in a row: a stalled stream), and — when ``[precursor]`` gates
tools — the names of the tools the session called, the most recent ``HISTORY_MAX``
distinct ones. Neither grows with the session."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any

__all__ = ["HISTORY_MAX", "KEY_MAX", "NAMESPACE", "NAME_MAX", "Step", "advance", "called_of",
           "classify", "digest", "record_key", "step_of", "with_call"]

NAMESPACE = "tool_stream"
HISTORY_MAX = 128  # distinct tool names kept per session; the oldest is forgotten first
NAME_MAX = 200  # a longer tool name is not kept (it attests nothing)
KEY_MAX = 128  # longer session ids, and ids with control characters, are kept by digest


def record_key(session_id: str, owners: Iterable[str]) -> str:
    """The key of a session's record ("" without a session): the session id (else the
    first of ``owners``) as given when it is short printable text, else ``sha256:`` and
    its digest (a payload's id may be megabytes long, or hold a NUL PostgreSQL text
    cannot). Never a path."""
    key = session_id or min(owners, default="")
    if len(key) <= KEY_MAX and key.isprintable():
        return key
    import hashlib  # only for such an id: hashlib costs hook start-up time

    return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def digest(value: object) -> str:
    """First 16 hex of SHA-256: a string as its UTF-8 bytes, anything else as canonical JSON."""
    import hashlib  # the pretool hook reads the history without either
    import json

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


def called_of(record: object) -> list[str] | None:
    """The tool names a session record holds, oldest first ([] for no record, or one kept
    before ``[precursor]`` was set); None when the record is not one this module wrote."""
    if record is None:
        return []
    if not isinstance(record, dict):
        return None
    called = record.get("called", [])
    if not isinstance(called, list) or len(called) > HISTORY_MAX or not all(
            isinstance(name, str) and 0 < len(name) <= NAME_MAX for name in called):
        return None
    return called


def with_call(record: object, tool: str) -> list[str]:
    """The history after a call of ``tool``: moved to the end, the oldest names dropped
    past ``HISTORY_MAX``. An unreadable history restarts empty: a lost call can only make
    a later gated call be refused, never let through."""
    called = [name for name in called_of(record) or [] if name != tool]
    if 0 < len(tool) <= NAME_MAX:
        called.append(tool)
    return called[-HISTORY_MAX:]
