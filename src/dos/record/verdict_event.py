"""One decision the referee made, as the verdict journal keeps it.

Every verdict-bearing verb (CLI, MCP, API) and every hook decision becomes one
:class:`VerdictEvent`. Exporters, notifiers, ``dos observe`` and ``dos helped`` read only
this shape, so the journal's storage can change without touching them.

Hook decisions carry these ``detail`` keys (all optional, all scalars): ``session``
(the host's session id), ``tool`` (the tool the agent called), ``target`` (the
workspace-relative path or command the call aimed at, or the tool a ``[precursor]``
check judged), ``reason`` (a reason token such as ``LANE_HELD``, ``OUTSIDE_WORKSPACE``,
``MISSING_PRECURSOR``, ``FALSE_DONE``), ``holder`` (who holds the lane, when a lane
refused the call), ``missing`` (the lookups a ``MISSING_PRECURSOR`` call had not made,
comma-separated) and ``dialect``.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from dos.structs import field, struct

__all__ = ["Scalar", "Source", "VerdictEvent"]

Scalar = str | int | float | bool | None


class Source(StrEnum):
    """Which surface made the decision."""

    CLI = "cli"
    MCP = "mcp"
    HOOK = "hook"
    API = "api"


@struct
class VerdictEvent:
    """A journaled decision: ``seq`` is gap-free per store, ``ts_ms`` is the store's clock."""

    seq: int
    ts_ms: int
    syscall: str
    verdict: str
    source: str
    subject: str = ""
    run_id: str = ""
    lane: str = ""
    detail: Mapping[str, Scalar] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The record as ``--json`` and the file exporter write it."""
        return {"seq": self.seq, "ts_ms": self.ts_ms, "syscall": self.syscall,
                "verdict": self.verdict, "source": self.source, "subject": self.subject,
                "run_id": self.run_id, "lane": self.lane, "detail": dict(self.detail)}
