"""One server's state: its confined workspace, its driver, and the call wrapper."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from mcp.types import CallToolResult

from dos.config import SubstrateConfig
from dos.errors import EXIT_STORE_BUSY, DosError
from dos.record.verdict_journal import QUICK_WAIT_MS, journal_answer
from dos.workspace import load_config
from dos_mcp import DEFAULT_CALL_TIMEOUT
from dos_mcp.confine import Confinement
from dos_mcp.results import failure, success

__all__ = ["CallTimeoutError", "Compute", "Session"]

Compute = Callable[[SubstrateConfig], tuple[Any, int]]
_T = TypeVar("_T")

_TIMEOUT_HINT = "retry, ask a narrower question, or start dos-mcp with a larger --call-timeout"


class CallTimeoutError(DosError):
    """A call outlived the server's call timeout; the server answered without it."""

    exit_code = EXIT_STORE_BUSY  # sysexits EX_TEMPFAIL: worth retrying


class _Job(Generic[_T]):
    """One call on a thread of its own. ``claim`` is taken once: by the call when it
    starts, or by its caller giving up first, so a call never starts after that."""

    def __init__(self, run: Callable[[], _T]) -> None:
        self.run = run
        self.claim = threading.Lock()
        self.done = threading.Event()
        self.value: _T | None = None
        self.error: BaseException | None = None

    def work(self, gate: threading.Lock) -> None:
        with gate:
            if not self.claim.acquire(blocking=False):
                return  # its caller gave up while it waited its turn
            try:
                self.value = self.run()
            except BaseException as error:  # noqa: BLE001 - re-raised on the caller's thread
                self.error = error
            finally:
                self.done.set()


class Session:
    """What every tool shares: the workspace it may touch, the policy driver, and how
    long one call may take (seconds)."""

    def __init__(self, confinement: Confinement, driver: str | None = None, *,
                 call_timeout: float = DEFAULT_CALL_TIMEOUT) -> None:
        self.confinement = confinement
        self.driver = driver
        self.call_timeout = call_timeout
        # load_config installs the active config process-wide, so calls take turns; a
        # call abandoned while it holds the gate leaves it, and later calls get a new one.
        self._gate = threading.Lock()

    def call(self, compute: Callable[[SubstrateConfig], _T], workspace: str | None = None) -> _T:
        """``compute`` with the config of the (confined) workspace a call names, given up
        after ``call_timeout`` seconds with a CallTimeoutError."""
        job = _Job(lambda: compute(self._config(workspace)))
        gate = self._gate
        threading.Thread(target=job.work, args=(gate,), name="dos-mcp-call", daemon=True).start()
        if not job.done.wait(self.call_timeout):
            if job.claim.acquire(blocking=False):
                raise CallTimeoutError(f"the server was busy for longer than the call timeout "
                                  f"({self.call_timeout:g} s); this call did not run",
                                  hint=_TIMEOUT_HINT)
            if not job.done.is_set():
                if self._gate is gate:
                    self._gate = threading.Lock()
                raise CallTimeoutError(f"the call took longer than the call timeout "
                                  f"({self.call_timeout:g} s) and was abandoned; it may still "
                                  "finish in the background", hint=_TIMEOUT_HINT)
        if job.error is not None:
            raise job.error
        return job.value  # type: ignore[return-value]  # set whenever error is not

    def answer(self, workspace: str | None, compute: Compute) -> CallToolResult:
        """Run one tool: ``compute`` returns the CLI's ``--json`` answer and exit code,
        and a verdict is journaled as the CLI's is; a DosError becomes an ``isError``
        result."""
        def journaled(config: SubstrateConfig) -> tuple[Any, int]:
            payload, exit_code = compute(config)
            journal_answer(config, payload, source="mcp", wait_ms=QUICK_WAIT_MS)
            return payload, exit_code
        try:
            payload, exit_code = self.call(journaled, workspace)
        except DosError as error:
            return failure(error)
        return success(payload, exit_code)

    def _config(self, workspace: str | None) -> SubstrateConfig:
        config = load_config(self.confinement.workspace(workspace), self.driver)
        self.confinement.check_config(config)
        return config
