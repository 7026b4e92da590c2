"""dos store {migrate,status,copy}: bring the store's schema up to date, check which store
is active and whether it answers, and move a workspace's history between stores."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from dos.config import SubstrateConfig
from dos.errors import EXIT_STORE_UNREADABLE
from dos.render import dumps
from dos.workspace import load_config

if TYPE_CHECKING:
    from dos.store import Store

_EPILOG = """\
examples:
  dos store status                  which store is active, and whether it answers
  dos store migrate                 create or upgrade its schema; prints the version
  dos store copy --from sqlite:///.dos/dos.db --to postgresql://dos@db.internal/dos
                                    move this workspace's history to a shared server

The active store is [store] url in dos.toml, else $DOS_STORE_URL, else the embedded
<workspace>/.dos/dos.db. In PostgreSQL a workspace is [store] workspace_id (set it
on every machine that shares the fleet), else an id derived from the workspace root.
exit: 0 done, 2 usage (or a non-empty copy destination without --force),
74 store unreadable or unreachable, 75 store busy."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    actions = parser.add_subparsers(dest="action", required=True,
                                    metavar="{migrate,status,copy}")
    migrate = actions.add_parser("migrate", help="create or upgrade the store's schema")
    migrate.add_argument("--url", default=None, help="this store instead of the active one")
    status = actions.add_parser("status", help="show the active store and whether it "
                                "is reachable (exit 74 when it is not)")
    status.add_argument("--url", default=None, help="this store instead of the active one")
    copy = actions.add_parser("copy", help="copy a workspace's whole history (journal, "
                              "leases, counters, verdicts, memory) to another store")
    copy.add_argument("--from", dest="source", required=True, metavar="URL",
                      help="the store to read: sqlite:///<path> or postgresql://…")
    copy.add_argument("--to", dest="target", required=True, metavar="URL",
                      help="the store to write; it must be empty unless --force")
    copy.add_argument("--force", action="store_true",
                      help="erase everything in a non-empty destination first")
    copy.add_argument("--from-workspace-id", default="", metavar="ID",
                      help="the workspace to read in a PostgreSQL source "
                      "(default: [store] workspace_id, else derived from the root)")
    copy.add_argument("--to-workspace-id", default="", metavar="ID",
                      help="the workspace to write in a PostgreSQL destination (same default)")


def _open(config: SubstrateConfig, url: str | None, workspace_id: str = "") -> Store:
    from dos.store import open_store, store_url

    return open_store(url or store_url(config), root=config.root,
                      busy_timeout_ms=config.store.busy_timeout_ms,
                      workspace_id=workspace_id or config.store.workspace_id)


def _migrate(config: SubstrateConfig, url: str | None, output: str) -> int:
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
    if output == "json":
        print(dumps({"url": redact_url(store.url), "schema_version": version}))
    else:
        print(f"store schema at version {version}: {redact_url(store.url)}")
    return 0


def _status_lines(state: dict[str, Any]) -> list[str]:
    rows = [("store", f"{state['kind']} {state['url']}")]
    if "workspace_id" in state:
        source = state["workspace_id_source"]
        if source != "config":
            source += "; set [store] workspace_id to share it across machines"
        rows.append(("workspace id", f"{state['workspace_id']} ({source})"))
    if state["reachable"]:
        rows += [("reachable", "yes"), ("exists", "yes" if state["exists"] else
                                        "no (the first write creates it)")]
        if state["schema_version"] is not None:
            rows.append(("schema version", str(state["schema_version"])))
    else:
        rows.append(("reachable", f"NO: {state['error']}"))
        if state["hint"]:
            rows.append(("fix", state["hint"]))
    return [f"{label:<16}{value}" for label, value in rows]


def _status(config: SubstrateConfig, url: str | None, output: str) -> int:
    from dos.store import store_url
    from dos.store.probe import describe

    state = describe(url or store_url(config), root=config.root,
                     workspace_id=config.store.workspace_id,
                     busy_timeout_ms=config.store.busy_timeout_ms)
    state["active"] = url is None
    if output == "json":
        print(dumps(state))
    else:
        print("\n".join(_status_lines(state)))
    return 0 if state["reachable"] else EXIT_STORE_UNREADABLE


_PROGRESS_EVERY = 100_000


def _progress_printer(*, quiet: bool, every: int = _PROGRESS_EVERY) -> Callable[[int], None]:
    """A line on stderr each time another ``every`` journal records have been copied."""
    reported = [0]

    def report(copied: int) -> None:
        if not quiet and copied // every > reported[0]:
            reported[0] = copied // every
            print(f"dos store copy: {copied:,} journal records copied…", file=sys.stderr,
                  flush=True)
    return report


def _copy(config: SubstrateConfig, args: dict[str, Any], output: str) -> int:
    from dos.store.transfer import copy_store
    from dos.store.urls import redact_url

    source = _open(config, args["source"], args["from_workspace_id"])
    target = _open(config, args["target"], args["to_workspace_id"])
    try:
        report = copy_store(source, target, force=args["force"],
                            progress=_progress_printer(quiet=output == "json"))
    finally:
        source.close()
        target.close()
    payload = {**report.to_dict(), "from": redact_url(source.url), "to": redact_url(target.url),
               "verified": True}
    if output == "json":
        print(dumps(payload))
        return 0
    print(f"copied {redact_url(source.url)} -> {redact_url(target.url)}"
          f"{' (replacing what was there)' if report.replaced else ''}")
    print(f"journal: {report.journal_records} record(s) after anchor seq {report.anchor_seq}, "
          f"head seq {report.head_seq} ({report.head_hash[:16]}…), chain verified")
    print(f"leases: {report.leases}, counters: {report.counters}, verdicts: "
          f"{report.verdicts}, memory entries: {report.memories}")
    return 0


def run(*, action: str, workspace: str | None, driver: str | None, output: str,
        url: str | None = None, source: str | None = None, target: str | None = None,
        force: bool = False, from_workspace_id: str = "", to_workspace_id: str = "",
        **_: object) -> int:
    config = load_config(workspace, driver)
    if action == "migrate":
        return _migrate(config, url, output)
    if action == "status":
        return _status(config, url, output)
    return _copy(config, {"source": source, "target": target, "force": force,
                          "from_workspace_id": from_workspace_id,
                          "to_workspace_id": to_workspace_id}, output)
