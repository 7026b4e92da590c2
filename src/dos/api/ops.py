"""Ops questions: the exit-code contract (from :mod:`dos.api.exit_codes`), the policy
lint, and the store (which one is active, migrating it, copying a workspace's history
between stores)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypedDict

from dos.api.exit_codes import exit_codes, exit_codes_json
from dos.render import with_schema
from dos.structs import struct

if TYPE_CHECKING:
    from dos.config import SubstrateConfig
    from dos.lint import Finding
    from dos.store import Store
    from dos.store.transfer import CopyReport
    from dos.verdicts.ops import LintVerdict

__all__ = [
    "CopyJSON", "CopyResult", "KeepJSON", "LintJSON", "LintReport", "MigrateJSON",
    "StoreStatusJSON", "exit_codes", "exit_codes_json", "lint", "lint_json", "store_copy",
    "store_copy_json", "store_keep_json", "store_migrate", "store_migrate_json",
    "store_status", "store_status_json",
]

# lint

class LintJSON(TypedDict):
    """``dos lint --json``: counts per severity, the verdict, and every finding."""

    counts: dict[str, int]
    verdict: str
    findings: list[dict[str, str]]
    schema: dict[str, Any]


@struct
class LintReport:
    findings: tuple[Finding, ...]
    verdict: LintVerdict


def lint(config: SubstrateConfig, *, strict: bool = False) -> LintReport:
    """Dead or contradictory policy in the workspace's lanes, reasons and tables; errors
    fail, and with ``strict`` warnings fail too."""
    from dos.lint import lint as find
    from dos.lint import verdict_of

    findings = find(config)
    return LintReport(tuple(findings), verdict_of(findings, strict=strict))


def lint_json(report: LintReport) -> LintJSON:
    from dos.lint import SEVERITIES

    counts = {severity: sum(f.severity == severity for f in report.findings)
              for severity in SEVERITIES}
    return with_schema({"counts": counts, "verdict": report.verdict.value,  # type: ignore[no-any-return]
                        "findings": [vars(finding) for finding in report.findings]}, "lint")


# store

class StoreStatusJSON(TypedDict, total=False):
    """``dos store status --json``: which store, whether it answers, its schema version."""

    url: str
    kind: str
    active: bool
    reachable: bool
    exists: bool | None
    schema_version: int | None
    error: str | None
    hint: str | None
    workspace_id: str
    workspace_id_source: str
    schema: dict[str, Any]


class MigrateJSON(TypedDict):
    url: str
    schema_version: int
    schema: dict[str, Any]


# ``dos store copy --json``: what was copied, and the chain head it ends on ("from" is
# a keyword, hence the functional form).
CopyJSON = TypedDict("CopyJSON", {
    "journal_records": int, "anchor_seq": int, "head_seq": int, "head_hash": str,
    "leases": int, "counters": int, "verdicts": int, "memories": int, "replaced": bool,
    "attempts": int, "intents": int,
    "from": str, "to": str, "verified": bool, "schema": dict[str, Any]})


def _open(config: SubstrateConfig, url: str | None, workspace_id: str = "") -> Store:
    from dos.store import open_store, store_url

    return open_store(url or store_url(config), root=config.root,
                      busy_timeout_ms=config.store.busy_timeout_ms,
                      workspace_id=workspace_id or config.store.workspace_id)


def store_status(config: SubstrateConfig, url: str | None = None) -> dict[str, Any]:
    """The store at ``url`` (default: the active one): kind, redacted url, reachable,
    exists, schema version. Never raises for an unreachable store: that is the answer."""
    from dos.store import store_url
    from dos.store.probe import describe

    state = describe(url or store_url(config), root=config.root,
                     workspace_id=config.store.workspace_id,
                     busy_timeout_ms=config.store.busy_timeout_ms)
    return {**state, "active": url is None}


def store_status_json(state: dict[str, Any]) -> StoreStatusJSON:
    return with_schema(state, "store")  # type: ignore[no-any-return]


def store_migrate(config: SubstrateConfig, url: str | None = None) -> tuple[str, int]:
    """Create or upgrade the store's schema: (redacted url, schema version)."""
    from dos.store.migrations import SQLITE_MIGRATIONS, latest_version
    from dos.store.urls import redact_url

    store = _open(config, url)
    try:
        migrate = getattr(store, "migrate", None)
        if callable(migrate):
            version = int(migrate())
        else:
            with store.transaction(write=True):
                pass  # opening for a write creates the store and applies migrations
            version = latest_version(SQLITE_MIGRATIONS)
    finally:
        store.close()
    return redact_url(store.url), version


class KeepJSON(TypedDict):
    """``dos store keep --json``, printed once it listens: the store (redacted), the
    socket its sessions are lent on, and how many idle sessions it keeps at most."""

    store: str
    socket: str
    max_idle: int
    schema: dict[str, Any]


def store_keep_json(info: dict[str, Any]) -> KeepJSON:
    return with_schema({"store": info["store"], "socket": info["socket"],  # type: ignore[no-any-return]
                        "max_idle": info["max_idle"]}, "store")


def store_migrate_json(url: str, version: int) -> MigrateJSON:
    return with_schema({"url": url, "schema_version": version}, "store")  # type: ignore[no-any-return]


@struct
class CopyResult:
    report: CopyReport
    source: str
    target: str


def store_copy(config: SubstrateConfig, *, source: str, target: str, force: bool = False,
               from_workspace_id: str = "", to_workspace_id: str = "",
               progress: Callable[[int], None] = lambda _copied: None) -> CopyResult:
    """Copy a workspace's whole history from ``source`` to ``target`` and verify the
    chain at the destination; ``target`` must be empty unless ``force``."""
    from dos.api.store_urls import check_copy_url
    from dos.store.transfer import copy_store
    from dos.store.urls import redact_url

    source = check_copy_url("--from", source, config.root)
    target = check_copy_url("--to", target, config.root)
    reader = _open(config, source, from_workspace_id)
    writer = _open(config, target, to_workspace_id)
    try:
        report = copy_store(reader, writer, force=force, progress=progress)
    finally:
        reader.close()
        writer.close()
    return CopyResult(report, redact_url(reader.url), redact_url(writer.url))


def store_copy_json(result: CopyResult) -> CopyJSON:
    payload = {**result.report.to_dict(), "from": result.source, "to": result.target,
               "verified": True}
    return with_schema(payload, "store")  # type: ignore[no-any-return]
