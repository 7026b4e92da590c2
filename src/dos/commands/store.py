"""dos store {migrate,status,copy,keep}: bring the store's schema up to date, check which
store is active and whether it answers, move a workspace's history between stores, and
keep a PostgreSQL store's sessions open for the short-lived dos processes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from dos.api import ops as api
from dos.commands._args import count
from dos.errors import EXIT_STORE_UNREADABLE
from dos.render import emit
from dos.workspace import load_config

_EPILOG = """\
examples:
  dos store status                  which store is active, and whether it answers
  dos store migrate                 create or upgrade its schema; prints the version
  dos store copy --from sqlite:///.dos/dos.db --to postgresql://dos@db.internal/dos
                                    move this workspace's history to a shared server
  dos store keep                    lend warm PostgreSQL sessions to every dos process
                                    of this store on this machine (runs until stopped)

The active store is [store] url in dos.toml, else $DOS_STORE_URL, else the embedded
<workspace>/.dos/dos.db. In PostgreSQL a workspace is [store] workspace_id (set it
on every machine that shares the fleet), else an id derived from the workspace root.
`dos store keep` listens on a Unix socket only this user can reach
($XDG_RUNTIME_DIR/dos, else /tmp/dos-<uid>); dos's PostgreSQL client tries it first and
falls back to the server itself when it is not there (DOS_NO_PG_KEEPER=1: never).
exit: 0 done, 2 usage (a copy URL that names no store, a missing source, the same store
twice, or a non-empty destination without --force; keep: not PostgreSQL, a URL only
psycopg can connect with, a keeper already running), 74 store unreadable or unreachable,
75 store busy; keep runs until interrupted (130) or terminated (143)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    actions = parser.add_subparsers(dest="action", required=True,
                                    metavar="{migrate,status,copy,keep}")
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
    keep = actions.add_parser("keep", help="lend warm sessions of a PostgreSQL store to the "
                              "dos processes of this machine, until stopped")
    keep.add_argument("--url", default=None, help="this store instead of the active one")
    keep.add_argument("--max-idle", type=count(1, 1000), default=8, metavar="N",
                      help="server sessions kept open between clients (1-1000, default 8)")


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


def _copy_text(result: api.CopyResult) -> str:
    report = result.report
    replaced = " (replacing what was there)" if report.replaced else ""
    return "\n".join([
        f"copied {result.source} -> {result.target}{replaced}",
        f"journal: {report.journal_records} record(s) after anchor seq {report.anchor_seq}, "
        f"head seq {report.head_seq} ({report.head_hash[:16]}…), chain verified",
        f"leases: {report.leases}, counters: {report.counters}, verdicts: "
        f"{report.verdicts}, memory entries: {report.memories}, attempts: "
        f"{report.attempts}, intent records: {report.intents}"])


def _keep(config: Any, *, url: str | None, max_idle: int, output: str) -> int:
    from dos.api.store_keep import keep_store

    def ready(info: dict[str, Any]) -> None:
        emit(api.store_keep_json(info), output=output,
             text=lambda _c: f"KEEPING sessions of {info['store']} at {info['socket']} "
                             f"(at most {info['max_idle']} idle); stop with Ctrl-C or SIGTERM")
        sys.stdout.flush()

    keep_store(config, url, max_idle=max_idle, on_ready=ready)
    return 0


def run(*, action: str, workspace: str | None, driver: str | None, output: str,
        url: str | None = None, source: str = "", target: str = "", force: bool = False,
        from_workspace_id: str = "", to_workspace_id: str = "", max_idle: int = 8) -> int:
    config = load_config(workspace, driver)
    if action == "keep":
        return _keep(config, url=url, max_idle=max_idle, output=output)
    if action == "migrate":
        redacted, version = api.store_migrate(config, url)
        emit(api.store_migrate_json(redacted, version), output=output,
             text=lambda _c: f"store schema at version {version}: {redacted}")
        return 0
    if action == "status":
        state = api.store_status(config, url)
        emit(api.store_status_json(state), output=output,
             text=lambda _c: "\n".join(_status_lines(state)))
        return 0 if state["reachable"] else EXIT_STORE_UNREADABLE
    result = api.store_copy(config, source=source, target=target, force=force,
                            from_workspace_id=from_workspace_id,
                            to_workspace_id=to_workspace_id,
                            progress=_progress_printer(quiet=output == "json"))
    emit(api.store_copy_json(result), output=output, text=lambda _c: _copy_text(result))
    return 0
