"""dos journal {tail,replay,seq,compact,verify,export}: read, check and export the ops journal."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from dos.errors import UsageError
from dos.render import dumps
from dos.workspace import load_config

_EPILOG = """\
examples:
  dos journal tail 5              the last five records (0 = all)
  dos journal verify              check the hash chain; exit 1 names the first bad seq
  dos journal export > lane-journal.jsonl   the reference's JSONL shape
  dos journal compact --keep-days 7         drop older records, keeping the chain valid

Only compact writes; tail, replay, seq, verify and export never create the store."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    actions = parser.add_subparsers(
        dest="action", required=True, metavar="{tail,replay,seq,compact,verify,export}")
    tail = actions.add_parser("tail", help="print the last N records, one JSON per line")
    tail.add_argument("count", nargs="?", type=int, default=20,
                      help="how many (default 20; 0 or less prints all)")
    replay = actions.add_parser("replay", help="the leases the journal says are held")
    replay.add_argument("--pretty", action="store_true", help="indent the JSON output")
    actions.add_parser("seq", help="the newest record's seq (0 when empty)")
    compact = actions.add_parser("compact", help="drop records older than the retention "
                                 "window; the chain stays verifiable")
    compact.add_argument("--keep-days", type=float, default=None,
                         help="keep this many days (default: [retention] "
                         "journal_max_age_days; never less than the cooldown window)")
    actions.add_parser("verify", help="check the store, the hash chain and the lease table")
    export = actions.add_parser("export", help="write the reference's lane-journal JSONL")
    export.add_argument("--after-seq", type=int, default=0,
                        help="only records after this seq (for incremental drains)")
    export.add_argument("--to", default=None, metavar="FILE",
                        help="write to FILE instead of stdout")


def _record_dict(record: Any) -> dict[str, Any]:
    from dos.admission.holder import iso_utc

    return {**record.to_dict(), "ts": iso_utc(record.ts_ms)}


def _tail(config: Any, count: int) -> int:
    from dos.record.journal_admin import tail

    for record in tail(config, count):
        print(dumps(_record_dict(record)))
    return 0


def _verify(config: Any, output: str) -> int:
    from dos.record.journal_admin import verify
    from dos.verdicts.admission import JournalToken

    report = verify(config)
    verdict = JournalToken.INTACT if report.ok else JournalToken.BROKEN
    if output == "json":
        print(dumps(report.to_dict()))
        return verdict.exit_code
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if report.ok:
        print(f"journal intact: {report.chain.records} record(s) checked, head seq "
              f"{report.chain.head_seq} ({report.chain.head_hash[:16]}…)")
    else:
        for problem in report.to_dict()["problems"]:
            print(f"BROKEN: {problem}")
        if report.chain.first_bad_seq is not None:
            print(f"first bad seq: {report.chain.first_bad_seq}")
    return verdict.exit_code


def _export(config: Any, after_seq: int, target: str | None) -> int:
    from dos.record.journal_export import export

    if target is None:
        export(config, sys.stdout, after_seq=after_seq)
        return 0
    try:
        with Path(target).open("w", encoding="utf-8") as stream:
            count = export(config, stream, after_seq=after_seq)
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror}",
                         hint="pass --to with a writable path") from None
    print(dumps({"exported": count, "to": target}), file=sys.stderr)
    return 0


def run(*, action: str, output: str, workspace: str | None, driver: str | None,
        count: int = 20, pretty: bool = False, keep_days: float | None = None,
        after_seq: int = 0, to: str | None = None, **_: object) -> int:
    from dos.record import journal_admin

    config = load_config(workspace, driver)
    if action == "tail":
        return _tail(config, count)
    if action == "verify":
        return _verify(config, output)
    if action == "export":
        return _export(config, after_seq, to)
    if action == "seq":
        seq = journal_admin.head_seq(config)
        print(dumps({"seq": seq}) if output == "json" else seq)
    elif action == "replay":
        leases = [lease.to_dict() for lease in journal_admin.replay(config)]
        print(dumps(leases) if output == "json" and not pretty
              else json.dumps(leases, indent=2, sort_keys=True, ensure_ascii=True))
    else:
        print(dumps(journal_admin.compact(config, keep_days=keep_days).to_dict()))
    return 0
