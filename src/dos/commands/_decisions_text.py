"""The decisions queue as text (``dos decisions``): the frame, one row, a resolution."""

from __future__ import annotations

from dos.api.decisions import DecisionQueue
from dos.record.decisions import DecisionRow, Resolution, Resolver
from dos.record.decisions.model import iso_ms
from dos.render import paint

__all__ = ["frame", "resolution_text", "row_text"]

_TEXT = 56


def age(seconds: int) -> str:
    for unit, size in (("d", 86_400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def _cut(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[:width - 1] + "…"


def _line(row: DecisionRow, color: bool) -> str:
    urgent = row.urgency == "now" and row.resolver is Resolver.HUMAN
    mark = paint("!", "bold", "red", enabled=color) if urgent else " "
    what = f"{row.reason_token} {row.reason_text}".strip() if row.reason_token not in (
        "HALT_PROPOSED", "RESTART_INTENSITY") else row.reason_text
    dup = f"  ×{row.dup_count}" if row.dup_count > 1 else ""  # noqa: RUF001 - the repeat mark
    return (f"  {mark}{row.number:>3} {age(row.age_seconds):>5}  {row.kind.value:<18}  "
            f"{row.lane or '-':<10}  {row.resolver.value:<12} {_cut(what, _TEXT)}{dup}")


def _spread(counts: dict[str, int]) -> str:
    return " ".join(f"{name}:{counts[name]}" for name in Resolver if counts.get(name))


def _history(queue: DecisionQueue) -> list[str]:
    if not queue.history:
        return ["", "  recent decisions: none journaled"]
    lines = ["", "  recent decisions"]
    for item in queue.history[:20]:
        what = f"{item.kind} @ {item.lane or '-'}"
        note = f"  — {_cut(item.note, 60)}" if item.note else ""
        lines.append(f"    {iso_ms(item.ts_ms)}  {item.decision:<8}  {what}  by "
                     f"{item.owner or '(unknown)'}{note}")
    return lines


def frame(queue: DecisionQueue, *, color: bool = False) -> str:
    """The queue: a header, one line per row, the counts, the way on."""
    lines = ["# operator decisions"]
    hidden = _spread({k: v for k, v in queue.counts.items() if k != "HUMAN"})
    if not queue.rows:
        lines.append("  (none pending - nothing is waiting on you)")
        if queue.hidden:
            lines.append(f"  ({queue.hidden} more settle without you: {hidden} — "
                         "`dos decisions --all`)")
    else:
        now = sum(row.urgency == "now" for row in queue.rows)
        lines += [f"  {len(queue.rows)} pending  ({now} now)",
                  f"     #   age  {'kind':<18}  {'lane':<10}  waiting on / do",
                  "  " + "-" * 86, *(_line(row, color) for row in queue.rows), ""]
        shown = _spread({name.value: sum(row.resolver is name for row in queue.rows)
                         for name in Resolver})
        more = f"  ·  {queue.hidden} more: {hidden} (`dos decisions --all`)" \
            if queue.hidden else ""
        lines += [f"  → {len(queue.rows)} pending ({shown}){more}",
                  "  `dos decisions show <#>` to drill in · "
                  "`dos decisions resolve <#> --approve|--dismiss` to decide"]
    lines += [f"  note: {note}" for note in queue.notes]
    return "\n".join(lines + (_history(queue) if queue.everything else []))


def row_text(row: DecisionRow) -> str:
    """One row in full (``dos decisions show N``)."""
    seen = f"seen {row.dup_count} times" if row.dup_count > 1 else "seen once"
    lines = [f"# decision {row.number} · {row.handle}",
             f"  KIND      {row.kind.value}",
             f"  RESOLVER  {row.resolver.value} ({row.urgency})",
             f"  LANE      {row.lane or '-'}",
             f"  DETAIL    {row.reason_token} — {' '.join(row.reason_text.split())}",
             f"  RUN       {row.run_id or '-'}",
             f"  AGE       {age(row.age_seconds)} (since {iso_ms(row.first_ts_ms)}; {seen})",
             "  EVIDENCE", *(f"    - {item}" for item in row.evidence or ("(none)",)),
             f"  SOURCE    {row.source or '-'}", "  ACTIONS"]
    then = f"   (prints: {row.proposed_command})" if row.proposed_command else ""
    lines += [f"    [a] dos decisions resolve {row.handle} --approve{then}",
              f"    [d] dos decisions resolve {row.handle} --dismiss"]
    lines += [f"    [c] {row.proposed_command}"] if row.proposed_command else []
    return "\n".join(lines)


def resolution_text(done: Resolution) -> str:
    verb = {"approve": "approved", "dismiss": "dismissed"}.get(done.decision, done.decision)
    lines = [f"{verb} #{done.number} {done.kind} @ {done.lane or '-'} ({done.handle}) — journaled "
             f"as seq {done.seq} by {done.owner}"]
    if done.decision == "approve":
        lines.append(f"  run: {done.command}" if done.command else
                     "  (no command was recorded with this row: act on it by hand)")
    return "\n".join(lines)
