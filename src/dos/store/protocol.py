"""The store's two protocols: :class:`Store` (a backend) and :class:`StoreTx` (one
transaction). Exported by :mod:`dos.store`; kept here so that opening a store for a
read does not import ``typing``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from dos.admission.lease import Lease
from dos.store.attempts import AttemptRecord
from dos.store.intents import IntentEntry, IntentRecord
from dos.store.journal import JournalAnchor, JournalEntry, JournalRecord
from dos.store.verdicts import VerdictEntry, VerdictRecord

__all__ = ["Store", "StoreTx"]


class StoreTx(Protocol):
    """One transaction. Everything read or written through it commits together.

    ``appended`` is the journal's head (seq, hash) after this transaction's appends,
    or None when it appended nothing.
    """

    appended: tuple[int, str] | None

    def now_ms(self) -> int:
        """The store's clock (epoch ms), never the caller's."""
        ...

    def unreleased_leases(self) -> list[Lease]:
        """Leases not yet released, live or expired, oldest first."""
        ...

    def get_lease(self, lease_id: int) -> Lease | None: ...

    def leases_ended_since(self, since_ms: int) -> list[Lease]:
        """Released leases whose end is at or after ``since_ms``."""
        ...

    def leases_ended_uncleanly_since(self, since_ms: int) -> list[Lease]:
        """Leases that ended without their holder's release (expired, reaped, scavenged)
        at or after ``since_ms``, oldest first. Indexed apart from clean releases: the
        lock-delay check on every grant costs the same after any number of them."""
        ...

    def run_leases(self, run_id: str, *, lane: str = "", loop_ts: str = "") -> list[Lease]:
        """Every lease, live or ended, granted to ``run_id`` or with the identity
        (``lane``, ``loop_ts``) when both are given; oldest first. Indexed: never a walk
        through the history of the table."""
        ...

    def holder_leases(self, holder: str, *, limit: int = 256) -> list[Lease]:
        """The newest ``limit`` leases, live or ended, granted to ``holder``; newest
        first. Indexed."""
        ...

    def insert_lease(self, lease: Lease) -> Lease:
        """Store ``lease`` under a new, strictly larger ``lease_id`` (its fencing token)."""
        ...

    def renew_lease(self, lease_id: int, renewed_at_ms: int) -> None: ...

    def end_lease(self, lease_id: int, *, at_ms: int, kind: str) -> bool:
        """Mark an unreleased lease ended; False if it was already ended."""
        ...

    def prune_leases(self, ended_before_ms: int) -> int: ...

    def append(self, entry: JournalEntry) -> JournalRecord:
        """Seal ``entry`` onto the chain at the next seq, stamped by the store's clock."""
        ...

    def append_many(self, entries: Iterable[JournalEntry], *, ts_ms: int) -> int: ...

    def journal_records(
        self, *, after_seq: int = 0, limit: int = 1000, op: str | None = None,
        since_ms: int | None = None, newest_first: bool = False,
    ) -> list[JournalRecord]:
        """Records after ``after_seq`` (optionally of one op, stamped at or after
        ``since_ms``), in seq order or newest first."""
        ...

    def run_records(
        self, run_id: str, *, lease_ids: Sequence[int] = (), after_seq: int = 0,
        limit: int = 1000, op: str | None = None, since_ms: int | None = None,
    ) -> list[JournalRecord]:
        """One run's records after ``after_seq``: those whose ``run_id`` is ``run_id``
        (none for "") or whose ``lease_id`` is one of ``lease_ids`` — optionally of one
        op, stamped at or after ``since_ms`` — in seq order. Indexed: the cost is the
        run's records, never the journal's length."""
        ...

    def run_in_journal(self, run_id: str) -> bool:
        """Whether any record, however old, carries ``run_id`` (False for ""). Indexed."""
        ...

    def journal_count(self) -> int: ...

    def journal_anchor(self) -> JournalAnchor | None: ...

    def drop_journal_through(self, anchor: JournalAnchor) -> int:
        """Record ``anchor`` and drop every record up to its seq; returns rows dropped."""
        ...

    def counter(self, scope: str) -> int | None:
        """A counter's value; raises StoreError when it is not a non-negative integer."""
        ...

    def set_counter(self, scope: str, value: int) -> None: ...

    # The verdict journal: its own hash chain, one gap-free seq per store.

    def append_verdict(self, entry: VerdictEntry) -> VerdictRecord:
        """Seal ``entry`` onto the verdict chain at the next seq, stamped by the store's
        clock (ValueError for an entry that is not well-formed)."""
        ...

    def verdict_records(
        self, *, after_seq: int = 0, limit: int = 1000, syscall: str | None = None,
        run_id: str | None = None, since_ms: int | None = None, newest_first: bool = False,
    ) -> list[VerdictRecord]:
        """Verdict records after ``after_seq`` (optionally of one syscall or run, stamped
        at or after ``since_ms``), in seq order or newest first. Indexed."""
        ...

    def verdict_rollup(self, by: str, *, syscall: str | None = None,
                       run_id: str | None = None,
                       since_ms: int | None = None) -> list[tuple[str, str, int]]:
        """``(value of by, verdict, count)`` over the matching records, counted by the
        database (``by``: syscall, verdict, run_id, lane or source; else ValueError)."""
        ...

    def verdict_span(self) -> tuple[int, int, int]:
        """``(count, first seq, last seq)`` of the verdict records ((0, 0, 0): none)."""
        ...

    def verdict_link_breaks(self, *, limit: int = 1) -> list[int]:
        """Seqs after the first record whose predecessor (seq - 1) is missing or whose
        ``prev_hash`` is not that predecessor's hash, lowest first: compared by the
        database over the whole journal, without reading it out."""
        ...

    def verdict_anchor(self) -> JournalAnchor | None: ...

    def drop_verdicts_through(self, anchor: JournalAnchor) -> int:
        """Record ``anchor`` and drop every verdict up to its seq; returns rows dropped."""
        ...

    # Attempts at units: rows of their own (each also an ATTEMPT journal record), kept
    # when the journal is compacted.

    def record_attempt(self, *, unit_id: str, outcome: str, lane: str = "", run_id: str = "",
                       holder: str = "", detail: Mapping[str, Any] | None = None
                       ) -> AttemptRecord:
        """Append an ATTEMPT record and its row, stamped by the store's clock."""
        ...

    def attempts(self, *, unit_id: str | None = None, since_ms: int | None = None,
                 after_seq: int = 0, limit: int = 1000,
                 newest_first: bool = False) -> list[AttemptRecord]:
        """Attempts after ``after_seq`` (optionally of one unit, at or after
        ``since_ms``): one unit's in time order by its index, else in seq order."""
        ...

    def last_attempts(self, unit_ids: Sequence[str]) -> dict[str, tuple[int, int]]:
        """``unit → (attempts, latest attempted_at_ms)`` for each unit ever attempted,
        counted by the database in one indexed pass; units never attempted are absent."""
        ...

    # The intent ledger: one hash chain per run, sealed by the store.

    def append_intent(self, entry: IntentEntry) -> IntentRecord:
        """Seal ``entry`` onto its run's chain at the run's next seq, stamped by the
        store's clock (ValueError for an entry that is not well-formed)."""
        ...

    def intents(self, run_id: str, *, limit: int = 100_000) -> list[IntentRecord]:
        """The run's records in seq order."""
        ...

    def runs_with_intents(self, *, limit: int = 100_000) -> list[str]:
        """Every run id with a ledger, sorted."""
        ...

    def recall(self, namespace: str, key: str) -> Any:
        """A remembered JSON value, or None."""
        ...

    def remember(self, namespace: str, key: str, value: Any) -> None: ...

    def forget(self, namespace: str, key: str) -> None: ...

    # Whole-history copy between stores (``dos store copy``): read everything, and
    # write records, leases and verdict records exactly as they were (seq, ids, stamps,
    # hashes).

    def counters(self) -> dict[str, int]:
        """Every counter, by scope."""
        ...

    def memories(self) -> list[tuple[str, str, Any]]:
        """Every remembered ``(namespace, key, value)``."""
        ...

    def load_records(self, records: Sequence[JournalRecord]) -> None:
        """Insert already-sealed records verbatim; they must continue this chain."""
        ...

    def load_lease(self, lease: Lease) -> None:
        """Insert ``lease`` under its own ``lease_id``; later grants still get larger ids."""
        ...

    def load_verdicts(self, records: Sequence[VerdictRecord]) -> None:
        """Insert already-sealed verdict records verbatim; they must continue this chain."""
        ...

    def load_attempts(self, records: Sequence[AttemptRecord]) -> None:
        """Insert attempt rows verbatim (a row whose seq is already there is kept)."""
        ...

    def load_intents(self, records: Sequence[IntentRecord]) -> None:
        """Insert already-sealed intent records verbatim."""
        ...


class Store(Protocol):
    """A backend. Read transactions never create anything; the first write does.

    ``head_path`` is the file that witnesses the journal's head outside the store's
    tables (None when the store has none), ``head_store`` the identity written in it.
    """

    url: str
    head_path: str | None
    head_store: str

    def exists(self) -> bool: ...

    def transaction(self, *, write: bool,
                    durable: bool = True) -> AbstractContextManager[StoreTx]:
        """One transaction. ``durable=False`` (writes only) lets its commit return before
        the disk has it: a crash of this process never loses it, an OS crash or power
        loss may drop it whole (never half). For the verdict journal on the hook path."""
        ...

    def transaction_if_exists(self, *, write: bool, durable: bool = True
                              ) -> AbstractContextManager[StoreTx | None]:
        """``transaction`` when the store exists, else a block that gets None and
        creates nothing: ``exists()`` then ``transaction``, in one step where the
        backend can answer both at once (a server's round trip fewer)."""
        ...

    def integrity_problems(self, *, thorough: bool = True) -> list[str]:
        """What the backend's own consistency check finds (empty when sound). Not
        ``thorough``: only the checks that cost the same however long the history (a
        check that reads every page is left out)."""
        ...

    def reclaim_space(self) -> int:
        """Return freed space to the file system; the bytes reclaimed."""
        ...

    def close(self) -> None: ...
