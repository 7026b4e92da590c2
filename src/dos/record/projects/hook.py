"""After a CLI verb wrote its workspace's store, register the workspace; a registry
that cannot take it costs one warning line, never the verb's answer."""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing costs start-up time on every verb
if TYPE_CHECKING:
    from collections.abc import Callable
    from types import TracebackType

    from dos.config import SubstrateConfig

__all__ = ["register_quietly", "registering"]


def register_quietly(config: SubstrateConfig) -> str:
    """Register ``config``'s workspace unless it is a throw-away one; why it failed
    (the warning line to print), else ""."""
    from dos.record.projects.home import throwaway

    try:
        if throwaway(config.root.resolve()):
            return ""
        from dos.record.projects.upkeep import register

        register(config)
    except Exception as error:  # noqa: BLE001 - the verb answered; the registry must not change that
        what = getattr(error, "message", None) or f"{type(error).__name__}: {error}"
        return (f"dos: warning: the project registry was not updated "
                f"({' '.join(str(what).split())[:300]}); the answer stands\n")
    return ""


class registering:  # noqa: N801 - used as a with-statement, like contextlib's helpers
    """While a verb runs, note each workspace whose store it wrote; register them after."""

    __slots__ = ("_undo", "_written")

    def __init__(self) -> None:
        self._written: dict[str, SubstrateConfig] = {}
        self._undo: Callable[[], None] | None = None

    def _heard(self, config: SubstrateConfig) -> None:
        self._written.setdefault(str(config.root), config)

    def __enter__(self) -> None:
        from dos.store import on_write

        self._undo = on_write(self._heard)

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._undo is not None:
            self._undo()
        if kind is None:
            failed = [line for config in self._written.values()
                      if (line := register_quietly(config))]
            if failed:  # one warning per verb, however many workspaces it wrote
                sys.stderr.write(failed[0])
