"""Record questions: what does the ops journal say, is its chain intact, and compaction."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, TextIO, TypedDict

from dos.errors import UsageError
from dos.render import with_schema

if TYPE_CHECKING:
    from dos.admission.lease import Lease
    from dos.api.admission import LeaseJSON  # one shape for a lease, live or replayed
    from dos.config import SubstrateConfig
    from dos.record.journal_admin import CompactResult
    from dos.record.journal_verify import VerifyReport
    from dos.store.journal import JournalRecord
    from dos.verdicts.journal import JournalToken

__all__ = [
    "CompactJSON", "ExportJSON", "JournalRecordJSON", "JournalVerifyJSON",
    "SeqJSON", "compact", "compact_json", "export", "export_json", "replay", "replay_json",
    "seq", "seq_json", "tail", "tail_json", "verify", "verify_json", "verify_token",
]

_FAMILY = "journal"


class JournalRecordJSON(TypedDict):
    """One journal record (``dos journal tail --json``), ``ts`` in ISO-8601 UTC."""

    seq: int
    ts: str
    ts_ms: int
    op: str
    lane: str
    holder: str
    run_id: str
    loop_ts: str
    lease_id: int | None
    payload: dict[str, Any]
    prev_hash: str
    hash: str
    schema: dict[str, Any]


class SeqJSON(TypedDict):
    seq: int
    schema: dict[str, Any]


class JournalVerifyJSON(TypedDict):
    """``dos journal verify --json``: the chain's head and the first problem found."""

    ok: bool
    records: int
    head_seq: int
    head_hash: str
    anchor_seq: int
    first_bad_seq: int | None
    problems: list[str]
    mode: str  # "full" or "incremental" (from the last verified point)
    from_seq: int  # the records after this seq were walked
    schema: dict[str, Any]


class CompactJSON(TypedDict):
    entries_before: int
    entries_after: int
    bytes_reclaimed: int
    anchor_seq: int
    dropped: int
    kept_since_ms: int
    verdicts_dropped: int
    verdict_anchor_seq: int
    schema: dict[str, Any]


class ExportJSON(TypedDict):
    exported: int
    to: str
    schema: dict[str, Any]


def tail(config: SubstrateConfig, count: int = 20) -> list[JournalRecord]:
    """The last ``count`` records, oldest first (every record when ``count`` <= 0)."""
    from dos.record import journal_admin

    return journal_admin.tail(config, count)


def tail_json(records: list[JournalRecord]) -> list[JournalRecordJSON]:
    from dos.admission.holder import iso_utc

    return with_schema([{**record.to_dict(), "ts": iso_utc(record.ts_ms)}  # type: ignore[no-any-return]
                        for record in records], _FAMILY)


def seq(config: SubstrateConfig) -> int:
    """The newest record's seq (0 for an empty or missing journal)."""
    from dos.record import journal_admin

    return journal_admin.head_seq(config)


def seq_json(value: int) -> SeqJSON:
    return with_schema({"seq": value}, _FAMILY)  # type: ignore[no-any-return]


def replay(config: SubstrateConfig) -> list[Lease]:
    """The leases the journal alone says are held, by lease id."""
    from dos.record import journal_admin

    return journal_admin.replay(config)


def replay_json(leases: list[Lease]) -> list[LeaseJSON]:
    return with_schema([lease.to_dict() for lease in leases], _FAMILY)  # type: ignore[no-any-return]


def verify(config: SubstrateConfig, *, full: bool = False) -> VerifyReport:
    """Is the hash chain intact, and the lease table what the journal says? From the last
    verified point on, or (``full``) the whole chain and the database's own check. Writes
    only the verified point it reached."""
    from dos.record import journal_admin

    return journal_admin.verify(config, full=full)


def verify_token(report: VerifyReport) -> JournalToken:
    from dos.verdicts.journal import JournalToken

    return JournalToken.INTACT if report.ok else JournalToken.BROKEN


def verify_json(report: VerifyReport) -> JournalVerifyJSON:
    return with_schema(report.to_dict(), _FAMILY)  # type: ignore[no-any-return]


def compact(config: SubstrateConfig, *, keep_days: float | None = None) -> CompactResult:
    """Drop records older than the retention window; the chain stays verifiable."""
    if keep_days is not None and not (math.isfinite(keep_days) and 0 <= keep_days <= 36_500):
        raise UsageError(f"--keep-days must be a number of days from 0 to 36500, "
                         f"got {keep_days}", hint="e.g. --keep-days 7")
    from dos.record import journal_admin

    return journal_admin.compact(config, keep_days=keep_days)


def compact_json(result: CompactResult) -> CompactJSON:
    return with_schema(result.to_dict(), _FAMILY)  # type: ignore[no-any-return]


def export(config: SubstrateConfig, stream: TextIO, *, after_seq: int = 0) -> int:
    """Write the records after ``after_seq`` as the reference's lane-journal JSONL (a file
    format, the same in every output form); returns how many were written."""
    if after_seq < 0:
        raise UsageError(f"--after-seq must be >= 0, got {after_seq}")
    from dos.record.journal_export import export as write_jsonl

    return write_jsonl(config, stream, after_seq=after_seq)


def export_json(count: int, target: str) -> ExportJSON:
    return with_schema({"exported": count, "to": target}, _FAMILY)  # type: ignore[no-any-return]
