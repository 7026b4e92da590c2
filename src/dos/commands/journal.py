"""dos journal {tail,replay,seq,compact,verify,export}: read, check and export the ops journal."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from dos.api import record as api
from dos.commands._args import count, identifier, number
from dos.errors import UsageError
from dos.limits import MAX_COUNT
from dos.render import emit
from dos.workspace import load_config

if TYPE_CHECKING:
    from dos.admission.lease import Lease
    from dos.config import SubstrateConfig
    from dos.record.journal_admin import CompactResult
    from dos.record.journal_verify import VerifyReport
    from dos.store.journal import JournalRecord

_EPILOG = """\
examples:
  dos journal tail 5              the last five records (0 = all), in columns
  dos journal tail 5 --json       the same records with every field, one JSON line
  dos journal verify              check the hash chain on from the last verified point;
                                  exit 1 names the first bad seq
  dos journal verify --full       walk the whole chain again, and check the database
  dos journal export > lane-journal.jsonl   the reference's JSONL shape
  dos journal compact --keep-days 7         drop older records, keeping the chain valid

Only compact writes; tail, replay, seq, verify and export never create the store."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    actions = parser.add_subparsers(
        dest="action", required=True, metavar="{tail,replay,seq,compact,verify,export}")
    tail = actions.add_parser("tail", help="print the last N records: seq, time, op, lane, "
                              "holder (--json: every field)")
    tail.add_argument("count", nargs="?", type=count(-MAX_COUNT), default=20,
                      help="how many (default 20; 0 or less prints all)")
    actions.add_parser("replay", help="the leases the journal says are held")
    actions.add_parser("seq", help="the newest record's seq (0 when empty)")
    compact = actions.add_parser("compact", help="drop records older than the retention "
                                 "window (verdicts: [observe] keep_days); the chains stay "
                                 "verifiable")
    compact.add_argument("--keep-days", default=None,
                         type=number(0, 36_500, what="a number of days"),
                         help="keep this many days (default: [retention] "
                         "journal_max_age_days; never less than the cooldown window)")
    verify = actions.add_parser(
        "verify", help="check the hash chain, the lease table and the counters (from the "
        "last verified point; --full: everything)")
    verify.add_argument("--full", action="store_true",
                        help="walk the whole chain from the anchor or genesis and run the "
                             "database's own check, instead of going on from the last "
                             "verified point (which proves nothing about the records "
                             "below it)")
    export = actions.add_parser("export", help="write the reference's lane-journal JSONL "
                                "(the same in every output form)")
    export.add_argument("--after-seq", type=identifier(0), default=0,
                        help="only records after this seq (for incremental drains)")
    export.add_argument("--to", default=None, metavar="FILE",
                        help="write to FILE instead of stdout (a relative FILE is under the "
                             "workspace and must stay inside it; an absolute one is taken "
                             "as given)")


def _columns(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """Left-aligned columns, the first (a number) right-aligned."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return "\n".join(
        "  ".join([row[0].rjust(widths[0]), *(cell.ljust(width) for cell, width in
                                              zip(row[1:], widths[1:], strict=True))]).rstrip()
        for row in [header, *rows])


def _tail_text(records: list[JournalRecord]) -> str:
    from dos.admission.holder import iso_utc

    if not records:
        return "(the journal is empty)"
    return _columns(("seq", "time", "op", "lane", "holder"),
                    [(str(r.seq), iso_utc(r.ts_ms), r.op, r.lane or "-", r.holder or "-")
                     for r in records])


def _replay_text(leases: list[Lease]) -> str:
    from dos.admission.holder import iso_utc

    if not leases:
        return "(the journal says no lease is held)"
    return _columns(("lease", "lane", "mode", "holder", "renewed", "tree"),
                    [(str(lease.lease_id), lease.lane, lease.mode, lease.holder,
                      iso_utc(lease.renewed_at_ms), " ".join(lease.tree)) for lease in leases])


def _verify_text(report: VerifyReport) -> str:
    if report.ok:
        scope = (f" after the last verified seq {report.from_seq} (--full: all)"
                 if report.mode == "incremental" else "")
        return (f"journal intact: {report.chain.records} record(s) checked{scope}, head seq "
                f"{report.chain.head_seq} ({report.chain.head_hash[:16]}…)")
    lines = [f"BROKEN: {problem}" for problem in report.to_dict()["problems"]]
    if report.chain.first_bad_seq is not None:
        lines.append(f"first bad seq: {report.chain.first_bad_seq}")
    return "\n".join(lines)


def _compact_text(result: CompactResult) -> str:
    if not result.dropped:
        text = (f"nothing to compact: {result.entries_after} record(s), all inside the "
                "retention window")
    else:
        text = (f"compacted the journal: dropped {result.dropped} of {result.entries_before} "
                f"record(s), {result.entries_after} left; anchor seq {result.anchor_seq}; "
                f"{result.bytes_reclaimed} bytes reclaimed")
    if result.verdicts_dropped:
        text += (f"\ncompacted the verdict journal ([observe] keep_days): dropped "
                 f"{result.verdicts_dropped} verdict(s); anchor seq {result.verdict_anchor_seq}")
    return text


def _export_path(config: SubstrateConfig, target: str) -> Path:
    """An absolute FILE is the operator's explicit choice; a relative one stays inside the
    workspace, so `--to ../x` cannot write beside it."""
    path = Path(target)
    if path.is_absolute():
        return path
    root = Path(config.paths.root).resolve()
    resolved = (root / path).resolve()
    if resolved != root and root not in resolved.parents:
        raise UsageError(f"--to {target} leaves the workspace {root}",
                         hint="give a path inside the workspace, or an absolute path")
    return resolved


def _export(config: SubstrateConfig, after_seq: int, target: str | None, output: str) -> int:
    if target is None:  # the JSONL stream is the answer, whatever the output form
        api.export(config, sys.stdout, after_seq=after_seq)
        return 0
    path = _export_path(config, target)
    try:
        with path.open("w", encoding="utf-8") as stream:
            count = api.export(config, stream, after_seq=after_seq)
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror}",
                         hint="pass --to with a writable path") from None
    emit(api.export_json(count, target), output=output,
         text=lambda _color: f"exported {count} record(s) to {target}")
    return 0


def run(*, action: str, output: str, workspace: str | None, driver: str | None,
        count: int = 20, keep_days: float | None = None, after_seq: int = 0,
        to: str | None = None, full: bool = False) -> int:
    config = load_config(workspace, driver)
    if action == "tail":
        records = api.tail(config, count)
        emit(api.tail_json(records), output=output, text=lambda _c: _tail_text(records))
    elif action == "seq":
        head = api.seq(config)
        emit(api.seq_json(head), output=output, text=lambda _c: str(head))
    elif action == "replay":
        leases = api.replay(config)
        emit(api.replay_json(leases), output=output, text=lambda _c: _replay_text(leases))
    elif action == "verify":
        report = api.verify(config, full=full)
        for warning in getattr(report, "warnings", ()):
            print(f"warning: {warning}", file=sys.stderr)
        emit(api.verify_json(report), output=output, text=lambda _c: _verify_text(report))
        return api.verify_token(report).exit_code
    elif action == "compact":
        result = api.compact(config, keep_days=keep_days)
        emit(api.compact_json(result), output=output, text=lambda _c: _compact_text(result))
    else:
        return _export(config, after_seq, to, output)
    return 0
