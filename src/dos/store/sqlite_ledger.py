"""Attempts and the intent ledger on SQLite (mixed into :class:`dos.store.sqlite_tx.SqliteTx`).

Their modules are imported by the methods that use them: a hook call reads leases only.
A run's next ``seq`` is its head's plus one, read inside the ``BEGIN IMMEDIATE``
transaction that inserts it: writers take turns, so a run's chain has no gaps.
"""

from __future__ import annotations

from dos.store.attempt_writer import AttemptWriter
from dos.store.rows import ATTEMPT_COLUMNS, INTENT_COLUMNS

TYPE_CHECKING = False  # typing costs start-up time on every hook call
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Sequence
    from typing import Any

    from dos.store.attempts import AttemptRecord
    from dos.store.intents import IntentEntry, IntentRecord
    from dos.store.journal import JournalRecord

__all__ = ["SqliteLedger"]

_ATTEMPT_INSERT = (f"INSERT OR IGNORE INTO attempts ({ATTEMPT_COLUMNS}) "  # noqa: S608 - constant
                   "VALUES (?,?,?,?,?,?,?,?)")
_INTENT_INSERT = (f"INSERT INTO intents ({INTENT_COLUMNS}) "  # noqa: S608 - constant
                  "VALUES (?,?,?,?,?,?,?,?,?)")
_UNITS_PER_QUERY = 500  # bound parameters per statement stay far below SQLite's limit


class SqliteLedger(AttemptWriter):
    """Attempt and intent queries inside one open SQLite transaction."""

    _conn: sqlite3.Connection
    if TYPE_CHECKING:  # provided by SqliteTx
        def now_ms(self) -> int: ...

    def _project_attempt(self, record: JournalRecord) -> None:
        from dos.store.attempts import attempt_of

        found = attempt_of(record)
        if found is not None:
            self._conn.execute(_ATTEMPT_INSERT, found.row())

    def attempts(self, *, unit_id: str | None = None, since_ms: int | None = None,
                 after_seq: int = 0, limit: int = 1000,
                 newest_first: bool = False) -> list[AttemptRecord]:
        where = "seq > ?"
        args: list[Any] = [after_seq]
        if unit_id is not None:
            where += " AND unit_id = ?"
            args.append(unit_id)
        if since_ms is not None:
            where += " AND attempted_at_ms >= ?"
            args.append(since_ms)
        # One unit's attempts come from the index in time order; the rest in seq order.
        key = "attempted_at_ms" if unit_id is not None else "seq"
        order = f"{key} DESC, seq DESC" if newest_first else f"{key}, seq"
        from dos.store.attempts import attempt_from_row

        rows = self._conn.execute(
            f"SELECT {ATTEMPT_COLUMNS} FROM attempts WHERE {where} "  # noqa: S608 - fixed
            f"ORDER BY {order} LIMIT ?", (*args, limit)).fetchall()
        return [attempt_from_row(row) for row in rows]

    def last_attempts(self, unit_ids: Sequence[str]) -> dict[str, tuple[int, int]]:
        wanted = list(dict.fromkeys(unit_ids))
        found: dict[str, tuple[int, int]] = {}
        for start in range(0, len(wanted), _UNITS_PER_QUERY):
            chunk = wanted[start:start + _UNITS_PER_QUERY]
            marks = ",".join("?" * len(chunk))
            rows = self._conn.execute(
                "SELECT unit_id, count(*), max(attempted_at_ms) FROM attempts "  # noqa: S608 - marks
                f"WHERE unit_id IN ({marks}) GROUP BY unit_id", chunk).fetchall()
            found.update((str(unit), (int(count), int(last))) for unit, count, last in rows)
        return found

    def load_attempts(self, records: Sequence[AttemptRecord]) -> None:
        self._conn.executemany(_ATTEMPT_INSERT, [record.row() for record in records])

    # the intent ledger

    def append_intent(self, entry: IntentEntry) -> IntentRecord:
        from dos.store.chain import GENESIS_HASH
        from dos.store.intents import seal_intent

        row = self._conn.execute("SELECT seq, hash FROM intents WHERE run_id = ? "
                                 "ORDER BY seq DESC LIMIT 1", (entry.run_id,)).fetchone()
        seq, prev_hash = (int(row[0]), str(row[1])) if row else (0, GENESIS_HASH)
        record = seal_intent(entry, seq=seq + 1, ts_ms=self.now_ms(), prev_hash=prev_hash)
        self._conn.execute(_INTENT_INSERT, record.row())
        return record

    def intents(self, run_id: str, *, limit: int = 100_000) -> list[IntentRecord]:
        from dos.store.intents import intent_from_row

        rows = self._conn.execute(
            f"SELECT {INTENT_COLUMNS} FROM intents WHERE run_id = ? "  # noqa: S608 - constant
            "ORDER BY seq LIMIT ?", (run_id, limit)).fetchall()
        return [intent_from_row(row) for row in rows]

    def runs_with_intents(self, *, limit: int = 100_000) -> list[str]:
        rows = self._conn.execute("SELECT DISTINCT run_id FROM intents ORDER BY run_id "
                                  "LIMIT ?", (limit,)).fetchall()
        return [str(row[0]) for row in rows]

    def load_intents(self, records: Sequence[IntentRecord]) -> None:
        self._conn.executemany(_INTENT_INSERT, [record.row() for record in records])
