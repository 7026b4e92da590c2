"""The verdict journal's queries on PostgreSQL (mixed into
:class:`dos.store.postgres_tx.PostgresTx`).

Writers hold the workspace's advisory lock for their whole transaction (taken by
:class:`dos.store.postgres.PostgresStore` as it begins), so ``max(seq) + 1`` read inside
it is gap-free and never handed out twice.
"""

from __future__ import annotations

from dos.store.cells import verdict_from_row
from dos.store.chain import GENESIS_HASH
from dos.store.rows import VERDICT_COLUMNS
from dos.store.sqlite_verdicts import ROLLUP_DIMENSIONS

TYPE_CHECKING = False  # typing costs start-up time on every hook call
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from dos.store.journal import JournalAnchor
    from dos.store.postgres_api import PgConnection
    from dos.store.verdicts import VerdictEntry, VerdictRecord

__all__ = ["PostgresVerdicts"]

_INSERT = (f"INSERT INTO dos_verdict_journal (workspace, {VERDICT_COLUMNS}) "  # noqa: S608 - constant
           "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)")


def _filters(syscall: str | None, run_id: str | None,
             since_ms: int | None) -> tuple[str, list[Any]]:
    """A WHERE clause of fixed fragments after the workspace's; every value is bound."""
    where: list[str] = ["workspace = %s"]
    args: list[Any] = []
    for column, value in (("syscall", syscall), ("run_id", run_id)):
        if value is not None:
            where.append(f"{column} = %s")
            args.append(value)
    if since_ms is not None:
        where.append("ts_ms >= %s")
        args.append(since_ms)
    return " AND ".join(where), args


class PostgresVerdicts:
    """Verdict journal queries inside one open PostgreSQL transaction."""

    workspace: str
    _conn: PgConnection

    if TYPE_CHECKING:  # provided by PostgresTx
        def now_ms(self) -> int: ...
        def _one(self, sql: str, *args: Any) -> tuple[Any, ...] | None: ...
        def _all(self, sql: str, *args: Any) -> list[tuple[Any, ...]]: ...
        def _run(self, sql: str, *args: Any) -> int: ...

    def _verdict_head(self) -> tuple[int, str]:
        row = self._one("SELECT seq, hash FROM dos_verdict_journal WHERE workspace = %s "
                        "ORDER BY seq DESC LIMIT 1")
        if row is not None:
            return int(row[0]), str(row[1])
        anchor = self.verdict_anchor()
        return (anchor.seq, anchor.hash) if anchor else (0, GENESIS_HASH)

    def append_verdict(self, entry: VerdictEntry) -> VerdictRecord:
        from dos.store.verdicts import seal_verdict

        seq, prev_hash = self._verdict_head()
        record = seal_verdict(entry, seq=seq + 1, ts_ms=self.now_ms(), prev_hash=prev_hash)
        # It travels with the next statement, the COMMIT at the latest (see execute_later).
        self._conn.execute_later(_INSERT, (self.workspace, *record.row()))
        return record

    def verdict_records(
        self, *, after_seq: int = 0, limit: int = 1000, syscall: str | None = None,
        run_id: str | None = None, since_ms: int | None = None, newest_first: bool = False,
    ) -> list[VerdictRecord]:
        where, args = _filters(syscall, run_id, since_ms)
        order = "DESC" if newest_first else "ASC"
        rows = self._all(f"SELECT {VERDICT_COLUMNS} FROM dos_verdict_journal WHERE {where} "  # noqa: S608 - fixed
                         f"AND seq > %s ORDER BY seq {order} LIMIT %s", *args, after_seq, limit)
        return [verdict_from_row(row) for row in rows]

    def verdict_rollup(self, by: str, *, syscall: str | None = None,
                       run_id: str | None = None,
                       since_ms: int | None = None) -> list[tuple[str, str, int]]:
        if by not in ROLLUP_DIMENSIONS:
            raise ValueError(f"cannot roll verdicts up by {by!r}")
        where, args = _filters(syscall, run_id, since_ms)
        rows = self._all(f"SELECT {by}, verdict, count(*) FROM dos_verdict_journal "  # noqa: S608 - checked
                         f"WHERE {where} GROUP BY 1, 2", *args)
        return [(str(value), str(verdict), int(count)) for value, verdict, count in rows]

    def verdict_span(self) -> tuple[int, int, int]:
        row = self._one("SELECT count(*), coalesce(min(seq), 0), coalesce(max(seq), 0) "
                        "FROM dos_verdict_journal WHERE workspace = %s")
        return (int(row[0]), int(row[1]), int(row[2])) if row else (0, 0, 0)

    def verdict_link_breaks(self, *, limit: int = 1) -> list[int]:
        row = self._one("SELECT coalesce(min(seq), 0) FROM dos_verdict_journal "
                        "WHERE workspace = %s")
        first = int(row[0]) if row else 0
        rows = self._all(
            "SELECT b.seq FROM dos_verdict_journal AS b LEFT JOIN dos_verdict_journal AS a "
            "ON a.workspace = b.workspace AND a.seq = b.seq - 1 WHERE b.workspace = %s "
            "AND b.seq > %s AND (a.seq IS NULL OR b.prev_hash <> a.hash) "
            "ORDER BY b.seq LIMIT %s", first, limit)
        return [int(row[0]) for row in rows]

    def verdict_anchor(self) -> JournalAnchor | None:
        row = self._one("SELECT seq, hash FROM dos_verdict_anchor WHERE workspace = %s "
                        "ORDER BY seq DESC LIMIT 1")
        if not row:
            return None
        from dos.store.journal import JournalAnchor

        return JournalAnchor(seq=int(row[0]), hash=str(row[1]))

    def drop_verdicts_through(self, anchor: JournalAnchor) -> int:
        self._run("INSERT INTO dos_verdict_anchor (workspace, seq, hash, compacted_ms, dropped) "
                  "SELECT %s, %s, %s, %s, count(*) FROM dos_verdict_journal WHERE workspace = %s "
                  "AND seq <= %s", anchor.seq, anchor.hash, self.now_ms(), self.workspace,
                  anchor.seq)
        # The append-only trigger lets this one transaction drop what the anchor covers.
        self._conn.execute("SET LOCAL dos.allow_compact = 'on'")
        dropped = self._run("DELETE FROM dos_verdict_journal WHERE workspace = %s AND seq <= %s",
                            anchor.seq)
        self._conn.execute("SET LOCAL dos.allow_compact = 'off'")
        return dropped

    def load_verdicts(self, records: Sequence[VerdictRecord]) -> None:
        self._conn.executemany(_INSERT, [(self.workspace, *record.row()) for record in records])
