"""Parameter types the tools share, with the descriptions a host shows its model."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from mcp.types import CallToolResult
from pydantic import Field

__all__ = ["EPOCH_MS_MAX", "RANGES", "Answer", "Grade", "Lane", "Leases", "Mode", "Owner", "Ref",
           "RunId", "Workspace"]

# A tool's result: built by hand (see results.py), published as a free-form object schema.
Answer = Annotated[CallToolResult, dict[str, Any]]

Workspace = Annotated[str | None, Field(
    description="the workspace directory (default: the server's workspace); relative paths "
                "resolve against the server's workspace, and a path outside it is refused "
                "unless the server was started with --allow-any-workspace")]
Ref = Annotated[str, Field(description="a branch, tag or commit sha (default HEAD)")]
Lane = Annotated[str, Field(description="the lane (any alias or case); empty asks to "
                                        "auto-pick a free lane")]
Owner = Annotated[str, Field(description="the holder's identity, e.g. your session id "
                                         "(default: the server's $DOS_OWNER)")]
Mode = Annotated[Literal["exclusive", "shared"], Field(
    description="lease mode: two shared leases may overlap (default exclusive)")]
Grade = Literal["none", "subject", "artifact", "registry-verified"]
Leases = Annotated[list[dict[str, Any]] | None, Field(
    description="lease objects (the shape `dos lease-lane live --json` prints)")]
RunId = Annotated[str, Field(description="the run, e.g. RID-1M8HSC4V72JNYG0 "
                                         "(minted by `dos run-id mint`)")]

# The latest epoch-ms a date can hold (9999-12-31T23:59:59.999Z).
EPOCH_MS_MAX = 253_402_300_799_999
_YEAR_S = 31_536_000
# Bounds on numeric arguments by name (each name is one quantity in every tool that takes
# it): (minimum, maximum, whether the minimum itself is excluded). Published in the schema.
RANGES: dict[str, tuple[int, int, bool]] = {
    "ttl_seconds": (0, _YEAR_S, True),
    "coalesce_within_s": (0, _YEAR_S, False),
    "now_ms": (0, EPOCH_MS_MAX, False),
    "last_heartbeat_age_ms": (0, EPOCH_MS_MAX, False),
    "pid": (1, 2**31 - 1, False),
    "lease_id": (1, 2**63 - 1, False),
    "tail": (1, 10_000, False),
    "min_chars": (0, 1_000_000, False),
    "budget_ms": (10, 60_000, False),
    "limit": (1, 10_000, False),
    "to_seq": (1, 2**63 - 1, False),
    "race_max_age": (0, 100 * _YEAR_S, False),
    "window": (1, 1000, False),
    "min_rate": (0, 1, False),
}
