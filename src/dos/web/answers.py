"""One function per question the web asks, each the very api call (and JSON payload)
behind the CLI's ``--json``: ``dos top``, ``dos decisions [show N]``, ``dos plan`` and
``dos observe`` answer the same bytes here as on the command line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dos.config import SubstrateConfig

__all__ = ["decision", "decisions", "observe", "plan", "resolve", "top"]


def top(config: SubstrateConfig) -> Any:
    from dos.api import top as api

    return api.top_json(api.frame(config))


def decisions(config: SubstrateConfig, *, everything: bool = False,
              since: str | None = None) -> Any:
    from dos.api import decisions as api

    return api.queue_json(api.queue(config, everything=everything, since=since))


def decision(config: SubstrateConfig, target: str, *, since: str | None = None) -> Any:
    """``dos decisions show N --json``: one row of the whole queue, by # or handle."""
    from dos.api import decisions as api

    found = api.queue(config, everything=True, since=since)
    return api.row_json(api.find(found.rows, target))


def plan(config: SubstrateConfig, *, pairs: Sequence[str] = (), source: str = "markdown",
         ref: str = "HEAD") -> Any:
    from dos.api import truth as api

    return api.plan_json(api.plan_board(config, pairs=pairs, source=source, ref=ref))


def observe(config: SubstrateConfig, *, run: str | None = None, syscall: str | None = None,
            by: str = "syscall", tail: int | None = None, since: str | None = None) -> Any:
    from dos.api import observe as api

    return api.observe_json(api.observe(config, run=run, syscall=syscall, by=by, tail=tail,
                                        since=since))


def resolve(config: SubstrateConfig, target: str, *, approve: bool, note: str,
            owner: str) -> Any:
    """``dos decisions resolve N --approve|--dismiss --owner OWNER --json``."""
    from dos.api import decisions as api

    return api.resolution_json(api.resolve(config, target, approve=approve, note=note,
                                           owner=owner))
