"""The StatsD exporter: one counter per (syscall, verdict), DogStatsD tags, over UDP.

``dos.verdict:<n>|c|#syscall:<s>,verdict:<v>``, one datagram per line. UDP carries no
acknowledgement, so the exporter says "sent", never "delivered"; but it connects the
socket and waits briefly for the ICMP refusal a closed port sends back, so a StatsD
agent that is not listening is a failed export, not a silent success.
"""

from __future__ import annotations

import os
import re
import socket
from collections import Counter
from collections.abc import Sequence

from dos.errors import UsageError
from dos.limits import decimal_int
from dos.record.exporters import ExportResult
from dos.record.verdict_event import VerdictEvent

__all__ = ["METRIC", "StatsdExporter", "statsd_lines"]

METRIC = "dos.verdict"
_HOST = re.compile(r"^[A-Za-z0-9._:-]{1,253}$")
_UNSAFE = re.compile(r"[|,#:@\s]")  # StatsD and tag delimiters
_REFUSAL_WAIT_S = 0.1


def _tag(value: str) -> str:
    return _UNSAFE.sub("_", value)[:200] or "none"


def statsd_lines(events: Sequence[VerdictEvent]) -> list[str]:
    """The counter lines for ``events``, one per (syscall, verdict), in first-seen order."""
    counts = Counter((event.syscall, event.verdict) for event in events)
    return [f"{METRIC}:{count}|c|#syscall:{_tag(syscall)},verdict:{_tag(verdict)}"
            for (syscall, verdict), count in counts.items()]


def _port(raw: int | str | None) -> int:
    text = str(raw if raw is not None else os.environ.get("DOS_STATSD_PORT", "") or 8125)
    port = decimal_int(text, 1, 65_535)  # isdigit() alone passes '²', which int() refuses
    if port is None:
        raise UsageError(f"StatsD port {text[:40]!r} is not a port number",
                         hint="pass --port 1-65535 (the StatsD default is 8125)")
    return port


def _host(raw: str | None) -> str:
    host = (raw or os.environ.get("DOS_STATSD_HOST", "") or "127.0.0.1").strip("[]")
    if not _HOST.match(host):
        raise UsageError(f"StatsD host {host[:80]!r} is not a host name or address",
                         hint="pass --host with a name or IP address, e.g. 127.0.0.1")
    return host


class StatsdExporter:
    name = "statsd"

    def __init__(self, host: str | None = None, port: int | str | None = None) -> None:
        self.host, self.port = _host(host), _port(port)

    def export(self, events: Sequence[VerdictEvent]) -> ExportResult:
        lines = statsd_lines(events)
        if not lines:
            return ExportResult(0, "nothing to send")
        where = f"{self.host}:{self.port}"
        try:
            self._send(lines)
        except ConnectionRefusedError:
            return ExportResult(0, f"refused by {where}: no StatsD agent listens there")
        except OSError as exc:
            return ExportResult(0, f"cannot send to {where}: {exc.strerror or exc}")
        return ExportResult(
            len(events), f"sent {len(lines)} datagram(s) for {len(events)} event(s) to {where}"
            " (UDP: unacknowledged, no refusal seen)", cursor=max(e.seq for e in events))

    def _send(self, lines: list[str]) -> None:
        family, kind, proto, _, address = socket.getaddrinfo(
            self.host, self.port, type=socket.SOCK_DGRAM)[0]
        with socket.socket(family, kind, proto) as sock:
            sock.connect(address)  # a connected socket hears the port's ICMP refusal
            for line in lines:
                sock.send(line.encode("utf-8"))
            sock.settimeout(_REFUSAL_WAIT_S)
            try:
                sock.recv(1)
            except TimeoutError:
                return
