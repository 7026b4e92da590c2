"""The hook process: read the host's payload, decide, print the host's own reply.

Nothing here may crash or print outside the host's grammar: an error becomes the
outcome ``[hooks] on_error`` chose, plus one line on stderr.
"""

from __future__ import annotations

import os

from dos import _fastjson as jsonc
from dos.hooks.dialects import load as load_dialect
from dos.hooks.events import ALLOW, HookEvent, Outcome, Reply

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from dos.config import SubstrateConfig
    from dos.hooks.store_view import StoreView

__all__ = ["StopOptions", "hook_reply", "parse_payload", "toml_text", "workspace_of"]

_SURROGATE_ESCAPE = r"\\u[dD][89a-fA-F]"  # compiled only for a payload with \u escapes


class StopOptions:
    """``dos hook stop`` flags: an explicit transcript, or a claim named by flags."""

    __slots__ = ("phase", "plan", "transcript")

    def __init__(self, transcript: str = "", plan: str = "", phase: str = "") -> None:
        self.transcript, self.plan, self.phase = transcript, plan, phase


def parse_payload(data: bytes) -> tuple[dict[str, Any], str]:
    """The payload object, or ``{}`` and what is wrong with stdin: a torn, empty or
    non-UTF-8 payload is a hook that cannot decide, answered as ``[hooks] on_error``."""
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        return {}, f"stdin is not UTF-8 ({error.reason} at byte {error.start})"
    if not text.strip():
        return {}, "stdin is empty: no hook payload to check"
    try:
        payload = jsonc.loads(text)
    except ValueError as error:
        return {}, f"stdin is not a JSON document ({_first_line(str(error))})"
    if not isinstance(payload, dict):
        return {}, f"stdin is a JSON {type(payload).__name__}, not a hook payload object"
    # "\ud800" decodes to a string UTF-8 cannot hold
    if "\\u" in text and _has_surrogate_escape(text):
        payload = _without_surrogates(payload)
    return payload, ""


def _first_line(text: str) -> str:
    return text.splitlines()[0][:200] if text else "unreadable"


def _has_surrogate_escape(text: str) -> bool:
    import re  # only for a payload with \u escapes: re costs hook start-up time

    return re.search(_SURROGATE_ESCAPE, text) is not None


def _without_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, list):
        return [_without_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    return value


def _upwards(start: str) -> str | None:
    """The nearest directory holding dos.toml, else the nearest git top level."""
    git_top, candidate = None, start
    while True:
        if os.path.isfile(os.path.join(candidate, "dos.toml")):  # noqa: PTH113, PTH118
            return candidate
        if git_top is None and os.path.exists(os.path.join(candidate, ".git")):  # noqa: PTH110, PTH118
            git_top = candidate
        parent = os.path.dirname(candidate)  # noqa: PTH120
        if parent == candidate:
            return git_top
        candidate = parent


def workspace_of(explicit: str | None, event: HookEvent) -> str | None:
    """``--workspace``, else the workspace (a dos.toml or a git top level) holding the
    event's cwd or one of its workspace roots, else None (the CLI's own rule:
    ``DISPATCH_WORKSPACE``, then the process's cwd). A payload names its cwd, so a
    directory that is no workspace is never taken from it: no store is made there.
    String paths: pathlib costs start-up time on every hook call."""
    if explicit:
        return os.path.realpath(os.path.expanduser(explicit))  # noqa: PTH111
    for start in (event.cwd, *event.workspace_roots):
        if start.startswith("/") and os.path.isdir(start):  # noqa: PTH112
            found = _upwards(os.path.realpath(start))
            if found is not None:
                return found
    return None


def toml_text(root: str) -> str | None:
    """``dos.toml``'s exact bytes (as latin-1 text, which keeps every byte), or None."""
    try:
        with open(os.path.join(root, "dos.toml"), "rb") as handle:  # noqa: PTH118, PTH123
            return handle.read().decode("latin-1")
    except OSError:
        return None  # absent or not a file: the loader then uses its defaults too


def _may_gate(text: str) -> bool:
    """Whether ``dos.toml``'s text may hold a ``[precursor]`` table: it names it, or an
    escape in a quoted key could spell it."""
    return "precursor" in text or "\\u" in text or "\\U" in text


def _decide(kind: str, event: HookEvent, load: _Loader, stop: StopOptions) -> Outcome:
    if kind == "pretool":
        from dos.hooks import pretool

        return pretool.run(event, load)
    if kind == "posttool":
        from dos.hooks import posttool

        return posttool.run(event, load)
    from dos.hooks import stop as stop_hook

    return stop_hook.run(event, load, transcript=stop.transcript, plan=stop.plan,
                         phase=stop.phase)


class _Loader:
    """Loads the workspace's config on first use (reads never need it); a pretool
    decision asks only for the store view, usually remembered from an earlier call."""

    __slots__ = ("config", "driver", "event", "root", "text", "view", "workspace")

    def __init__(self, workspace: str | None, driver: str | None, event: HookEvent) -> None:
        self.workspace, self.driver, self.event = workspace, driver, event
        self.root: str | None = None
        self.config: SubstrateConfig | None = None
        self.view: StoreView | None = None
        self.text: tuple[str | None, str | None] | None = None

    def __call__(self) -> SubstrateConfig:
        from dos.workspace import load_config

        self.root = workspace_of(self.workspace, self.event)
        self.config = load_config(self.root, self.driver)
        return self.config

    def toml(self) -> tuple[str | None, str | None]:
        """The root the loader will resolve and its ``dos.toml`` text, read once a call."""
        if self.text is None:
            root = _memo_root(self.workspace, self.event)
            self.text = (root, toml_text(root) if root else None)
        return self.text

    def store_view(self) -> StoreView:
        """Where the store is and the ``[hooks]`` policy: remembered, read off a
        ``dos.toml`` that names no store before one exists, else from the loader."""
        from dos.hooks.hook_cache import cached_view, remember
        from dos.hooks.store_view import plain_view, view_of

        root, toml = (None, None) if self.driver else self.toml()
        self.view = (cached_view(root, toml) or plain_view(root, toml)) if root else None
        if self.view is None:
            self.view = view_of(self())
            if root:
                remember(root, self.view, toml, toml_text(root))
        return self.view

    def precursor_view(self) -> StoreView | None:
        """The store view when it holds a ``[precursor]`` grammar, else None. ``dos.toml``
        is read once a call (a write has read it already); a text that cannot hold the
        table costs nothing more."""
        text = self.toml()[1]
        if text is None or not _may_gate(text):
            return None
        view = self.view or self.store_view()
        return view if view.precursor is not None else None

    def on_error(self, explicit: str | None) -> str:
        from dos.hooks.failure import peek_on_error

        if explicit:
            return explicit
        if self.config is not None:
            return self.config.hooks.on_error
        if self.view is not None and self.view.on_error:
            return self.view.on_error
        return peek_on_error(self.root or _memo_root(self.workspace, self.event))


def _memo_root(workspace: str | None, event: HookEvent) -> str | None:
    """The root the loader will resolve (``--workspace``, the event's cwd,
    ``DISPATCH_WORKSPACE``, the process's cwd), or None when only the loader can say."""
    found = workspace_of(workspace, event)
    if found is not None:
        return found
    chosen = os.environ.get("DISPATCH_WORKSPACE")
    if chosen:
        real = os.path.realpath(os.path.expanduser(chosen))  # noqa: PTH111
        return real if os.path.isdir(real) else None  # noqa: PTH112 - the loader says why
    cwd = os.path.realpath(os.getcwd())  # noqa: PTH109
    return _upwards(cwd) or cwd


def _decided(kind: str, event: HookEvent, load: _Loader, stop: StopOptions,
             torn: str) -> Outcome:
    if torn:  # a payload the hook cannot read: it cannot decide
        from dos.errors import UsageError

        raise UsageError(torn)
    return _decide(kind, event, load, stop) if event.relevant else Outcome(ALLOW)


def _journaled(kind: str, dialect: str, event: HookEvent, outcome: Outcome,
               load: _Loader) -> str:
    """Journal a decision that was made (not a read, not another moment's payload) into
    a store that exists; "" or the one warning line when that failed."""
    if outcome.facts is None:
        return ""
    from dos.record.verdict_journal import QUICK_WAIT_MS, hook_entry, journal, warning_line

    try:
        view = load.view
        if view is None:
            from dos.hooks.store_view import view_of

            view = view_of(load.config) if load.config is not None else load.store_view()
        if not view.journal or view.store_absent():
            return ""
        store = view.open_store(busy_timeout_ms=min(view.busy_timeout_ms, QUICK_WAIT_MS))
    except Exception as error:  # noqa: BLE001 - the decision stands; the journal warns
        return warning_line(error)
    warned: list[str] = []
    run_id = os.environ.get("CID_RUN_ID") or os.environ.get("DISPATCH_RUN_ID") or ""
    journal([hook_entry(kind, outcome.action, outcome.facts, session=event.session_id,
                        tool=event.tool_name, dialect=dialect, run_id=run_id)],
            store=store, warn=warned.append)
    return "".join(warned)


def hook_reply(kind: str, dialect_name: str, data: bytes, *, workspace: str | None = None,
               driver: str | None = None, on_error: str | None = None,
               session_id: str = "", stop: StopOptions | None = None) -> Reply:
    """The whole hook: payload bytes in, the host's reply out. Never raises for a bad
    payload or a failing store; a bad dialect name raises UsageError (exit 2)."""
    dialect = load_dialect(dialect_name)
    payload, torn = parse_payload(data)
    event = dialect.parse(kind, payload)
    if session_id.strip():
        event.session_id = session_id.strip()
    load = _Loader(workspace, driver, event)
    notes: list[str] = []
    try:
        outcome = _decided(kind, event, load, stop or StopOptions(), torn)
    except Exception as error:  # noqa: BLE001 - a hook must answer in the host's grammar
        from dos.hooks.failure import diagnostic, failed

        policy = load.on_error(on_error)
        outcome = failed(kind, event, error, policy)
        notes.append(diagnostic(kind, error, outcome, policy))
    warned = _journaled(kind, dialect_name, event, outcome, load)
    if not notes:  # a hook that failed said why in its one line; the journal fails alike
        notes.append(warned)
    reply = dialect.render(event, outcome)
    reply.stderr = "".join(notes) + reply.stderr
    if reply.exit_code not in dialect.exit_codes:
        reply.exit_code = 0
    return reply
