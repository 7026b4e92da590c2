"""``dos helped``: what the hooks prevented, for the CLI and MCP alike."""

from __future__ import annotations

from typing import Any

from dos.config import SubstrateConfig
from dos.errors import UsageError
from dos.record.helped import CAUGHT, Helped, fold
from dos.render import with_schema

__all__ = ["helped", "helped_json"]

_MAX_SESSION = 200


def helped(config: SubstrateConfig, *, session: str | None = None, since: str | None = None,
           examples: int = 5) -> Helped:
    """Fold the hook decisions in the verdict journal; a workspace without a store (or a
    journal) has prevented nothing yet, and none is created to say so."""
    if session is not None and not 0 < len(session) <= _MAX_SESSION:
        raise UsageError("--session must be a session id of 1 to 200 characters",
                         hint="copy it from the host's hook payload (session_id)")
    from dos.api.observe import since_ms
    from dos.record.verdict_journal import read_events
    from dos.store import store_for

    if since is not None:
        since_ms(since, 0)  # malformed: a usage error before the store is read
    store = store_for(config)
    try:
        if not store.exists():
            return Helped()
        with store.transaction(write=False) as tx:
            cutoff = since_ms(since, tx.now_ms()) if since is not None else None
            return fold(read_events(tx), session=session, since_ms=cutoff, examples=examples)
    finally:
        store.close()


def helped_json(result: Helped) -> dict[str, Any]:
    from dos.api.observe import iso_ms

    def when(ms: int | None) -> str | None:
        return None if ms is None else iso_ms(ms)

    payload = {
        "total": result.total, "refusals": result.refusals,
        "by_reason": dict(result.by_reason.most_common()),
        "by_tool": dict(result.by_tool.most_common()),
        "since": when(result.first_ms), "latest": when(result.latest_ms),
        "examples": {reason: [{"session": c.session, "target": c.target, "tool": c.tool,
                               "reason": c.reason, "ts": iso_ms(c.ts_ms),
                               "attempts": c.attempts} for c in catches]
                     for reason, catches in result.examples.items()},
        "glossary": {reason: CAUGHT[reason] for reason in result.by_reason}}
    return with_schema(payload, "helped")  # type: ignore[no-any-return]
