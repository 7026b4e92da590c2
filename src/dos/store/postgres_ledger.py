"""Attempts and the intent ledger on PostgreSQL (mixed into
:class:`dos.store.postgres_tx.PostgresTx`).

Writers hold the workspace's advisory lock for their whole transaction (taken by
:class:`dos.store.postgres.PostgresStore` as it begins), so a run's ``max(seq) + 1``
read inside it is gap-free and never handed out twice.
"""

from __future__ import annotations

from dos.store.attempt_writer import AttemptWriter
from dos.store.chain import GENESIS_HASH
from dos.store.rows import ATTEMPT_COLUMNS, INTENT_COLUMNS

TYPE_CHECKING = False  # typing costs start-up time on every hook call
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from dos.store.attempts import AttemptRecord
    from dos.store.intents import IntentEntry, IntentRecord
    from dos.store.journal import JournalRecord
    from dos.store.postgres_api import PgConnection

__all__ = ["PostgresLedger"]

_ATTEMPT_INSERT = (f"INSERT INTO dos_attempts (workspace, {ATTEMPT_COLUMNS}) "  # noqa: S608 - constant
                   "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING")
_INTENT_INSERT = (f"INSERT INTO dos_intents (workspace, {INTENT_COLUMNS}) "  # noqa: S608 - constant
                  "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)")


class PostgresLedger(AttemptWriter):
    """Attempt and intent queries inside one open PostgreSQL transaction."""

    workspace: str
    _conn: PgConnection

    if TYPE_CHECKING:  # provided by PostgresTx
        def now_ms(self) -> int: ...
        def _one(self, sql: str, *args: Any) -> tuple[Any, ...] | None: ...
        def _all(self, sql: str, *args: Any) -> list[tuple[Any, ...]]: ...

    def _put_attempts(self, found: Sequence[AttemptRecord]) -> None:
        rows = [(self.workspace, *attempt.row()) for attempt in found]
        if rows:
            self._conn.executemany(_ATTEMPT_INSERT, rows)

    def _project_attempts(self, records: Sequence[JournalRecord]) -> None:
        attempted = [record for record in records if record.op == "ATTEMPT"]
        if not attempted:
            return
        from dos.store.attempts import attempt_of

        self._put_attempts([found for record in attempted if (found := attempt_of(record))])

    def attempts(self, *, unit_id: str | None = None, since_ms: int | None = None,
                 after_seq: int = 0, limit: int = 1000,
                 newest_first: bool = False) -> list[AttemptRecord]:
        from dos.store.attempts import attempt_from_row

        where, args = "workspace = %s AND seq > %s", list[object]([after_seq])
        if unit_id is not None:
            where += " AND unit_id = %s"
            args.append(unit_id)
        if since_ms is not None:
            where += " AND attempted_at_ms >= %s"
            args.append(since_ms)
        key = "attempted_at_ms" if unit_id is not None else "seq"
        order = f"{key} DESC, seq DESC" if newest_first else f"{key}, seq"
        rows = self._all(f"SELECT {ATTEMPT_COLUMNS} FROM dos_attempts WHERE {where} "  # noqa: S608 - fixed
                         f"ORDER BY {order} LIMIT %s", *args, limit)
        return [attempt_from_row(row) for row in rows]

    def last_attempts(self, unit_ids: Sequence[str]) -> dict[str, tuple[int, int]]:
        wanted = list(dict.fromkeys(unit_ids))
        if not wanted:
            return {}
        rows = self._all("SELECT unit_id, count(*), max(attempted_at_ms) FROM dos_attempts "
                         "WHERE workspace = %s AND unit_id = ANY(%s) GROUP BY unit_id", wanted)
        return {str(unit): (int(count), int(last)) for unit, count, last in rows}

    def load_attempts(self, records: Sequence[AttemptRecord]) -> None:
        self._put_attempts(records)

    # the intent ledger

    def append_intent(self, entry: IntentEntry) -> IntentRecord:
        from dos.store.intents import seal_intent

        row = self._one("SELECT seq, hash FROM dos_intents WHERE workspace = %s "
                        "AND run_id = %s ORDER BY seq DESC LIMIT 1", entry.run_id)
        seq, prev_hash = (int(row[0]), str(row[1])) if row else (0, GENESIS_HASH)
        record = seal_intent(entry, seq=seq + 1, ts_ms=self.now_ms(), prev_hash=prev_hash)
        # It travels with the next statement, the COMMIT at the latest (see execute_later).
        self._conn.execute_later(_INTENT_INSERT, (self.workspace, *record.row()))
        return record

    def intents(self, run_id: str, *, limit: int = 100_000) -> list[IntentRecord]:
        from dos.store.intents import intent_from_row

        rows = self._all(f"SELECT {INTENT_COLUMNS} FROM dos_intents WHERE workspace = %s "  # noqa: S608 - constant
                         "AND run_id = %s ORDER BY seq LIMIT %s", run_id, limit)
        return [intent_from_row(row) for row in rows]

    def runs_with_intents(self, *, limit: int = 100_000) -> list[str]:
        rows = self._all("SELECT DISTINCT run_id FROM dos_intents WHERE workspace = %s "
                         "ORDER BY run_id LIMIT %s", limit)
        return [str(row[0]) for row in rows]

    def load_intents(self, records: Sequence[IntentRecord]) -> None:
        rows = [(self.workspace, *record.row()) for record in records]
        if rows:
            self._conn.executemany(_INTENT_INSERT, rows)
