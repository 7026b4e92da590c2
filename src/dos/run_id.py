"""Run ids: sortable, decodable to their mint time, with lineage through a parent.

Format: ``RID-`` + 9 Crockford base32 digits of epoch milliseconds + 6 digits of a
per-process sequence mixed with process entropy — 19 upper-case characters.
"""

from __future__ import annotations

import _thread
import os
import time

from dos.structs import struct

__all__ = ["ALPHABET", "RunId", "is_run_id", "lineage_env", "mint", "parse", "ts_ms_of"]

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "RID-"
_TS_DIGITS = 9
_TAIL_DIGITS = 6
_TS_LIMIT = 32**_TS_DIGITS
_TAIL_LIMIT = 32**_TAIL_DIGITS
_DECODE = {char: index for index, char in enumerate(ALPHABET)}
# Crockford aliases: letters people confuse with digits decode as those digits.
_DECODE.update({"I": 1, "L": 1, "O": 0})


def _encode(value: int, width: int) -> str:
    digits = []
    for _ in range(width):
        value, digit = divmod(value, 32)
        digits.append(ALPHABET[digit])
    return "".join(reversed(digits))


def _decode(text: str) -> int | None:
    value = 0
    for char in text.upper():
        digit = _DECODE.get(char)
        if digit is None:
            return None
        value = value * 32 + digit
    return value


@struct
class RunId:
    """A minted run id with its lineage."""

    run_id: str
    process_id: str
    parent_id: str | None
    root_id: str
    ts_ms: int

    def as_dict(self) -> dict[str, object]:
        return {"parent_id": self.parent_id, "process_id": self.process_id,
                "root_id": self.root_id, "run_id": self.run_id, "ts_ms": self.ts_ms}


class _Sequencer:
    """Tails that increase within a millisecond, so ids minted in one millisecond
    sort in mint order; the timestamp itself is always the clock's."""

    def __init__(self) -> None:
        self._lock = _thread.allocate_lock()
        self._last_ms = -1
        self._tail = 0
        self._pid = -1

    def next(self, ts_ms: int) -> tuple[int, int]:
        with self._lock:
            if self._pid != os.getpid():  # a forked child must not repeat its parent
                self._pid, self._last_ms = os.getpid(), -1
            if ts_ms != self._last_ms:
                self._last_ms = ts_ms
                # Start low in the tail space so many ids fit in one millisecond.
                import secrets  # hashlib and random: only minting pays for them

                self._tail = secrets.randbelow(_TAIL_LIMIT // 4)
            elif self._tail + 1 < _TAIL_LIMIT:
                self._tail += 1
            else:  # over 800 million ids in one millisecond: wrap rather than lie
                self._tail = 0
            return self._last_ms, self._tail


_SEQUENCER = _Sequencer()


def is_run_id(text: object) -> bool:
    """True for a well-formed run id (the ``RID-`` prefix and digits, any case)."""
    if not isinstance(text, str) or len(text) != len(PREFIX) + _TS_DIGITS + _TAIL_DIGITS:
        return False
    if text[: len(PREFIX)].upper() != PREFIX:
        return False
    return _decode(text[len(PREFIX):]) is not None


def ts_ms_of(run_id: str) -> int | None:
    """The epoch milliseconds a run id was minted at, or None if it is not a run id."""
    if not is_run_id(run_id):
        return None
    return _decode(run_id[len(PREFIX): len(PREFIX) + _TS_DIGITS])


def _parse_parent(parent: RunId | str) -> RunId:
    if isinstance(parent, RunId):
        return parent
    ts_ms = ts_ms_of(parent)
    if ts_ms is None:
        raise ValueError(f"parent {parent!r} is not a run id (expected RID- and 15 digits)")
    normal = parent.upper()
    return RunId(run_id=normal, process_id="", parent_id=None, root_id=normal, ts_ms=ts_ms)


def mint(
    process: str,
    parent: RunId | str | None = None,
    *,
    root: str | None = None,
    clock_ms: int | None = None,
) -> RunId:
    """Mint a run id for ``process``; a ``parent`` (id or RunId) gives lineage."""
    name = process.strip()
    if not name:
        raise ValueError("a run id needs a non-empty process name")
    ts_ms = int(time.time() * 1000) if clock_ms is None else clock_ms
    if not 0 <= ts_ms < _TS_LIMIT:
        raise ValueError(f"clock {ts_ms} ms is outside the run-id range [0, {_TS_LIMIT})")
    ts_ms, tail = _SEQUENCER.next(ts_ms)
    token = PREFIX + _encode(ts_ms, _TS_DIGITS) + _encode(tail, _TAIL_DIGITS)
    process_id = name if name.startswith("PROC-") else f"PROC-{name}"
    parent_run = _parse_parent(parent) if parent is not None else None
    if root is not None and not is_run_id(root):
        raise ValueError(f"root {root!r} is not a run id")
    root_id = (root.upper() if root else None) or (parent_run.root_id if parent_run else token)
    return RunId(run_id=token, process_id=process_id,
                 parent_id=parent_run.run_id if parent_run else None,
                 root_id=root_id, ts_ms=ts_ms)


def parse(run_id: str) -> dict[str, object]:
    """Decode a run id: its canonical form, mint time in ms and ISO-8601 UTC."""
    ts_ms = ts_ms_of(run_id)
    if ts_ms is None:
        raise ValueError(f"{run_id!r} is not a run id (expected RID- and 15 base32 digits)")
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts_ms / 1000))
    return {"run_id": run_id.upper(), "ts_ms": ts_ms,
            "minted_at": f"{stamp}.{ts_ms % 1000:03d}Z"}


def lineage_env(run: RunId) -> dict[str, str]:
    """Environment variables that carry lineage into a child process."""
    env = {"CID_RUN_ID": run.run_id, "CID_ROOT_ID": run.root_id,
           "CID_PROCESS_ID": run.process_id}
    if run.parent_id:
        env["CID_PARENT_ID"] = run.parent_id
    return env
