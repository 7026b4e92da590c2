"""The operator's desk as text (``dos top``): lanes, recent verdicts, recent commits."""

from __future__ import annotations

import time

from dos.admission.holder import iso_utc
from dos.api.top import Chip, LaneRow, TopFrame
from dos.render import paint

__all__ = ["WIDTH", "age", "frame"]

WIDTH = 88
_STYLES = {Chip.ADVANCING: ("green",), Chip.SPINNING: ("yellow",),
           Chip.STALLED: ("red", "bold"), Chip.SPAWNING: ("bold",), Chip.FREE: ("dim",)}


def age(ms: int | None) -> str:
    """A compact age: 45s, 12m, 3h, 2d ("-" when unknown)."""
    if ms is None:
        return "-"
    seconds = max(0, ms) // 1000
    for unit, size in (("d", 86_400), ("h", 3_600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def _lane_line(row: LaneRow, *, color: bool) -> str:
    mark = "*" if row.is_exclusive else " "
    chip = paint(f"{row.chip.value:<10}", *_STYLES[row.chip], enabled=color)
    head = f"  {mark}{row.lane:<12} {chip}"
    if row.chip is Chip.FREE:
        return head.rstrip() + (f"  {row.pending_decisions} waiting"
                                if row.pending_decisions else "")
    if row.lease_id is None:  # spawning: a worker is on its way
        return f"{head}  {row.holder}"
    holder = row.holder + (" (expired)" if row.expired else "")
    commits = "?" if row.commits_since_grant is None else str(row.commits_since_grant)
    loop = f"  loop={row.loop_ts}" if row.loop_ts else ""
    return (f"{head}  {holder:<16} lease {age(row.lease_age_ms):<4} hb "
            f"{age(row.heartbeat_age_ms):<4} {commits} commit(s) · "
            f"{row.pending_decisions} waiting{loop}")


def _clock(ms: int) -> str:
    return time.strftime("%H:%M:%S", time.gmtime(ms // 1000))


def _verdict_lines(found: TopFrame) -> list[str]:
    if not found.verdicts:
        return ["  (no verdicts recorded yet — `dos observe` reads the same journal)"]
    return [f"  {_clock(v.ts_ms)}  {v.syscall:<12} {v.verdict:<12} {v.lane or '-':<10} "
            f"{v.subject}".rstrip()[:WIDTH] for v in found.verdicts]


def _commit_lines(found: TopFrame) -> list[str]:
    if found.git_note:
        return [f"  (git could not be read: {found.git_note})"[:WIDTH]]
    return [f"  {c.sha[:9]:<9}  {c.subject}"[:WIDTH] for c in found.activity] or [
        "  (no commits yet)"]


def frame(found: TopFrame, *, color: bool = False,
          footer: str = "read-only · this screen mutates nothing") -> str:
    """One frame, as the reference drew it (chips in colour instead of emoji)."""
    head = f"┌─ dos top · {found.workspace} · {iso_utc(found.now_ms)} "
    lines = [head + "─" * max(0, WIDTH - len(head))]
    if not found.initialized:
        lines.append("  (no store yet — nothing has been leased or judged here)")
    lines.append("LANES                  [* exclusive · liveness counted from each lease's "
                 "grant]")
    lines += [_lane_line(row, color=color) for row in found.lanes] or [
        "  (no lanes declared — `dos init` writes them)"]
    lines.append(f"  {found.totals.line()}")
    lines += ["RECENT VERDICTS        [the verdict journal — dos observe]",
              *_verdict_lines(found),
              "RECENT COMMITS         [ground truth — git history]", *_commit_lines(found),
              "─" * WIDTH, footer]
    return "\n".join(lines)
