"""The null exporter: takes nothing, so ``dos export`` without ``--to`` ships nothing."""

from __future__ import annotations

from collections.abc import Sequence

from dos.record.exporters import ExportResult
from dos.record.verdict_event import VerdictEvent

__all__ = ["NullExporter"]


class NullExporter:
    name = "null"

    def export(self, events: Sequence[VerdictEvent]) -> ExportResult:
        return ExportResult(0, f"null sink: {len(events)} event(s) not exported")
