"""The verdict journal: every verdict a surface hands out is appended here, once.

:func:`journal` is the one writer: the CLI (through :func:`cli_answers`), the MCP server
(through :func:`journal_answer`) and the hooks call it. It appends only to a store that
already exists (a verdict never creates one), only when ``[observe] enabled`` (the
default), and never changes the verdict: a failed append is one warning line on stderr.
:func:`read_events` is the one reader (``dos observe``, exporters, notifiers).

Imported on the hook's start-up path: no typing, no dataclasses at import time.
"""

from __future__ import annotations

import sys

from dos.store.verdicts import VerdictEntry

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from types import TracebackType
    from typing import Any

    from dos.config import SubstrateConfig
    from dos.record.verdict_event import VerdictEvent
    from dos.store import Store, StoreTx

__all__ = ["QUICK_WAIT_MS", "cli_answers", "enabled", "entries_of", "hook_entry", "journal",
           "journal_answer", "read_events", "warning_line"]

# How long a hook or an MCP call waits for another writer before its record is given up
# (with the warning): their answer must not wait on the journal. The CLI waits as long as
# [store] busy_timeout_ms says.
QUICK_WAIT_MS = 250
_TEXT_MAX = 512  # characters of a subject or a detail value kept (a path, a command)
_NAME_MAX = 128  # of a run id, a lane, a detail key
_DETAIL_MAX = 32  # detail keys kept per record


def _clip(value: object, limit: int) -> str:
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _detail(raw: object) -> dict[str, Any]:
    """Scalars only, bounded; a non-finite float or any container is left out."""
    kept: dict[str, Any] = {}
    for key, value in (raw.items() if isinstance(raw, dict) else ()):
        if len(kept) >= _DETAIL_MAX:
            break
        if isinstance(value, str):
            kept[_clip(key, _NAME_MAX)] = _clip(value, _TEXT_MAX)
        elif value is None or isinstance(value, bool | int) or (
                isinstance(value, float) and value - value == 0.0):
            kept[_clip(key, _NAME_MAX)] = value
    return kept


def entry(syscall: str, fields: dict[str, Any], source: str) -> VerdictEntry:
    """One entry from a verdict's fields, every value bounded."""
    return VerdictEntry(
        syscall=_clip(syscall, _NAME_MAX), verdict=_clip(fields["verdict"], _NAME_MAX),
        source=source, subject=_clip(fields.get("subject", ""), _TEXT_MAX),
        run_id=_clip(fields.get("run_id", ""), _NAME_MAX),
        lane=_clip(fields.get("lane", ""), _NAME_MAX), detail=_detail(fields.get("detail")))


def entries_of(payload: object, source: str) -> list[VerdictEntry]:
    """The entries a verb's ``--json`` answer journals (none when it is not a verdict)."""
    from dos.record.verdict_syscalls import entry_fields

    syscall, found = entry_fields(payload)
    return [entry(syscall, fields, source) for fields in found]


# A hook's action as its verdict token: a refused stop is a BLOCK, as the hosts call it.
_HOOK_VERDICTS = {("stop", "deny"): "BLOCK"}


def hook_entry(kind: str, action: str, facts: dict[str, str], *, session: str, tool: str,
               dialect: str, run_id: str = "") -> VerdictEntry:
    """A hook decision (``kind``: pretool, posttool or stop) as an entry; its detail
    keys are the ones :class:`~dos.record.verdict_event.VerdictEvent` documents."""
    detail: dict[str, str] = {"session": session, "tool": tool, "dialect": dialect}
    detail.update((key, facts[key]) for key in ("target", "reason", "holder", "missing")
                  if key in facts)
    return entry(kind, {
        "verdict": _HOOK_VERDICTS.get((kind, action), action.upper()),
        "subject": facts.get("target", ""), "lane": facts.get("lane", ""), "run_id": run_id,
        "detail": {key: value for key, value in detail.items() if value}}, "hook")


def enabled(config: SubstrateConfig) -> bool:
    """``[observe] enabled`` (default true)."""
    return bool(config.table("observe").get("enabled", True))


def warning_line(error: BaseException) -> str:
    """The one line a failed append prints; the verdict and its exit code stand."""
    from dos.errors import DosError

    what = error.message if isinstance(error, DosError) else f"{type(error).__name__}: {error}"
    return (f"dos: warning: the verdict journal did not record this verdict "
            f"({' '.join(str(what).split())[:300]}); the verdict and its exit code stand\n")


def journal(entries: Iterable[VerdictEntry], *, store: Store, on: bool = True,
            warn: Callable[[str], object] | None = None) -> int:
    """Append ``entries`` to ``store``'s verdict journal in one transaction; how many.

    Nothing when ``on`` is false, there is nothing to append, or the store does not
    exist yet. Never raises: a store that is locked, unreadable or gone, or an entry it
    refuses, is one line to ``warn`` (default stderr) and 0. ``store`` is closed."""
    batch = list(entries) if on else []
    try:
        if not batch:
            return 0
        with store.transaction_if_exists(write=True, durable=False) as tx:
            if tx is None:
                return 0
            for item in batch:
                tx.append_verdict(item)
        return len(batch)
    except Exception as error:  # noqa: BLE001 - a journal failure must never change a verdict
        (warn or sys.stderr.write)(warning_line(error))
        return 0
    finally:
        store.close()


def journal_answer(config: SubstrateConfig, payload: object, *, source: str,
                   warn: Callable[[str], object] | None = None,
                   wait_ms: int | None = None) -> int:
    """Journal a verb's ``--json`` answer (see :func:`journal`), waiting at most
    ``wait_ms`` (default ``[store] busy_timeout_ms``) for another writer."""
    found = entries_of(payload, source)
    if not found or not enabled(config):
        return 0
    from dos.store import open_store, store_url

    wait = config.store.busy_timeout_ms
    store = open_store(store_url(config), root=config.root,
                       workspace_id=config.store.workspace_id,
                       busy_timeout_ms=wait if wait_ms is None else min(wait, wait_ms))
    return journal(found, store=store, warn=warn)


class cli_answers:  # noqa: N801 - used as a with-statement, like contextlib's helpers
    """While a CLI verb runs, journal every verdict it prints (source ``cli``); the
    workspace's config is loaded once, on the first verdict."""

    __slots__ = ("_config", "_driver", "_undo", "_workspace")

    def __init__(self, workspace: str | None, driver: str | None) -> None:
        self._workspace, self._driver = workspace, driver
        self._config: SubstrateConfig | None = None
        self._undo: Callable[[], None] | None = None

    def _heard(self, payload: object) -> None:
        if not entries_of(payload, "cli"):
            return
        try:
            if self._config is None:  # the one the verb loaded, else loaded here
                from dos.workspace import last_loaded, load_config

                self._config = (last_loaded(self._workspace, self._driver)
                                or load_config(self._workspace, self._driver))
        except Exception as error:  # noqa: BLE001 - the verdict was answered; it stands
            sys.stderr.write(warning_line(error))
            return
        journal_answer(self._config, payload, source="cli")

    def __enter__(self) -> None:
        from dos.render import listen

        workspace = sys.modules.get("dos.workspace")  # (not imported: nothing was loaded)
        if workspace is not None:  # a config loaded before this verb (a caller's) is not its
            workspace.forget_loaded()
        self._undo = listen(self._heard)

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._undo is not None:
            self._undo()


def read_events(target: SubstrateConfig | StoreTx, *, after_seq: int = 0,
                limit: int | None = None, batch: int = 2000) -> Iterator[VerdictEvent]:
    """The journal's records after ``after_seq`` as :class:`VerdictEvent`, oldest first,
    at most ``limit`` of them, read ``batch`` at a time (memory does not grow with the
    journal). ``target``: an open transaction, or a workspace config (a store that does
    not exist yet reads as empty; nothing is created)."""
    from dos.config import SubstrateConfig

    if isinstance(target, SubstrateConfig):
        from dos.store import reading

        with reading(target) as tx:
            if tx is not None:
                yield from read_events(tx, after_seq=after_seq, limit=limit, batch=batch)
        return
    from dos.record.verdict_event import VerdictEvent

    left = limit
    while left is None or left > 0:
        size = batch if left is None else min(batch, left)
        records = target.verdict_records(after_seq=after_seq, limit=size)
        for record in records:
            yield VerdictEvent(seq=record.seq, ts_ms=record.ts_ms, syscall=record.syscall,
                               verdict=record.verdict, source=record.source,
                               subject=record.subject, run_id=record.run_id, lane=record.lane,
                               detail=dict(record.detail))
        if len(records) < size:
            return
        after_seq = records[-1].seq
        left = None if left is None else left - len(records)
