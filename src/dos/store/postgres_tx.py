"""One PostgreSQL transaction: the queries behind :class:`dos.store.StoreTx`.

Every statement is scoped to one workspace. Writers hold the workspace's advisory
lock (taken by :class:`dos.store.postgres.PostgresStore`), so ``max(seq) + 1`` is safe.
A trigger notifies ``dos_ops`` of each appended record at commit.
"""

from __future__ import annotations

import time

from dos.errors import StoreError
from dos.store import test_clock_ms
from dos.store.cells import (
    check_int,
    json_value,
    lease_from_values,
    record_from_row,
)
from dos.store.chain import GENESIS_HASH, canonical_json
from dos.store.migrations import NAMES_LEASE_SQL, NAMES_RUN_SQL, UNCLEAN_END_SQL
from dos.store.postgres_ledger import PostgresLedger
from dos.store.postgres_verdicts import PostgresVerdicts
from dos.store.rows import JOURNAL_COLUMNS, LEASE_COLUMNS

TYPE_CHECKING = False  # typing costs start-up time on every hook call
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any

    from dos.admission.lease import Lease
    from dos.store.journal import JournalAnchor, JournalEntry, JournalRecord
    from dos.store.postgres_api import PgConnection

# dos.store.journal (sealing, dataclasses) is imported by the methods that append or
# name an anchor: reading leases, which every hook call does, needs none of it.

__all__ = ["PostgresTx"]

_LEASE_SELECT = (f"SELECT {', '.join(LEASE_COLUMNS)} FROM dos_leases "  # noqa: S608 - constant
                 "WHERE workspace = %s")
_JOURNAL_INSERT = (f"INSERT INTO dos_journal (workspace, {JOURNAL_COLUMNS}) "  # noqa: S608 - constant
                   "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)")


def _lease(row: Sequence[Any]) -> Lease:
    return lease_from_values(dict(zip(LEASE_COLUMNS, row, strict=True)))


class PostgresTx(PostgresVerdicts, PostgresLedger):
    """Queries inside one open PostgreSQL transaction, for one workspace (the verdict
    journal's, the attempts' and the intent ledger's: the mixins)."""

    def __init__(self, conn: PgConnection, workspace: str, clock_ms: int) -> None:
        self._conn = conn
        self.workspace = workspace
        self._clock_ms = clock_ms
        self._started = time.monotonic()
        # The journal's head after this transaction's appends (seq, hash), if any: the
        # store witnesses it outside its tables once the transaction commits.
        self.appended: tuple[int, str] | None = None

    def _one(self, sql: str, *args: Any) -> tuple[Any, ...] | None:
        return self._conn.execute(sql, (self.workspace, *args)).fetchone()

    def _all(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        return self._conn.execute(sql, (self.workspace, *args)).fetchall()

    def _run(self, sql: str, *args: Any) -> int:
        return self._conn.execute(sql, (self.workspace, *args)).rowcount

    def now_ms(self) -> int:
        override = test_clock_ms()
        if override is not None:
            return override
        # The server's clock read when the transaction began, advanced by the local
        # monotonic clock: no skew between hosts, and no round trip per reading.
        return self._clock_ms + int((time.monotonic() - self._started) * 1000)

    # leases

    def unreleased_leases(self) -> list[Lease]:
        rows = self._all(f"{_LEASE_SELECT} AND released_at_ms IS NULL ORDER BY lease_id")
        return [_lease(row) for row in rows]

    def get_lease(self, lease_id: int) -> Lease | None:
        row = self._one(f"{_LEASE_SELECT} AND lease_id = %s", lease_id)
        return _lease(row) if row else None

    def leases_ended_since(self, since_ms: int) -> list[Lease]:
        rows = self._all(f"{_LEASE_SELECT} AND released_at_ms IS NOT NULL "
                         "AND released_at_ms >= %s ORDER BY lease_id", since_ms)
        return [_lease(row) for row in rows]

    def leases_ended_uncleanly_since(self, since_ms: int) -> list[Lease]:
        rows = self._all(f"{_LEASE_SELECT} AND {UNCLEAN_END_SQL} "
                         "AND released_at_ms >= %s ORDER BY lease_id", since_ms)
        return [_lease(row) for row in rows]

    def run_leases(self, run_id: str, *, lane: str = "", loop_ts: str = "") -> list[Lease]:
        rows = self._all(f"{_LEASE_SELECT} AND ((%s <> '' AND run_id = %s) OR "
                         "(%s <> '' AND %s <> '' AND loop_ts = %s AND lane = %s)) "
                         "ORDER BY lease_id", run_id, run_id, lane, loop_ts, loop_ts, lane)
        return [_lease(row) for row in rows]

    def holder_leases(self, holder: str, *, limit: int = 256) -> list[Lease]:
        rows = self._all(f"{_LEASE_SELECT} AND holder = %s ORDER BY lease_id DESC LIMIT %s",
                         holder, limit)
        return [_lease(row) for row in rows]

    def insert_lease(self, lease: Lease) -> Lease:
        return self._put_lease(lease, keep_id=False)

    def _put_lease(self, lease: Lease, *, keep_id: bool) -> Lease:
        values = lease.to_dict()
        columns = LEASE_COLUMNS if keep_id else LEASE_COLUMNS[1:]
        row = self._one(
            f"INSERT INTO dos_leases (workspace, {', '.join(columns)}) "  # noqa: S608 - constant
            f"VALUES (%s, {', '.join(['%s'] * len(columns))}) "
            f"RETURNING {', '.join(LEASE_COLUMNS)}",
            *(values[name] for name in columns))
        if row is None:
            raise StoreError("the store returned no row for an inserted lease")
        return _lease(row)

    def renew_lease(self, lease_id: int, renewed_at_ms: int) -> None:
        # Nothing reads its answer: it travels with the next statement (see execute_later).
        self._conn.execute_later("UPDATE dos_leases SET renewed_at_ms = %s WHERE "
                                 "workspace = %s AND lease_id = %s",
                                 (renewed_at_ms, self.workspace, lease_id))

    def end_lease(self, lease_id: int, *, at_ms: int, kind: str) -> bool:
        return self._conn.execute(
            "UPDATE dos_leases SET released_at_ms = %s, release_kind = %s "
            "WHERE workspace = %s AND lease_id = %s AND released_at_ms IS NULL",
            (at_ms, kind, self.workspace, lease_id)).rowcount == 1

    def prune_leases(self, ended_before_ms: int) -> int:
        return self._run("DELETE FROM dos_leases WHERE workspace = %s "
                         "AND released_at_ms IS NOT NULL AND released_at_ms < %s",
                         ended_before_ms)

    # journal

    def _head(self) -> tuple[int, str]:
        row = self._one("SELECT seq, hash FROM dos_journal WHERE workspace = %s "
                        "ORDER BY seq DESC LIMIT 1")
        if row is None:
            anchor = self.journal_anchor()
            return (anchor.seq, anchor.hash) if anchor else (0, GENESIS_HASH)
        return int(row[0]), str(row[1])

    def _insert_records(self, records: Sequence[JournalRecord]) -> None:
        if not records:
            return
        self.appended = (records[-1].seq, records[-1].hash)
        rows = [(self.workspace, r.seq, r.ts_ms, r.op, r.lane, r.holder, r.run_id,
                 r.loop_ts, r.lease_id, canonical_json(dict(r.payload)), r.prev_hash, r.hash)
                for r in records]
        if len(rows) == 1:  # an append: it travels with the next statement (the COMMIT)
            self._conn.execute_later(_JOURNAL_INSERT, rows[0])
            return
        self._conn.executemany(_JOURNAL_INSERT, rows)

    def append(self, entry: JournalEntry) -> JournalRecord:
        seq, prev_hash = self._head()
        from dos.store.journal import seal

        record = seal(entry, seq=seq + 1, ts_ms=self.now_ms(), prev_hash=prev_hash)
        self._insert_records([record])
        self._project_attempts([record])
        return record

    def append_many(self, entries: Iterable[JournalEntry], *, ts_ms: int) -> int:
        seq, prev_hash = self._head()
        from dos.store.journal import seal_chain

        records = seal_chain(entries, after_seq=seq, ts_ms=ts_ms, prev_hash=prev_hash)
        self._insert_records(records)
        self._project_attempts(records)
        return len(records)

    def journal_records(
        self, *, after_seq: int = 0, limit: int = 1000, op: str | None = None,
        since_ms: int | None = None, newest_first: bool = False,
    ) -> list[JournalRecord]:
        narrower, args = _op_and_since(op, since_ms)
        where = f"workspace = %s AND seq > %s{narrower}"
        order = "DESC" if newest_first else "ASC"
        rows = self._all(f"SELECT {JOURNAL_COLUMNS} FROM dos_journal WHERE {where} "  # noqa: S608 - fixed parts
                         f"ORDER BY seq {order} LIMIT %s", after_seq, *args, limit)
        return [record_from_row(row) for row in rows]

    def run_records(
        self, run_id: str, *, lease_ids: Sequence[int] = (), after_seq: int = 0,
        limit: int = 1000, op: str | None = None, since_ms: int | None = None,
    ) -> list[JournalRecord]:
        # Each arm repeats its partial index's condition; the lease ids go as one array.
        arms, args = [], list[object]()
        if run_id:
            arms.append(f"(run_id = %s AND {NAMES_RUN_SQL})")
            args.append(run_id)
        if lease_ids:
            arms.append(f"(lease_id = ANY(%s) AND {NAMES_LEASE_SQL})")
            args.append([int(lease_id) for lease_id in lease_ids])
        if not arms:
            return []
        narrower, more = _op_and_since(op, since_ms)
        where = f"workspace = %s AND seq > %s AND ({' OR '.join(arms)}){narrower}"
        args += more
        rows = self._all(f"SELECT {JOURNAL_COLUMNS} FROM dos_journal WHERE {where} "  # noqa: S608 - fixed parts
                         "ORDER BY seq LIMIT %s", after_seq, *args, limit)
        return [record_from_row(row) for row in rows]

    def run_in_journal(self, run_id: str) -> bool:
        return bool(run_id) and self._one(
            "SELECT 1 FROM dos_journal WHERE workspace = %s AND run_id = %s "  # noqa: S608 - constant
            f"AND {NAMES_RUN_SQL} LIMIT 1", run_id) is not None

    def journal_count(self) -> int:
        row = self._one("SELECT count(*) FROM dos_journal WHERE workspace = %s")
        return int(row[0]) if row else 0

    def journal_anchor(self) -> JournalAnchor | None:
        row = self._one("SELECT seq, hash FROM dos_journal_anchor WHERE workspace = %s "
                        "ORDER BY seq DESC LIMIT 1")
        if not row:
            return None
        from dos.store.journal import JournalAnchor

        return JournalAnchor(seq=int(row[0]), hash=str(row[1]))

    def drop_journal_through(self, anchor: JournalAnchor) -> int:
        self._conn.execute(
            "INSERT INTO dos_journal_anchor (workspace, seq, hash, compacted_ms, dropped) "
            "SELECT %s, %s, %s, %s, count(*) FROM dos_journal WHERE workspace = %s "
            "AND seq <= %s",
            (self.workspace, anchor.seq, anchor.hash, self.now_ms(), self.workspace,
             anchor.seq))
        # The append-only trigger lets this one transaction drop what the anchor covers.
        self._conn.execute("SET LOCAL dos.allow_compact = 'on'")
        dropped = self._run("DELETE FROM dos_journal WHERE workspace = %s AND seq <= %s",
                            anchor.seq)
        self._conn.execute("SET LOCAL dos.allow_compact = 'off'")
        return dropped

    # counters, memory

    def counter(self, scope: str) -> int | None:
        row = self._one("SELECT value FROM dos_counters WHERE workspace = %s AND scope = %s",
                        scope)
        if row is None:
            return None
        if row[0] < 0:
            raise StoreError(
                f"the counter of scope {scope!r} is corrupted (it holds {row[0]!r})",
                hint="ids are never reused, so dos will not restart it: set it to at least "
                     "the last id handed out (see the ID_ALLOC records in `dos journal tail 0`)")
        return int(row[0])

    def set_counter(self, scope: str, value: int) -> None:
        self._run("INSERT INTO dos_counters (workspace, scope, value, updated_ms) "
                  "VALUES (%s, %s, %s, %s) ON CONFLICT (workspace, scope) DO UPDATE "
                  "SET value = excluded.value, updated_ms = excluded.updated_ms",
                  scope, value, self.now_ms())

    def recall(self, namespace: str, key: str) -> Any:
        row = self._one("SELECT value_json FROM dos_memory WHERE workspace = %s "
                        "AND namespace = %s AND key = %s", namespace, key)
        return None if row is None else json_value(row[0], f"memory {namespace}/{key}")

    def remember(self, namespace: str, key: str, value: Any) -> None:
        self._run("INSERT INTO dos_memory (workspace, namespace, key, value_json, updated_ms) "
                  "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (workspace, namespace, key) "
                  "DO UPDATE SET value_json = excluded.value_json, "
                  "updated_ms = excluded.updated_ms",
                  namespace, key, canonical_json(value), self.now_ms())

    def forget(self, namespace: str, key: str) -> None:
        self._run("DELETE FROM dos_memory WHERE workspace = %s AND namespace = %s "
                  "AND key = %s", namespace, key)

    # whole-history copy (dos store copy)

    def counters(self) -> dict[str, int]:
        rows = self._all("SELECT scope, value FROM dos_counters WHERE workspace = %s "
                         "ORDER BY scope")
        return {str(scope): check_int(value, f"the counter of scope {scope!r}",
                                      high=2**63 - 1) for scope, value in rows}

    def memories(self) -> list[tuple[str, str, Any]]:
        rows = self._all("SELECT namespace, key, value_json FROM dos_memory "
                         "WHERE workspace = %s ORDER BY namespace, key")
        return [(ns, key, json_value(text, f"memory {ns}/{key}")) for ns, key, text in rows]

    def load_records(self, records: Sequence[JournalRecord]) -> None:
        self._insert_records(records)

    def load_lease(self, lease: Lease) -> None:
        self._put_lease(lease, keep_id=True)
        # New grants in this workspace must still get larger tokens than copied ones
        # (>=: a sequence never called yet would hand out its last_value next).
        self._conn.execute(
            "SELECT setval('dos_lease_id_seq', %s) WHERE %s >= "
            "(SELECT last_value FROM dos_lease_id_seq)", (lease.lease_id, lease.lease_id))


def _op_and_since(op: str | None, since_ms: int | None) -> tuple[str, list[object]]:
    """The SQL (joined after a WHERE's other terms) and values that keep only records of
    ``op`` and stamped at or after ``since_ms``, when given."""
    sql, args = "", list[object]()
    if op is not None:
        sql += " AND op = %s"
        args.append(op)
    if since_ms is not None:
        sql += " AND ts_ms >= %s"
        args.append(since_ms)
    return sql, args
