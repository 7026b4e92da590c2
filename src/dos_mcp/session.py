"""One server's state: its confined workspace, its driver, and the call wrapper."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from mcp.types import CallToolResult

from dos.config import SubstrateConfig
from dos.errors import DosError
from dos.workspace import load_config
from dos_mcp.confine import Confinement
from dos_mcp.results import failure, success

__all__ = ["Compute", "Session"]

Compute = Callable[[SubstrateConfig], tuple[Any, int]]
_T = TypeVar("_T")


class Session:
    """What every tool shares: the workspace it may touch and the policy driver."""

    def __init__(self, confinement: Confinement, driver: str | None = None) -> None:
        self.confinement = confinement
        self.driver = driver
        # load_config installs the active config process-wide; calls run on worker
        # threads, so they take turns.
        self._lock = threading.Lock()

    def call(self, compute: Callable[[SubstrateConfig], _T], workspace: str | None = None) -> _T:
        """``compute`` with the config of the (confined) workspace a call names."""
        with self._lock:
            return compute(self._config(workspace))

    def answer(self, workspace: str | None, compute: Compute) -> CallToolResult:
        """Run one tool: ``compute`` returns the CLI's ``--json`` answer and exit code;
        a DosError becomes an ``isError`` result."""
        try:
            payload, exit_code = self.call(compute, workspace)
        except DosError as error:
            return failure(error)
        return success(payload, exit_code)

    def _config(self, workspace: str | None) -> SubstrateConfig:
        config = load_config(self.confinement.workspace(workspace), self.driver)
        self.confinement.check_config(config)
        return config
