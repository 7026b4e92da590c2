"""What the temporal verbs share: the verdict line, the clock, argument checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from dos.config import SubstrateConfig
from dos.errors import UsageError
from dos.render import emit_json

__all__ = ["emit_verdict", "non_negative", "resolve_now"]


def emit_verdict(token: str, reason: str, payload: Mapping[str, Any], output: str,
                 details: Iterable[str] = ()) -> None:
    """``TOKEN  reason`` (two spaces) and any detail lines, or the payload as one JSON line."""
    if output == "json":
        emit_json(dict(payload))
        return
    print(f"{token}  {reason}")
    for line in details:
        print(line)


def non_negative(flag: str, value: int | None) -> int | None:
    if value is not None and value < 0:
        raise UsageError(f"{flag} must be 0 or more, got {value}",
                         hint=f"pass {flag} as a non-negative integer")
    return value


def resolve_now(config: SubstrateConfig, now_ms: int | None) -> int:
    """``--now-ms`` when given, else the store's clock (the wall clock without a store)."""
    if now_ms is not None:
        non_negative("--now-ms", now_ms)
        return now_ms
    from dos.temporal.evidence import store_now_ms

    return store_now_ms(config)
