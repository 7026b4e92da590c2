"""One SQLite transaction: the queries behind :class:`dos.store.StoreTx`."""

from __future__ import annotations

from dos.errors import StoreError
from dos.store import test_clock_ms
from dos.store.cells import json_value, lease_from_values, record_from_row
from dos.store.migrations import NAMES_LEASE_SQL, NAMES_RUN_SQL, UNCLEAN_END_SQL
from dos.store.rows import JOURNAL_COLUMNS, LEASE_COLUMNS
from dos.store.sqlite_ledger import SqliteLedger
from dos.store.sqlite_verdicts import SqliteVerdicts

TYPE_CHECKING = False  # typing costs start-up time on every hook call
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Iterable, Sequence
    from typing import Any

    from dos.admission.lease import Lease
    from dos.store.journal import JournalAnchor, JournalEntry, JournalRecord

# dos.store.journal (hashing, dataclasses) is imported by the methods that touch the
# journal: reading leases, which every hook call does, needs none of it.

__all__ = ["SqliteTx"]

_LEASE_SELECT = f"SELECT {', '.join(LEASE_COLUMNS)} FROM leases"  # noqa: S608 - constant
_JOURNAL_INSERT = (f"INSERT INTO journal ({JOURNAL_COLUMNS}) "  # noqa: S608 - constant
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?)")
_LEASE_INSERT = (f"INSERT INTO leases ({', '.join(LEASE_COLUMNS[1:])}) "  # noqa: S608 - constant
                 f"VALUES ({', '.join('?' * (len(LEASE_COLUMNS) - 1))})")
_NOW_SQL = "SELECT CAST(round((julianday('now') - 2440587.5) * 86400000.0) AS INTEGER)"


def _lease(row: tuple[Any, ...]) -> Lease:
    return lease_from_values(dict(zip(LEASE_COLUMNS, row, strict=True)))


def _canonical(value: Any) -> str:
    from dos.store.chain import canonical_json

    return canonical_json(value)


def _run_match(run_id: str, lease_ids: Sequence[int]) -> tuple[str, list[Any]]:
    """The condition for one run's records (empty: none can match) and its values. Each
    arm repeats its partial index's condition, without which SQLite cannot use it; the
    lease ids go as one JSON array, so there is one parameter however many there are."""
    arms: list[str] = []
    args: list[Any] = []
    if run_id:
        arms.append(f"(run_id = ? AND {NAMES_RUN_SQL})")
        args.append(run_id)
    if lease_ids:
        arms.append(f"(lease_id IN (SELECT value FROM json_each(?)) AND {NAMES_LEASE_SQL})")  # noqa: S608 - constant
        args.append("[" + ",".join(str(int(lease_id)) for lease_id in lease_ids) + "]")
    return (f"({' OR '.join(arms)})" if arms else ""), args


def _row(record: JournalRecord) -> tuple[Any, ...]:
    return (record.seq, record.ts_ms, record.op, record.lane, record.holder, record.run_id,
            record.loop_ts, record.lease_id, _canonical(dict(record.payload)),
            record.prev_hash, record.hash)


class SqliteTx(SqliteVerdicts, SqliteLedger):
    """Queries inside one open SQLite transaction (the verdict journal's, the attempts'
    and the intent ledger's: the mixins)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        # The journal's head after this transaction's appends (seq, hash), if any: the
        # store witnesses it outside its tables once the transaction commits.
        self.appended: tuple[int, str] | None = None

    def _one(self, sql: str, args: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
        row: tuple[Any, ...] | None = self._conn.execute(sql, args).fetchone()
        return row

    def now_ms(self) -> int:
        override = test_clock_ms()
        if override is not None:
            return override
        row = self._one(_NOW_SQL)
        return int(row[0]) if row else 0

    # leases

    def unreleased_leases(self) -> list[Lease]:
        rows = self._conn.execute(
            f"{_LEASE_SELECT} WHERE released_at_ms IS NULL ORDER BY lease_id").fetchall()
        return [_lease(row) for row in rows]

    def get_lease(self, lease_id: int) -> Lease | None:
        row = self._one(f"{_LEASE_SELECT} WHERE lease_id = ?", (lease_id,))
        return _lease(row) if row else None

    def leases_ended_since(self, since_ms: int) -> list[Lease]:
        # No ORDER BY: sorting by lease_id would make SQLite scan the whole table
        # instead of the small range of the leases_ended index.
        rows = self._conn.execute(
            f"{_LEASE_SELECT} WHERE released_at_ms IS NOT NULL AND released_at_ms >= ?",
            (since_ms,)).fetchall()
        return sorted((_lease(row) for row in rows), key=lambda lease: lease.lease_id)

    def leases_ended_uncleanly_since(self, since_ms: int) -> list[Lease]:
        # The condition repeats the leases_ended_unclean index's, so SQLite reads that
        # index (which holds no clean release) and nothing else.
        rows = self._conn.execute(
            f"{_LEASE_SELECT} WHERE {UNCLEAN_END_SQL} AND released_at_ms >= ?",
            (since_ms,)).fetchall()
        return sorted((_lease(row) for row in rows), key=lambda lease: lease.lease_id)

    def run_leases(self, run_id: str, *, lane: str = "", loop_ts: str = "") -> list[Lease]:
        found: dict[int, Lease] = {}
        if run_id:
            for row in self._conn.execute(f"{_LEASE_SELECT} WHERE run_id = ?", (run_id,)):
                lease = _lease(row)
                found[lease.lease_id] = lease
        if lane and loop_ts:
            for row in self._conn.execute(f"{_LEASE_SELECT} WHERE loop_ts = ? AND lane = ?",
                                          (loop_ts, lane)):
                lease = _lease(row)
                found[lease.lease_id] = lease
        return [found[key] for key in sorted(found)]

    def holder_leases(self, holder: str, *, limit: int = 256) -> list[Lease]:
        rows = self._conn.execute(f"{_LEASE_SELECT} WHERE holder = ? "
                                  "ORDER BY lease_id DESC LIMIT ?", (holder, limit)).fetchall()
        return [_lease(row) for row in rows]

    def insert_lease(self, lease: Lease) -> Lease:
        values = lease.to_dict()
        values["tree"] = _canonical(list(lease.tree))
        values["exclusive_lane"] = int(lease.exclusive_lane)
        cursor = self._conn.execute(_LEASE_INSERT,
                                    tuple(values[name] for name in LEASE_COLUMNS[1:]))
        found = self.get_lease(int(cursor.lastrowid or 0))
        if found is None:
            raise StoreError("a lease vanished inside its own transaction")
        return found

    def renew_lease(self, lease_id: int, renewed_at_ms: int) -> None:
        self._conn.execute("UPDATE leases SET renewed_at_ms = ? WHERE lease_id = ?",
                           (renewed_at_ms, lease_id))

    def end_lease(self, lease_id: int, *, at_ms: int, kind: str) -> bool:
        cursor = self._conn.execute(
            "UPDATE leases SET released_at_ms = ?, release_kind = ? "
            "WHERE lease_id = ? AND released_at_ms IS NULL", (at_ms, kind, lease_id))
        return cursor.rowcount == 1

    def prune_leases(self, ended_before_ms: int) -> int:
        cursor = self._conn.execute(
            "DELETE FROM leases WHERE released_at_ms IS NOT NULL AND released_at_ms < ?",
            (ended_before_ms,))
        return cursor.rowcount

    # journal

    def _head(self) -> tuple[int, str]:
        from dos.store.chain import GENESIS_HASH

        row = self._one("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1")
        if row is None:
            anchor = self.journal_anchor()
            return (anchor.seq, anchor.hash) if anchor else (0, GENESIS_HASH)
        return int(row[0]), str(row[1])

    def append(self, entry: JournalEntry) -> JournalRecord:
        from dos.store.journal import seal

        seq, prev_hash = self._head()
        record = seal(entry, seq=seq + 1, ts_ms=self.now_ms(), prev_hash=prev_hash)
        self._conn.execute(_JOURNAL_INSERT, _row(record))
        if record.op == "ATTEMPT":
            self._project_attempt(record)
        self.appended = (record.seq, record.hash)
        return record

    def append_many(self, entries: Iterable[JournalEntry], *, ts_ms: int) -> int:
        from dos.store.journal import seal_chain

        seq, prev_hash = self._head()
        records = seal_chain(entries, after_seq=seq, ts_ms=ts_ms, prev_hash=prev_hash)
        self._conn.executemany(_JOURNAL_INSERT, [_row(record) for record in records])
        for record in records:
            if record.op == "ATTEMPT":
                self._project_attempt(record)
        if records:
            self.appended = (records[-1].seq, records[-1].hash)
        return len(records)

    def journal_records(
        self, *, after_seq: int = 0, limit: int = 1000, op: str | None = None,
        since_ms: int | None = None, newest_first: bool = False,
    ) -> list[JournalRecord]:
        where = "seq > ?"  # only fixed fragments are joined; every value is bound
        args: list[Any] = [after_seq]
        if op is not None:
            where += " AND op = ?"
            args.append(op)
        source = "journal"
        if since_ms is not None:
            where += " AND ts_ms >= ?"
            args.append(since_ms)
            # Recent records are few: find them by time, not by walking all history.
            source = "journal INDEXED BY journal_ts"
        order = "DESC" if newest_first else "ASC"
        rows = self._conn.execute(
            f"SELECT {JOURNAL_COLUMNS} FROM {source} WHERE {where} "  # noqa: S608 - fixed
            f"ORDER BY seq {order} LIMIT ?", (*args, limit)).fetchall()
        return [record_from_row(row) for row in rows]

    def run_records(
        self, run_id: str, *, lease_ids: Sequence[int] = (), after_seq: int = 0,
        limit: int = 1000, op: str | None = None, since_ms: int | None = None,
    ) -> list[JournalRecord]:
        where, args = _run_match(run_id, lease_ids)
        if not where:
            return []
        # The op and time terms are filters on the run's few records (the leading +
        # keeps SQLite from reading every record of that op, or since that moment).
        if op is not None:
            where += " AND +op = ?"
            args.append(op)
        if since_ms is not None:
            where += " AND +ts_ms >= ?"
            args.append(since_ms)
        rows = self._conn.execute(
            f"SELECT {JOURNAL_COLUMNS} FROM journal WHERE seq > ? AND {where} "  # noqa: S608 - fixed
            "ORDER BY seq LIMIT ?", (after_seq, *args, limit)).fetchall()
        return [record_from_row(row) for row in rows]

    def run_in_journal(self, run_id: str) -> bool:
        return bool(run_id) and self._one(
            f"SELECT 1 FROM journal WHERE run_id = ? AND {NAMES_RUN_SQL} LIMIT 1",  # noqa: S608 - constant
            (run_id,)) is not None

    def journal_count(self) -> int:
        row = self._one("SELECT count(*) FROM journal")
        return int(row[0]) if row else 0

    def journal_anchor(self) -> JournalAnchor | None:
        from dos.store.journal import JournalAnchor

        row = self._one("SELECT seq, hash FROM journal_anchor ORDER BY seq DESC LIMIT 1")
        return JournalAnchor(seq=int(row[0]), hash=str(row[1])) if row else None

    def drop_journal_through(self, anchor: JournalAnchor) -> int:
        row = self._one("SELECT count(*) FROM journal WHERE seq <= ?", (anchor.seq,))
        dropped = int(row[0]) if row else 0
        self._conn.execute(
            "INSERT INTO journal_anchor (seq, hash, compacted_ms, dropped) VALUES (?,?,?,?)",
            (anchor.seq, anchor.hash, self.now_ms(), dropped))
        self._conn.execute("DELETE FROM journal WHERE seq <= ?", (anchor.seq,))
        return dropped

    # counters, memory

    def counter(self, scope: str) -> int | None:
        row = self._one("SELECT value, typeof(value) FROM counters WHERE scope = ?", (scope,))
        if row is None:
            return None
        if row[1] != "integer" or row[0] < 0:
            raise StoreError(
                f"the counter of scope {scope!r} is corrupted (it holds {row[0]!r})",
                hint="ids are never reused, so dos will not restart it: set it to at least "
                     "the last id handed out (see the ID_ALLOC records in `dos journal tail 0`)")
        return int(row[0])

    def set_counter(self, scope: str, value: int) -> None:
        self._conn.execute(
            "INSERT INTO counters (scope, value, updated_ms) VALUES (?, ?, ?) "
            "ON CONFLICT (scope) DO UPDATE SET value = excluded.value, "
            "updated_ms = excluded.updated_ms", (scope, value, self.now_ms()))

    def recall(self, namespace: str, key: str) -> Any:
        row = self._one("SELECT value_json FROM memory WHERE namespace = ? AND key = ?",
                        (namespace, key))
        return None if row is None else self._json(row[0], f"memory {namespace}/{key}")

    def remember(self, namespace: str, key: str, value: Any) -> None:
        self._conn.execute(
            "INSERT INTO memory (namespace, key, value_json, updated_ms) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (namespace, key) DO UPDATE SET value_json = excluded.value_json, "
            "updated_ms = excluded.updated_ms",
            (namespace, key, _canonical(value), self.now_ms()))

    def forget(self, namespace: str, key: str) -> None:
        self._conn.execute("DELETE FROM memory WHERE namespace = ? AND key = ?",
                           (namespace, key))

    @staticmethod
    def _json(text: str, what: str) -> Any:
        return json_value(text, what)

    # whole-history copy (dos store copy)

    def counters(self) -> dict[str, int]:
        rows = self._conn.execute("SELECT scope FROM counters ORDER BY scope").fetchall()
        return {str(scope): self.counter(str(scope)) or 0 for (scope,) in rows}

    def memories(self) -> list[tuple[str, str, Any]]:
        rows = self._conn.execute(
            "SELECT namespace, key, value_json FROM memory ORDER BY namespace, key").fetchall()
        return [(ns, key, self._json(text, f"memory {ns}/{key}")) for ns, key, text in rows]

    def load_records(self, records: Sequence[JournalRecord]) -> None:
        self._conn.executemany(_JOURNAL_INSERT, [_row(record) for record in records])
        if records:
            self.appended = (records[-1].seq, records[-1].hash)

    def load_lease(self, lease: Lease) -> None:
        values = lease.to_dict()
        values["tree"] = _canonical(list(lease.tree))
        values["exclusive_lane"] = int(lease.exclusive_lane)
        self._conn.execute(
            f"INSERT INTO leases ({', '.join(LEASE_COLUMNS)}) "  # noqa: S608 - constant
            f"VALUES ({', '.join('?' * len(LEASE_COLUMNS))})",
            tuple(values[name] for name in LEASE_COLUMNS))
