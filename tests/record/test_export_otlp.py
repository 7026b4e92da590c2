"""dos export --to otlp: a local OTLP/HTTP receiver decodes what the SDK sent (log
records with dos.* attributes and severities, counters per syscall x verdict)."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue
from opentelemetry.proto.logs.v1.logs_pb2 import LogRecord
from tests._support.leases import Ran, Workspace
from tests._support.receivers import Receiver, closed_port, http_receiver
from tests._support.verdicts import remembered, seed, verdict

from dos.record.export_drain import CURSOR_NAMESPACE

PROTOBUF = "application/x-protobuf"


def _value(value: AnyValue) -> Any:
    return getattr(value, value.WhichOneof("value"))


def _attrs(pairs: Any) -> dict[str, Any]:
    return {pair.key: _value(pair.value) for pair in pairs}


def _records(receiver: Receiver) -> list[LogRecord]:
    found = []
    for request in receiver.requests:
        if request.path == "/v1/logs":
            body = ExportLogsServiceRequest.FromString(request.body)
            found += [record for logs in body.resource_logs for scope in logs.scope_logs
                      for record in scope.log_records]
    return found


def _points(receiver: Receiver) -> dict[tuple[str, str], int]:
    points: dict[tuple[str, str], int] = {}
    for request in receiver.requests:
        if request.path != "/v1/metrics":
            continue
        body = ExportMetricsServiceRequest.FromString(request.body)
        for metrics in body.resource_metrics:
            assert _attrs(metrics.resource.attributes)["service.name"] == "dos"
            for metric in (m for scope in metrics.scope_metrics for m in scope.metrics):
                assert metric.name == "dos.verdicts"
                assert metric.sum.is_monotonic
                assert metric.sum.aggregation_temporality == 1  # DELTA
                for point in metric.sum.data_points:
                    attrs = _attrs(point.attributes)
                    points[(attrs["dos.syscall"], attrs["dos.verdict"])] = point.as_int
    return points


@pytest.fixture
def collector() -> Iterator[Receiver]:
    with http_receiver(lambda _request: (200, PROTOBUF, b"")) as receiver:
        yield receiver


def _history(workspace: Workspace) -> None:
    seed(workspace.config(),
         verdict("verify", "NOT_SHIPPED", subject="AUTH::AUTH2", run_id="run-7",
                 source="mcp", grade="none", commits=0),
         verdict("liveness", "SPINNING", lane="src", run_id="run-8", age_s=12.5),
         verdict("verify", "SHIPPED", subject="AUTH::AUTH1", flag=True),
         verdict("verify", "NOT_SHIPPED", subject="AUTH::AUTH3"))


def test_log_records_and_counters_reach_the_collector(
        workspace: Workspace, dos_run: Callable[..., Ran], collector: Receiver) -> None:
    _history(workspace)
    ran = dos_run("export", "--to", "otlp", "--endpoint", collector.url)
    assert ran.code == 0, ran.err + ran.out
    assert "exported 4/4 via otlp" in ran.out
    assert all(r.headers["content-type"] == PROTOBUF for r in collector.requests)
    records = _records(collector)
    assert [record.body.string_value for record in records] == [
        "verify NOT_SHIPPED", "liveness SPINNING", "verify SHIPPED", "verify NOT_SHIPPED"]
    assert [(r.severity_number, r.severity_text) for r in records] == [
        (17, "ERROR"), (13, "WARN"), (9, "INFO"), (17, "ERROR")]
    assert _attrs(records[0].attributes) == {
        "dos.syscall": "verify", "dos.verdict": "NOT_SHIPPED", "dos.source": "mcp",
        "dos.seq": 1, "dos.run_id": "run-7", "dos.subject": "AUTH::AUTH2",
        "dos.detail.grade": "none", "dos.detail.commits": 0}
    assert _attrs(records[1].attributes) == {
        "dos.syscall": "liveness", "dos.verdict": "SPINNING", "dos.source": "cli",
        "dos.seq": 2, "dos.run_id": "run-8", "dos.lane": "src", "dos.detail.age_s": 12.5}
    assert _attrs(records[2].attributes)["dos.detail.flag"] is True
    assert [r.time_unix_nano for r in records] == [ts * 1_000_000 for ts in _stamps(workspace)]
    assert _points(collector) == {("verify", "NOT_SHIPPED"): 2, ("liveness", "SPINNING"): 1,
                                  ("verify", "SHIPPED"): 1}
    assert remembered(workspace.config(), CURSOR_NAMESPACE, "otlp") == 4

    collector.requests.clear()
    again = dos_run("export", "--to", "otlp", "--endpoint", collector.url)
    assert again.code == 0
    assert "nothing to export" in again.out
    assert collector.requests == []  # the cursor kept the re-run from re-shipping


def _stamps(workspace: Workspace) -> list[int]:
    """The store-clock stamps of the journaled verdicts, in seq order."""
    from dos.store import reading

    with reading(workspace.config()) as tx:
        assert tx is not None
        return [record.ts_ms for record in tx.verdict_records()]


def test_endpoint_from_the_environment(workspace: Workspace, dos_run: Callable[..., Ran],
                                       collector: Receiver,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    seed(workspace.config(), verdict("verify", "SHIPPED"))
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1")  # loses to ours
    monkeypatch.setenv("DOS_OTLP_ENDPOINT", collector.url + "/")
    assert dos_run("export", "--to", "otlp").code == 0
    assert sorted(collector.paths()) == ["/v1/logs", "/v1/metrics"]


def test_a_refusing_collector_is_exit_1_and_keeps_the_cursor(
        workspace: Workspace, dos_run: Callable[..., Ran]) -> None:
    _history(workspace)
    with http_receiver(lambda _request: (400, "text/plain", b"bad request")) as refusing:
        ran = dos_run("--json", "export", "--to", "otlp", "--endpoint", refusing.url,
                      "--timeout", "2")
    assert ran.code == 1
    assert ran.json()["verdict"] == "NOT_EXPORTED"
    assert "took 0/4 log record(s)" in ran.json()["result"]["detail"]
    assert "400" in ran.json()["result"]["detail"]
    assert ran.err == ""  # the SDK's complaints are in the answer, not on stderr
    assert remembered(workspace.config(), CURSOR_NAMESPACE, "otlp") is None


def test_metrics_refused_is_not_exported(workspace: Workspace,
                                         dos_run: Callable[..., Ran]) -> None:
    _history(workspace)

    def logs_only(request: Any) -> tuple[int, str, bytes]:
        return (200, PROTOBUF, b"") if request.path == "/v1/logs" else (404, "text/plain", b"")

    with http_receiver(logs_only) as half:
        ran = dos_run("export", "--to", "otlp", "--endpoint", half.url, "--timeout", "2")
    assert ran.code == 1
    assert "refused the counters" in ran.out
    assert remembered(workspace.config(), CURSOR_NAMESPACE, "otlp") is None


def test_nobody_listening_is_exit_1(workspace: Workspace, dos_run: Callable[..., Ran]) -> None:
    _history(workspace)
    port = closed_port(kind=socket.SOCK_STREAM)
    ran = dos_run("export", "--to", "otlp", "--endpoint", f"http://127.0.0.1:{port}",
                  "--timeout", "0.5")
    assert ran.code == 1
    assert "NOT exported 0/4" in ran.out


@pytest.mark.parametrize("endpoint", ["file:///etc/passwd", "ftp://x", "localhost:4318",
                                      "http://", "http://[::1"])
def test_endpoint_must_be_http(workspace: Workspace, dos_run: Callable[..., Ran],
                               endpoint: str) -> None:
    ran = dos_run("export", "--to", "otlp", "--endpoint", endpoint)
    assert ran.code == 2
    assert "is not an http(s) URL" in ran.err


def test_a_missing_extra_is_exit_2_with_the_install_command(workspace: Workspace) -> None:
    seed(workspace.config(), verdict("verify", "SHIPPED"))
    blocked = ("import sys; sys.modules['opentelemetry'] = None; from dos.cli import main; "
               f"sys.exit(main(['--workspace', {str(workspace.path)!r}, 'export', '--to', "
               "'otlp', '--endpoint', 'http://127.0.0.1:9']))")
    done = subprocess.run([sys.executable, "-c", blocked], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 2, done.stderr
    assert "needs the OpenTelemetry SDK" in done.stderr
    assert "pip install 'dispatch-os[otlp]'" in done.stderr
    assert "Traceback" not in done.stderr
