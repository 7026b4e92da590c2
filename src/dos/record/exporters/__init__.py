"""The exporter seam: ship verdict events to a transport (a file, StatsD, OTLP, …).

An exporter has a ``name`` and ``export(events) -> ExportResult``. Built-ins resolve
first and cannot be shadowed; third-party exporters register in the ``dos.exporters``
entry-point group. Every exporter is built with the settings its constructor names
out of one superset (``path, host, port, endpoint, timeout, root``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from dos.errors import PluginError
from dos.record.verdict_event import VerdictEvent
from dos.structs import struct

__all__ = ["BUILTIN_EXPORTERS", "EXPORTER_GROUP", "ExportResult", "Exporter", "known_exporters",
           "open_exporter", "safe_export"]

EXPORTER_GROUP = "dos.exporters"
BUILTIN_EXPORTERS = {
    "null": "dos.record.exporters.null:NullExporter",
    "file": "dos.record.exporters.file:FileExporter",
    "statsd": "dos.record.exporters.statsd:StatsdExporter",
    "otlp": "dos.record.exporters.otlp:OtlpExporter",
}


@struct
class ExportResult:
    """What a transport took: ``exported`` events up to seq ``cursor`` (0: none).

    ``acknowledged`` says the far side confirmed them (a 2xx, a synced file); a StatsD
    datagram can only be sent, never acknowledged.
    """

    exported: int
    detail: str
    cursor: int = 0
    acknowledged: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"exported": self.exported, "detail": self.detail, "cursor": self.cursor,
                "acknowledged": self.acknowledged}


@runtime_checkable
class Exporter(Protocol):
    name: str

    def export(self, events: Sequence[VerdictEvent]) -> ExportResult: ...


def known_exporters() -> tuple[str, ...]:
    from dos.plugins import plugin_names

    return plugin_names(EXPORTER_GROUP, BUILTIN_EXPORTERS)


def open_exporter(name: str, options: Mapping[str, Any]) -> Exporter:
    """The exporter ``name``, built from ``options``; unknown or misfit → PluginError."""
    from dos.plugins import build_plugin, load_plugin

    factory = load_plugin(EXPORTER_GROUP, name, BUILTIN_EXPORTERS, kind="exporter")
    exporter = build_plugin(factory, options, kind="exporter", name=name)
    if not isinstance(exporter, Exporter):
        raise PluginError(f"exporter '{name}' has no name or no export(events) method",
                          hint="an exporter needs name: str and export(events) -> ExportResult")
    return exporter


def safe_export(exporter: Exporter, events: Sequence[VerdictEvent]) -> ExportResult:
    """``exporter.export(events)``, with a raise or a wrong answer as nothing exported."""
    try:
        result = exporter.export(events)
    except Exception as exc:  # noqa: BLE001 - a plugin's crash is a failed export, not ours
        return ExportResult(0, f"error: {type(exc).__name__}: {exc}")
    if not isinstance(result, ExportResult):
        return ExportResult(0, f"exporter returned a {type(result).__name__}, "
                               "not an ExportResult")
    return result
