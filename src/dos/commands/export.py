"""dos export: ship verdict events to a file, StatsD or an OTLP collector."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from dos.api import export as api
from dos.commands._args import count, seconds
from dos.errors import UsageError
from dos.render import emit
from dos.workspace import load_config

if TYPE_CHECKING:
    from dos.record.export_drain import Drain

_EPILOG = """\
examples:
  dos export --to file --path exports/verdicts.jsonl   append new events as JSON lines
  dos export --to statsd --host 127.0.0.1 --port 8125  counters per syscall x verdict (UDP)
  dos export --to otlp --endpoint http://collector:4318   log records + counters (OTLP/HTTP)
  dos export --to file --since 0 --dry-run             what a full replay would ship
  dos export --to otlp --follow --follow-interval 5    keep shipping; Ctrl-C exits 130

--since auto (the default) starts after the transport's cursor, kept in the store and moved
only past events the transport took, so a re-run never ships an event twice. --since SEQ
replays from SEQ and leaves the cursor alone. Exit 1 when a real transport took none or
only part of what was pending; the null transport (the default) ships nothing."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    parser.add_argument("--to", default="null", metavar="NAME",
                        help="transport: null (default), file, statsd, otlp, or a plugin")
    parser.add_argument("--path", help="file: where to append (default $DOS_EXPORT_FILE)")
    parser.add_argument("--host", help="statsd: host (default $DOS_STATSD_HOST or 127.0.0.1)")
    parser.add_argument("--port", type=count(1, 65_535),
                        help="statsd: port (default $DOS_STATSD_PORT or 8125)")
    parser.add_argument("--endpoint", help="otlp: collector base URL (default "
                        "$DOS_OTLP_ENDPOINT, $OTEL_EXPORTER_OTLP_ENDPOINT, localhost:4318)")
    parser.add_argument("--timeout", type=seconds(0, 300, low_open=True), default=None,
                        help="otlp: seconds per request, retries included (default 10)")
    parser.add_argument("--since", default="auto", metavar="SEQ|auto",
                        help="start after this seq, or after the stored cursor (auto)")
    parser.add_argument("--tail", type=count(1, 1_000_000), default=None, metavar="N",
                        help="only the newest N pending events (with auto, the cursor "
                        "moves past the older ones)")
    parser.add_argument("--dry-run", action="store_true",
                        help="count and check the settings; send nothing, move no cursor")
    parser.add_argument("--follow", action="store_true", help="keep exporting new events")
    parser.add_argument("--follow-interval", type=seconds(0, 3600, low_open=True),
                        default=None, metavar="SEC",
                        help="with --follow: seconds between runs (default 2)")
    parser.add_argument("--follow-max", type=count(1), default=None, metavar="N",
                        help="with --follow: stop after N runs (default: until Ctrl-C)")


def _outcome(run: Drain) -> str:
    how = f"via {run.transport}"
    if not run.real:
        return (f"  → null sink: {run.pending} event(s) not exported "
                "(pass --to file|statsd|otlp to ship them)")
    if run.dry_run:
        return f"  → dry run: {run.pending} event(s) would be exported {how}; nothing sent"
    if run.pending == 0:
        return "  → nothing to export"
    exported = run.result.exported
    verb = "exported" if exported >= run.pending else "NOT exported"
    return f"  → {verb} {exported}/{run.pending} {how}: {run.result.detail}"


def _cursor(run: Drain) -> str:
    if not run.auto:
        return f"  cursor: {run.cursor_before} (stored; --since {run.since} leaves it alone)"
    if run.cursor_saved:
        return (f"  cursor: {run.cursor_before} → {run.cursor_after} (saved; the next run "
                "starts after it)")
    why = ("dry run" if run.dry_run else "null sink" if not run.real
           else "nothing was taken" if run.pending else "nothing pending")
    return f"  cursor: {run.cursor_after} (unchanged: {why})"


def _text(run: Drain) -> str:
    where = f"after seq {run.since}" + (" (the stored cursor)" if run.auto else "")
    return "\n".join([f"# export · {run.pending} event(s) pending {where} · "
                      f"transport={run.transport}", _outcome(run), _cursor(run)])


def _show(run: Drain, output: str) -> int:
    emit(api.export_json(run), output=output, text=lambda _color: _text(run))
    sys.stdout.flush()  # --follow: each run is seen as it happens
    return api.export_token(run).exit_code


def run(*, output: str, workspace: str | None, driver: str | None, to: str = "null",
        path: str | None = None, host: str | None = None, port: int | None = None,
        endpoint: str | None = None, timeout: float | None = None, since: str = "auto",
        tail: int | None = None, dry_run: bool = False, follow: bool = False,
        follow_interval: float | None = None, follow_max: int | None = None) -> int:
    start = api.parse_since(since)
    if not follow and (follow_interval is not None or follow_max is not None):
        raise UsageError("--follow-interval and --follow-max need --follow",
                         hint="add --follow, or drop them")
    if follow and tail is not None:
        raise UsageError("--tail cannot be combined with --follow",
                         hint="--follow ships every new event; drop --tail")
    config = load_config(workspace, driver)
    exporter = api.open_exporter(to, {"path": path, "host": host, "port": port,
                                      "endpoint": endpoint, "timeout": timeout,
                                      "root": config.root})
    if not follow:
        return _show(api.export(config, exporter, since=start, tail=tail, dry_run=dry_run),
                     output)
    worst = 0
    for tick in api.follow(config, exporter, since=start, dry_run=dry_run,
                           interval=2.0 if follow_interval is None else follow_interval,
                           max_ticks=follow_max):
        worst = max(worst, _show(tick, output))
    return worst
