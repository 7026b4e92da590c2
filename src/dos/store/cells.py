"""Values read back from the store, checked before anything uses them.

A cell of the wrong type or out of range (a text TTL, a negative time, a NaN, a JSON
payload that is not an object, or nested too deep) was written by hand or by a broken
tool: it is a :class:`~dos.errors.StoreError` (exit 74) naming the row and column,
never a traceback further on. Shared by every backend; cheap, because every hook call
decodes the live leases.
"""

from __future__ import annotations

from dos import _fastjson as jsonc
from dos.errors import StoreError

TYPE_CHECKING = False  # typing costs start-up time on every hook call
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from dos.admission.lease import Lease
    from dos.store.journal import JournalRecord
    from dos.store.verdicts import VerdictRecord

__all__ = [
    "MAX_DEPTH",
    "MAX_MS",
    "check_int",
    "json_object",
    "json_value",
    "lease_from_values",
    "record_from_row",
    "unreadable",
    "verdict_from_row",
]

MAX_MS = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z: no real stamp or TTL is larger
MAX_DEPTH = 64  # JSON nesting dos itself never comes near
_MAX_PID = 2**31 - 1
_HINT = ("the value was changed outside dos: restore the store from a backup, or check it "
         "with `dos journal verify`")
_MODES = ("exclusive", "shared")


def unreadable(what: str, problem: str) -> StoreError:
    """The error for a cell that is not what dos wrote: ``what`` names it."""
    return StoreError(f"{what} in the store is unreadable: {problem}", hint=_HINT)


_bad = unreadable


def check_int(value: object, what: str, *, low: int = 0, high: int = MAX_MS) -> int:
    """``value`` if it is an integer in ``[low, high]`` (a bool or float is not)."""
    if type(value) is not int:
        raise _bad(what, f"it holds {value!r}, not an integer")
    if not low <= value <= high:
        raise _bad(what, f"{value} is outside {low}..{high}")
    return value


def _text(value: object, what: str) -> str:
    if type(value) is not str:
        raise _bad(what, f"it holds {value!r}, not text")
    return value


def _checked_json(value: Any, what: str) -> Any:
    """``value`` if every float in it is finite and it nests at most MAX_DEPTH deep."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                raise _bad(what, f"its JSON nests deeper than {MAX_DEPTH} levels")
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children
                         if isinstance(child, dict | list | float))
        elif isinstance(item, float) and item - item != 0.0:  # NaN or an infinity
            raise _bad(what, f"its JSON holds a non-finite number ({item})")
    return value


def json_value(text: object, what: str) -> Any:
    """Any JSON value stored as text, checked (finite, bounded nesting)."""
    if not isinstance(text, str):
        raise _bad(what, f"it holds {type(text).__name__}, not JSON text")
    try:
        value = jsonc.loads(text, max_depth=MAX_DEPTH)
    except RecursionError:
        raise _bad(what, f"its JSON nests deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:  # the parser refuses too deep a document as not JSON
        if str(exc).startswith("Nesting deeper than"):
            raise _bad(what, f"its JSON nests deeper than {MAX_DEPTH} levels") from None
        raise _bad(what, "it is not valid JSON") from None
    return _checked_json(value, what)


def json_object(text: object, what: str) -> dict[str, Any]:
    """A JSON object stored as text, checked."""
    value = json_value(text, what)
    if not isinstance(value, dict):
        raise _bad(what, f"its JSON is a {type(value).__name__}, not an object")
    return value


def _tree(raw: object, what: str) -> tuple[str, ...]:
    if isinstance(raw, str):  # SQLite keeps the tree as a JSON array
        raw = json_value(raw, what)
    if not isinstance(raw, list | tuple) or not all(type(glob) is str for glob in raw):
        raise _bad(what, "it is not an array of glob strings")
    return tuple(raw)


def lease_from_values(values: dict[str, Any]) -> Lease:
    """A lease from its columns (by name), every cell checked."""
    from dos.admission.lease import Lease

    lease_id = check_int(values["lease_id"], "a lease's lease_id", low=1, high=2**63 - 1)
    what = f"lease #{lease_id}"
    for name in ("lane", "holder", "host_id", "run_id", "loop_ts", "release_kind",
                 "start_sha"):
        _text(values[name], f"{what} ({name})")
    exclusive = values["exclusive_lane"]
    if exclusive not in (0, 1) or type(exclusive) not in (int, bool):
        raise _bad(f"{what} (exclusive_lane)", f"it holds {exclusive!r}, not a boolean")
    if values["mode"] not in _MODES:
        raise _bad(f"{what} (mode)", f"{values['mode']!r} is not one of {', '.join(_MODES)}")
    for name in ("acquired_at_ms", "renewed_at_ms"):
        check_int(values[name], f"{what} ({name})")
    check_int(values["ttl_ms"], f"{what} (ttl_ms)", low=1)
    if values["released_at_ms"] is not None:
        check_int(values["released_at_ms"], f"{what} (released_at_ms)")
    if values["pid"] is not None:
        check_int(values["pid"], f"{what} (pid)", high=_MAX_PID)
    values["tree"] = _tree(values["tree"], f"{what} (tree)")
    values["exclusive_lane"] = bool(exclusive)
    return Lease(**values)


def record_from_row(row: Sequence[Any]) -> JournalRecord:
    """A journal row (in ``rows.JOURNAL_COLUMNS`` order) as a record, every cell checked.

    A record whose cells are well-formed but changed is left to the hash check, which
    names its seq.
    """
    from dos.store.journal import JournalRecord

    seq = check_int(row[0], "a journal record's seq", low=1, high=2**63 - 1)
    what = f"journal record seq {seq}"
    for index, name in ((2, "op"), (3, "lane"), (4, "holder"), (5, "run_id"), (6, "loop_ts"),
                        (9, "prev_hash"), (10, "hash")):
        _text(row[index], f"{what} ({name})")
    if row[7] is not None:
        check_int(row[7], f"{what} (lease_id)", high=2**63 - 1)
    return JournalRecord(
        seq=seq, ts_ms=check_int(row[1], f"{what} (ts_ms)"), op=row[2], lane=row[3],
        holder=row[4], run_id=row[5], loop_ts=row[6], lease_id=row[7],
        payload=json_object(row[8], f"{what} (payload)"), prev_hash=row[9], hash=row[10])


def verdict_from_row(row: Sequence[Any]) -> VerdictRecord:
    """A verdict journal row (in ``rows.VERDICT_COLUMNS`` order) as a record, every cell
    checked. A record whose cells are well-formed but changed is left to the hash check."""
    from dos.store.verdicts import VerdictRecord

    seq = check_int(row[0], "a verdict record's seq", low=1, high=2**63 - 1)
    what = f"verdict record seq {seq}"
    for index, name in ((2, "syscall"), (3, "verdict"), (4, "subject"), (5, "run_id"),
                        (6, "lane"), (7, "source"), (9, "prev_hash"), (10, "hash")):
        _text(row[index], f"{what} ({name})")
    return VerdictRecord(
        seq=seq, ts_ms=check_int(row[1], f"{what} (ts_ms)"), syscall=row[2], verdict=row[3],
        subject=row[4], run_id=row[5], lane=row[6], source=row[7],
        detail=json_object(row[8], f"{what} (detail)"), prev_hash=row[9], hash=row[10])
