"""``dos export``: ship the verdict journal to a transport, resuming from a stored cursor."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypedDict

from dos.errors import UsageError
from dos.limits import MAX_ID, decimal_int
from dos.render import with_schema

if TYPE_CHECKING:
    from dos.config import SubstrateConfig
    from dos.record.export_drain import Drain
    from dos.record.exporters import Exporter
    from dos.verdicts.record import ExportToken

__all__ = ["ExportJSON", "check_follow", "export", "export_json", "export_token", "follow",
           "open_exporter", "parse_since"]

_FAMILY = "export"
_MAX_TAIL = 1_000_000


class ExportJSON(TypedDict):
    """One export run. ``pending`` is what waited after ``since``; ``result.exported`` what
    the transport took; ``cursor`` the stored cursor before and after (``saved``)."""

    verdict: str
    exporter: str
    since: int
    since_auto: bool
    pending: int
    dry_run: bool
    result: dict[str, Any]
    cursor: dict[str, Any]
    schema: dict[str, Any]


def parse_since(raw: str) -> int | None:
    """``auto`` → None (the stored cursor); a seq → that seq."""
    text = raw.strip()
    if text == "auto":
        return None
    seq = decimal_int(text, 0, MAX_ID)  # isdigit() alone passes '²', which int() refuses
    if seq is None:
        raise UsageError(f"--since must be a seq (a whole number >= 0) or 'auto' (got "
                         f"{raw[:40]!r})", hint="e.g. --since auto, or --since 0 to replay all")
    return seq


def open_exporter(to: str, options: dict[str, Any]) -> Exporter:
    """The exporter ``to`` built from the CLI's settings (unknown → exit 2 naming known)."""
    from dos.record.exporters import open_exporter as open_named

    return open_named(to, options)


def _check_tail(tail: int | None) -> None:
    if tail is not None and not 0 < tail <= _MAX_TAIL:
        raise UsageError(f"--tail must be 1 to {_MAX_TAIL}, got {tail}",
                         hint="--tail N exports only the newest N pending events")


def export(config: SubstrateConfig, exporter: Exporter, *, since: int | None,
           tail: int | None = None, dry_run: bool = False) -> Drain:
    """One run: everything after ``since`` (None: the stored cursor) to ``exporter``."""
    _check_tail(tail)
    from dos.record.export_drain import drain

    return drain(config, exporter, since=since, tail=tail, dry_run=dry_run)


def check_follow(interval: float, max_ticks: int | None) -> None:
    if not (math.isfinite(interval) and 0 < interval <= 3600):
        raise UsageError(f"--follow-interval must be 0 < seconds <= 3600, got {interval}",
                         hint="e.g. --follow-interval 2")
    if max_ticks is not None and max_ticks < 1:
        raise UsageError(f"--follow-max must be at least 1, got {max_ticks}",
                         hint="omit it to follow until interrupted (Ctrl-C)")


def follow(config: SubstrateConfig, exporter: Exporter, *, since: int | None,
           interval: float, max_ticks: int | None, dry_run: bool = False,
           sleep: Callable[[float], None] = time.sleep) -> Iterator[Drain]:
    """One run per tick until ``max_ticks`` (None: until interrupted). An explicit
    ``since`` moves forward in memory only, past what each tick delivered."""
    check_follow(interval, max_ticks)
    tick = 0
    while max_ticks is None or tick < max_ticks:
        if tick:
            sleep(interval)
        run = export(config, exporter, since=since, dry_run=dry_run)
        if since is not None and run.result.cursor:
            since = max(since, run.result.cursor)
        tick += 1
        yield run


def export_token(run: Drain) -> ExportToken:
    from dos.verdicts.record import ExportToken

    if not run.real:
        return ExportToken.NULL_SINK
    if run.dry_run:
        return ExportToken.DRY_RUN
    if run.pending == 0:
        return ExportToken.NOTHING_PENDING
    return ExportToken.EXPORTED if run.result.exported >= run.pending else \
        ExportToken.NOT_EXPORTED


def export_json(run: Drain) -> ExportJSON:
    return with_schema({  # type: ignore[no-any-return]
        "verdict": export_token(run).value, "exporter": run.transport, "since": run.since,
        "since_auto": run.auto, "pending": run.pending, "dry_run": run.dry_run,
        "result": run.result.to_dict(),
        "cursor": {"before": run.cursor_before, "after": run.cursor_after,
                   "saved": run.cursor_saved}}, _FAMILY)
