"""The OTLP exporter: each verdict a log record, plus a counter per (syscall, verdict),
sent with the OpenTelemetry SDK's OTLP/HTTP exporters (the ``[otlp]`` extra).

The endpoint is the collector's base URL: ``endpoint`` > ``$DOS_OTLP_ENDPOINT`` >
``$OTEL_EXPORTER_OTLP_ENDPOINT`` > ``http://localhost:4318``; logs go to ``/v1/logs``
and metrics to ``/v1/metrics``. Records carry ``dos.*`` attributes and a severity from
the verdict's level (INFO 9, WARN 13, ERROR 17).
"""

from __future__ import annotations

import math
import os
from collections import Counter
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from dos.errors import UsageError
from dos.record.exporters import ExportResult
from dos.record.severity import Level, level_of
from dos.record.verdict_event import VerdictEvent

__all__ = ["DEFAULT_ENDPOINT", "OtlpExporter", "attributes", "log_fields"]

DEFAULT_ENDPOINT = "http://localhost:4318"
_SEVERITY = {Level.INFO: 9, Level.WARN: 13, Level.ERROR: 17}


def attributes(event: VerdictEvent) -> dict[str, str | int | float | bool]:
    """The ``dos.*`` attributes of one record (empty identity fields left out)."""
    found: dict[str, str | int | float | bool] = {
        "dos.syscall": event.syscall, "dos.verdict": event.verdict,
        "dos.source": event.source, "dos.seq": event.seq}
    for key in ("run_id", "lane", "subject"):
        if value := getattr(event, key):
            found[f"dos.{key}"] = value
    for key, value in event.detail.items():
        if value is not None:
            found[f"dos.detail.{key}"] = value
    return found


def log_fields(event: VerdictEvent) -> dict[str, Any]:
    level = level_of(event.verdict)
    return {"timestamp": event.ts_ms * 1_000_000, "severity_number": _SEVERITY[level],
            "severity_text": level.value, "body": f"{event.syscall} {event.verdict}",
            "attributes": attributes(event)}


def _endpoint(raw: str | None) -> str:
    url = (raw or os.environ.get("DOS_OTLP_ENDPOINT", "")
           or os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT", "") or DEFAULT_ENDPOINT).strip()
    try:
        parts = urlsplit(url)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname) and len(url) < 2048
    except ValueError:
        valid = False
    if not valid:
        raise UsageError(f"OTLP endpoint {url[:120]!r} is not an http(s) URL",
                         hint="pass --endpoint http://collector:4318 (the base URL; "
                         "/v1/logs and /v1/metrics are added)")
    return url.rstrip("/")


def _timeout(raw: float | None) -> float:
    value = 10.0 if raw is None else float(raw)
    if not (math.isfinite(value) and 0 < value <= 300):
        raise UsageError(f"--timeout must be 0 < seconds <= 300, got {raw}")
    return value


class OtlpExporter:
    name = "otlp"

    def __init__(self, endpoint: str | None = None, timeout: float | None = None) -> None:
        self.endpoint, self.timeout = _endpoint(endpoint), _timeout(timeout)
        try:
            from dos.record.exporters import _otlp_sdk
        except ImportError as exc:
            raise UsageError(
                f"the otlp exporter needs the OpenTelemetry SDK, which is not installed "
                f"(missing module {exc.name or exc})",
                hint="pip install 'dispatch-os[otlp]'") from None
        self._sdk = _otlp_sdk

    def export(self, events: Sequence[VerdictEvent]) -> ExportResult:
        if not events:
            return ExportResult(0, "nothing to export")
        url = self.endpoint
        accepted, said = self._sdk.ship_logs(f"{url}/v1/logs", [log_fields(e) for e in events],
                                             self.timeout)
        if accepted < len(events):
            why = said[-1] if said else "the collector did not accept them"
            return ExportResult(0, f"{url}/v1/logs took {accepted}/{len(events)} log "
                                   f"record(s): {why}")
        counts = Counter((event.syscall, event.verdict) for event in events)
        metrics_ok, said = self._sdk.ship_metrics(f"{url}/v1/metrics", counts, self.timeout)
        if not metrics_ok:
            why = said[-1] if said else "the collector did not accept them"
            return ExportResult(0, f"logs sent, but {url}/v1/metrics refused the counters: "
                                   f"{why}")
        return ExportResult(len(events), f"sent {len(events)} log record(s) and "
                            f"{len(counts)} counter(s) to {url}",
                            cursor=max(event.seq for event in events), acknowledged=True)
