"""Confinement: a tool argument cannot point the server outside its workspace."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dos.errors import UsageError

__all__ = ["Confinement"]

_ESCAPE_HINT = ("pass a path inside the server's workspace, or start dos-mcp with "
                "--workspace DIR (a directory that contains it) or --allow-any-workspace")


@dataclass(frozen=True)
class Confinement:
    """The server's workspace ``root`` (already resolved) and whether any path is allowed."""

    root: Path
    allow_any: bool = False

    def workspace(self, requested: str | None) -> Path:
        """The workspace a tool call names: the server's own when ``requested`` is empty,
        else ``requested`` (relative to the server's workspace) if it stays inside."""
        if requested is None or not requested.strip():
            return self.root
        path = self._resolve(requested, base=self.root, what="workspace")
        if not path.is_dir():
            raise UsageError(f"workspace {path} does not exist or is not a directory",
                             hint="pass an existing directory as workspace")
        return path

    def file(self, requested: str, *, base: Path, what: str) -> Path:
        """A file path argument, relative to ``base``, confined like a workspace."""
        if not requested.strip():
            raise UsageError(f"the {what} path is empty", hint=f"pass the {what} as a path")
        return self._resolve(requested, base=base, what=what)

    def _resolve(self, requested: str, *, base: Path, what: str) -> Path:
        if "\0" in requested:
            raise UsageError(f"the {what} path contains a NUL byte",
                             hint=f"pass the {what} as a plain path")
        # Symlinks and '..' are resolved before the check, so neither can escape.
        try:
            path = (base / Path(requested).expanduser()).resolve()
        except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop
            raise UsageError(f"the {what} path {requested!r} cannot be resolved ({exc})",
                             hint=f"pass the {what} as a plain path") from None
        if not self.allow_any and not path.is_relative_to(self.root):
            raise UsageError(f"{what} {path} is outside the server's workspace {self.root}",
                             hint=_ESCAPE_HINT)
        return path
