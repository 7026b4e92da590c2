"""``dos notify decisions|top``: build the notification, deliver it through a notifier."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from dos.errors import UsageError
from dos.render import with_schema
from dos.structs import struct

if TYPE_CHECKING:
    from dos.config import SubstrateConfig
    from dos.record.notifiers import Notification, Notifier, NotifyResult
    from dos.verdicts.record import NotifyToken

__all__ = ["SURFACES", "NotifyJSON", "NotifyReport", "build_note", "deliver", "notify_json",
           "notify_token", "open_notifier"]

_FAMILY = "notify"
SURFACES = ("decisions", "top")
_MAX_TOP = 50


class NotifyJSON(TypedDict):
    verdict: str
    notifier: str
    dry_run: bool
    notification: dict[str, Any]
    result: dict[str, Any]
    schema: dict[str, Any]


@struct
class NotifyReport:
    note: Notification
    result: NotifyResult
    notifier: str
    target: str
    dry_run: bool

    @property
    def real(self) -> bool:
        return self.notifier != "null"


def open_notifier(name: str, config: SubstrateConfig, options: dict[str, Any]) -> Notifier:
    """The notifier ``name`` with the CLI's settings and a memory in the store."""
    from dos.record.notifiers import open_notifier as open_named
    from dos.record.notifiers.memory import StoreMemory

    memory = StoreMemory(config, f"notify-{name}")
    return open_named(name, {**options, "memory": memory, "root": config.root})


def build_note(config: SubstrateConfig, surface: str, *, top: int = 5,
               everything: bool = False) -> Notification:
    """The notification for ``surface``: the decisions queue (HUMAN rows, every row with
    ``everything``), or the fleet from ``dos top``'s frame."""
    if surface not in SURFACES:
        raise UsageError(f"unknown surface {surface!r}", hint="notify decisions or notify top")
    if not 0 <= top <= _MAX_TOP:
        raise UsageError(f"--top must be 0 to {_MAX_TOP}, got {top}",
                         hint="--top K lists the first K rows as fields")
    if surface == "top":
        from dos.api.top import frame
        from dos.api.top_note import top_note

        return top_note(frame(config), top=top)
    from dos.api.decisions import queue
    from dos.record.notify_fold import decisions_note

    found = queue(config, everything=everything)
    return decisions_note(found.rows, hidden=found.hidden, top=top, workspace=str(config.root))


def deliver(notifier: Notifier, note: Notification, *, dry_run: bool = False) -> NotifyReport:
    from dos.record.notifiers import NotifyResult, safe_send

    target = str(getattr(notifier, "target", notifier.name))
    if dry_run:
        result = NotifyResult(False, f"dry run: would send via {notifier.name} to {target}")
    else:
        result = safe_send(notifier, note)
    return NotifyReport(note, result, notifier.name, target, dry_run)


def notify_token(report: NotifyReport) -> NotifyToken:
    from dos.verdicts.record import NotifyToken

    if not report.real:
        return NotifyToken.NULL_SINK
    if report.dry_run:
        return NotifyToken.DRY_RUN
    return NotifyToken.DELIVERED if report.result.delivered else NotifyToken.NOT_DELIVERED


def notify_json(report: NotifyReport) -> NotifyJSON:
    return with_schema({  # type: ignore[no-any-return]
        "verdict": notify_token(report).value, "notifier": report.notifier,
        "dry_run": report.dry_run, "notification": report.note.to_dict(),
        "result": report.result.to_dict()}, _FAMILY)
