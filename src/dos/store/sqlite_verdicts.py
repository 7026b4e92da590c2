"""The verdict journal's queries on SQLite (mixed into :class:`dos.store.sqlite_tx.SqliteTx`).

``seq`` is the head's plus one, read inside the ``BEGIN IMMEDIATE`` transaction that
inserts it: writers take turns, so the sequence has no gaps and no duplicates.
"""

from __future__ import annotations

from dos.store.cells import verdict_from_row
from dos.store.rows import VERDICT_COLUMNS

TYPE_CHECKING = False  # typing costs start-up time on every hook call
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Sequence
    from typing import Any

    from dos.store.journal import JournalAnchor
    from dos.store.verdicts import VerdictEntry, VerdictRecord

__all__ = ["ROLLUP_DIMENSIONS", "SqliteVerdicts"]

ROLLUP_DIMENSIONS = frozenset({"syscall", "verdict", "run_id", "lane", "source"})
_INSERT = (f"INSERT INTO verdict_journal ({VERDICT_COLUMNS}) "  # noqa: S608 - constant
           "VALUES (?,?,?,?,?,?,?,?,?,?,?)")


def _source(since_ms: int | None) -> str:
    # Recent records are few: find them by time, not by walking all history.
    if since_ms is None:
        return "verdict_journal"
    return "verdict_journal INDEXED BY verdict_journal_ts"


def _filters(syscall: str | None, run_id: str | None,
             since_ms: int | None) -> tuple[str, list[Any]]:
    """A WHERE clause of fixed fragments; every value is bound."""
    where: list[str] = ["1 = 1"]
    args: list[Any] = []
    for column, value in (("syscall", syscall), ("run_id", run_id)):
        if value is not None:
            where.append(f"{column} = ?")
            args.append(value)
    if since_ms is not None:
        where.append("ts_ms >= ?")
        args.append(since_ms)
    return " AND ".join(where), args


class SqliteVerdicts:
    """Verdict journal queries inside one open SQLite transaction."""

    _conn: sqlite3.Connection
    if TYPE_CHECKING:  # provided by SqliteTx
        def now_ms(self) -> int: ...

    def _verdict_head(self) -> tuple[int, str]:
        from dos.store.chain import GENESIS_HASH

        row = self._conn.execute(
            "SELECT seq, hash FROM verdict_journal ORDER BY seq DESC LIMIT 1").fetchone()
        if row is not None:
            return int(row[0]), str(row[1])
        anchor = self.verdict_anchor()
        return (anchor.seq, anchor.hash) if anchor else (0, GENESIS_HASH)

    def append_verdict(self, entry: VerdictEntry) -> VerdictRecord:
        from dos.store.verdicts import seal_verdict

        seq, prev_hash = self._verdict_head()
        record = seal_verdict(entry, seq=seq + 1, ts_ms=self.now_ms(), prev_hash=prev_hash)
        self._conn.execute(_INSERT, record.row())
        return record

    def verdict_records(
        self, *, after_seq: int = 0, limit: int = 1000, syscall: str | None = None,
        run_id: str | None = None, since_ms: int | None = None, newest_first: bool = False,
    ) -> list[VerdictRecord]:
        where, args = _filters(syscall, run_id, since_ms)
        order = "DESC" if newest_first else "ASC"
        rows = self._conn.execute(
            f"SELECT {VERDICT_COLUMNS} FROM {_source(since_ms)} WHERE seq > ? AND {where} "  # noqa: S608 - fixed
            f"ORDER BY seq {order} LIMIT ?", (after_seq, *args, limit)).fetchall()
        return [verdict_from_row(row) for row in rows]

    def verdict_rollup(self, by: str, *, syscall: str | None = None,
                       run_id: str | None = None,
                       since_ms: int | None = None) -> list[tuple[str, str, int]]:
        if by not in ROLLUP_DIMENSIONS:
            raise ValueError(f"cannot roll verdicts up by {by!r}")
        where, args = _filters(syscall, run_id, since_ms)
        rows = self._conn.execute(
            f"SELECT {by}, verdict, count(*) FROM {_source(since_ms)} WHERE {where} "  # noqa: S608 - checked
            "GROUP BY 1, 2", args).fetchall()
        return [(str(value), str(verdict), int(count)) for value, verdict, count in rows]

    def verdict_span(self) -> tuple[int, int, int]:
        row = self._conn.execute(
            "SELECT count(*), coalesce(min(seq), 0), coalesce(max(seq), 0) FROM verdict_journal"
        ).fetchone()
        return (int(row[0]), int(row[1]), int(row[2])) if row else (0, 0, 0)

    def verdict_link_breaks(self, *, limit: int = 1) -> list[int]:
        # bound, not a subquery: SQLite would run that once per row
        row = self._conn.execute("SELECT coalesce(min(seq), 0) FROM verdict_journal").fetchone()
        first = int(row[0]) if row else 0
        rows = self._conn.execute(
            "SELECT b.seq FROM verdict_journal AS b "
            "LEFT JOIN verdict_journal AS a ON a.seq = b.seq - 1 "
            "WHERE b.seq > ? AND (a.seq IS NULL OR b.prev_hash != a.hash) "
            "ORDER BY b.seq LIMIT ?", (first, limit)).fetchall()
        return [int(row[0]) for row in rows]

    def verdict_anchor(self) -> JournalAnchor | None:
        from dos.store.journal import JournalAnchor

        row = self._conn.execute(
            "SELECT seq, hash FROM verdict_anchor ORDER BY seq DESC LIMIT 1").fetchone()
        return JournalAnchor(seq=int(row[0]), hash=str(row[1])) if row else None

    def drop_verdicts_through(self, anchor: JournalAnchor) -> int:
        row = self._conn.execute("SELECT count(*) FROM verdict_journal WHERE seq <= ?",
                                 (anchor.seq,)).fetchone()
        dropped = int(row[0]) if row else 0
        self._conn.execute(
            "INSERT INTO verdict_anchor (seq, hash, compacted_ms, dropped) VALUES (?,?,?,?)",
            (anchor.seq, anchor.hash, self.now_ms(), dropped))
        self._conn.execute("DELETE FROM verdict_journal WHERE seq <= ?", (anchor.seq,))
        return dropped

    def load_verdicts(self, records: Sequence[VerdictRecord]) -> None:
        self._conn.executemany(_INSERT, [record.row() for record in records])
