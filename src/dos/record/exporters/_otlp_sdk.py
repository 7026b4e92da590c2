"""The OpenTelemetry side of the otlp exporter: the SDK's providers and its OTLP/HTTP
exporters, counting what the collector accepted. Imported only when ``--to otlp``
runs, and only with the ``[otlp]`` extra installed."""

from __future__ import annotations

import logging
import math
from collections import Counter as Tally
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from opentelemetry._logs import LogRecord, SeverityNumber
from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import BatchLogRecordProcessor
from opentelemetry.sdk.metrics import Counter, MeterProvider
from opentelemetry.sdk.metrics.export import AggregationTemporality, PeriodicExportingMetricReader
from opentelemetry.sdk.resources import Resource

__all__ = ["COUNTER", "ship_logs", "ship_metrics"]

COUNTER = "dos.verdicts"
_RESOURCE = {"service.name": "dos"}


class _CountingLogExporter(OTLPLogExporter):
    """The SDK's exporter, remembering how many records the collector accepted."""

    def __init__(self, **settings: Any) -> None:
        super().__init__(**settings)
        self.accepted = self.rejected = 0

    def export(self, batch: Any, *args: Any, **kwargs: Any) -> Any:
        result = super().export(batch, *args, **kwargs)
        if getattr(result, "name", "") == "SUCCESS":
            self.accepted += len(batch)
        else:
            self.rejected += len(batch)
        return result


class _CountingMetricExporter(OTLPMetricExporter):
    def __init__(self, **settings: Any) -> None:
        super().__init__(**settings)
        self.accepted = self.rejected = 0

    def export(self, metrics_data: Any, *args: Any, **kwargs: Any) -> Any:
        result = super().export(metrics_data, *args, **kwargs)
        if getattr(result, "name", "") == "SUCCESS":
            self.accepted += 1
        else:
            self.rejected += 1
        return result


@contextmanager
def _sdk_complaints() -> Iterator[list[str]]:
    """The SDK's log messages, collected for the answer instead of printed on stderr."""
    said: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            said.append(record.getMessage())

    sdk_logger, handler = logging.getLogger("opentelemetry"), Keep(logging.WARNING)
    propagate = sdk_logger.propagate
    sdk_logger.addHandler(handler)
    sdk_logger.propagate = False
    try:
        yield said
    finally:
        sdk_logger.removeHandler(handler)
        sdk_logger.propagate = propagate


def ship_logs(url: str, records: Sequence[Mapping[str, Any]], timeout_s: float
              ) -> tuple[int, list[str]]:
    """Send one log record per mapping; how many the collector accepted, and why not."""
    with _sdk_complaints() as said:
        exporter = _CountingLogExporter(endpoint=url, timeout=timeout_s)
        provider = LoggerProvider(resource=Resource.create(_RESOURCE))
        provider.add_log_record_processor(BatchLogRecordProcessor(
            exporter, max_queue_size=max(len(records), 512), max_export_batch_size=512))
        logger = provider.get_logger("dos.export")
        for fields in records:
            logger.emit(LogRecord(**{**fields, "severity_number": SeverityNumber(
                fields["severity_number"])}))
        provider.force_flush(timeout_millis=int(timeout_s * 1000 * (len(records) // 512 + 2)))
        provider.shutdown()
    return exporter.accepted, said


def ship_metrics(url: str, counts: Tally[tuple[str, str]], timeout_s: float
                 ) -> tuple[bool, list[str]]:
    """One delta counter point per (syscall, verdict); True when the collector took them."""
    with _sdk_complaints() as said:
        exporter = _CountingMetricExporter(
            endpoint=url, timeout=timeout_s,
            preferred_temporality={Counter: AggregationTemporality.DELTA})
        reader = PeriodicExportingMetricReader(exporter, export_interval_millis=math.inf)
        provider = MeterProvider(metric_readers=[reader], resource=Resource.create(_RESOURCE))
        counter = provider.get_meter("dos.export").create_counter(
            COUNTER, unit="{verdict}", description="verdict events, by syscall and verdict")
        for (syscall, verdict), count in counts.items():
            counter.add(count, {"dos.syscall": syscall, "dos.verdict": verdict})
        provider.force_flush(timeout_millis=int(timeout_s * 2000))
        provider.shutdown()
    return exporter.accepted > 0 and exporter.rejected == 0, said
