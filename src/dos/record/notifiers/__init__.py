"""The notifier seam: deliver one :class:`Notification` to people (a webhook, Slack, …).

A notifier has a ``name`` and ``send(note) -> NotifyResult``. Built-ins resolve first
and cannot be shadowed; third-party notifiers register in the ``dos.notifiers``
entry-point group and are built with the settings their constructor names out of one
superset (``channel, url, token, timeout, memory, root``). ``memory`` keeps small values
per key in the store, e.g. which chat message to edit for a notification key.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

from dos.errors import PluginError
from dos.structs import field, struct

__all__ = [
    "BUILTIN_NOTIFIERS",
    "GLYPHS",
    "NOTIFIER_GROUP",
    "KeyMemory",
    "Notification",
    "Notifier",
    "NotifyResult",
    "Severity",
    "known_notifiers",
    "open_notifier",
    "safe_send",
]

NOTIFIER_GROUP = "dos.notifiers"
BUILTIN_NOTIFIERS = {
    "null": "dos.record.notifiers.null:NullNotifier",
    "webhook": "dos.record.notifiers.webhook:WebhookNotifier",
    "slack": "dos.record.notifiers.slack:SlackNotifier",
}


class Severity(StrEnum):
    INFO = "INFO"
    WARN = "WARN"
    URGENT = "URGENT"


GLYPHS = {Severity.INFO: "·", Severity.WARN: "■", Severity.URGENT: "▲"}


@struct
class Notification:
    """What to tell people, free of any chat or HTTP shape. ``key`` names the thing the
    note is about, so a notifier can edit one message in place instead of posting anew."""

    severity: Severity
    title: str
    summary: str
    key: str
    source: str
    fields: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def headline(self) -> str:
        return f"{GLYPHS[self.severity]} [{self.severity.value}] {self.title}"

    def to_dict(self) -> dict[str, Any]:
        return {"severity": self.severity.value, "title": self.title, "summary": self.summary,
                "fields": [list(pair) for pair in self.fields], "key": self.key,
                "source": self.source}


@struct
class NotifyResult:
    """``ref`` identifies what was delivered (a message ts, an HTTP status), "" if nothing."""

    delivered: bool
    detail: str
    ref: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"delivered": self.delivered, "detail": self.detail, "ref": self.ref}


class KeyMemory(Protocol):
    def get(self, key: str) -> Any: ...

    def put(self, key: str, value: Any) -> None: ...


@runtime_checkable
class Notifier(Protocol):
    name: str

    def send(self, note: Notification) -> NotifyResult: ...


def known_notifiers() -> tuple[str, ...]:
    from dos.plugins import plugin_names

    return plugin_names(NOTIFIER_GROUP, BUILTIN_NOTIFIERS)


def open_notifier(name: str, options: Mapping[str, Any]) -> Notifier:
    """The notifier ``name``, built from ``options``; unknown or misfit → PluginError."""
    from dos.plugins import build_plugin, load_plugin

    factory = load_plugin(NOTIFIER_GROUP, name, BUILTIN_NOTIFIERS, kind="notifier")
    notifier = build_plugin(factory, options, kind="notifier", name=name)
    if not isinstance(notifier, Notifier):
        raise PluginError(f"notifier '{name}' has no name or no send(note) method",
                          hint="a notifier needs name: str and send(note) -> NotifyResult")
    return notifier


def safe_send(notifier: Notifier, note: Notification) -> NotifyResult:
    """``notifier.send(note)``, with a raise or a wrong answer as not delivered."""
    try:
        result = notifier.send(note)
    except Exception as exc:  # noqa: BLE001 - a plugin's crash is a failed delivery, not ours
        return NotifyResult(False, f"error: {type(exc).__name__}: {exc}")
    if not isinstance(result, NotifyResult):
        return NotifyResult(False, f"notifier returned a {type(result).__name__}, "
                                   "not a NotifyResult")
    return result
