"""Where verdicts go after they are decided: a sink that does nothing by default.

A verdict journal, an exporter or a test installs its own sink with
:func:`set_sink`; the verdict code calls :func:`emit` and never knows who listens.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any, Protocol

from dos.verdicts import VerdictToken

__all__ = ["NullSink", "VerdictSink", "emit", "get_sink", "set_sink"]


class VerdictSink(Protocol):
    """Receives every verdict: the verb, its token and its JSON payload."""

    def record(self, verb: str, token: VerdictToken, payload: Mapping[str, Any]) -> None: ...


class NullSink:
    """The default: verdicts are not recorded anywhere."""

    def record(self, verb: str, token: VerdictToken, payload: Mapping[str, Any]) -> None:
        del verb, token, payload  # a no-op by design


_SINK: VerdictSink = NullSink()
_LOCK = threading.Lock()


def set_sink(sink: VerdictSink | None) -> VerdictSink:
    """Install ``sink`` (``None`` restores the no-op default); returns the previous one."""
    global _SINK
    with _LOCK:
        previous, _SINK = _SINK, sink if sink is not None else NullSink()
        return previous


def get_sink() -> VerdictSink:
    return _SINK


def emit(verb: str, token: VerdictToken, payload: Mapping[str, Any]) -> None:
    """Hand one verdict to the installed sink."""
    _SINK.record(verb, token, payload)
