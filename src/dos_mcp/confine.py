"""Confinement: a tool argument cannot point the server outside its workspace, nor at a
file it cannot read safely, and a workspace it names cannot move dos's files outside."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from dos import structs
from dos.config import SubstrateConfig
from dos.errors import UsageError
from dos.structs import struct

__all__ = ["MAX_FILE_BYTES", "Confinement"]

MAX_FILE_BYTES = 64 * 1024 * 1024  # a file argument (a transcript) larger than this is refused

_ESCAPE_HINT = ("pass a path inside the server's workspace, or start dos-mcp with "
                "--workspace DIR (a directory that contains it) or --allow-any-workspace")
_SQLITE = "sqlite:///"
_NOT_REGULAR = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                (stat.S_ISSOCK, "a socket"))


@struct
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

    def file(self, requested: str, *, base: Path, what: str,
             limit: int = MAX_FILE_BYTES) -> Path:
        """A file path argument, relative to ``base``, confined like a workspace; when it
        exists it must be a regular file of at most ``limit`` bytes (a missing one is
        left for the verdict to call unreadable)."""
        if not requested.strip():
            raise UsageError(f"the {what} path is empty", hint=f"pass the {what} as a path")
        path = self._resolve(requested, base=base, what=what)
        _check_regular(path, what=what, limit=limit)
        return path

    def shown(self, path: str | None) -> str | None:
        """``path`` if a tool may show it: inside the server's workspace, or any path with
        --allow-any-workspace; otherwise ``None`` (an answer names no directory the
        server could not be pointed at)."""
        if path is None or self.allow_any:
            return path
        return path if Path(path).resolve().is_relative_to(self.root) else None

    def check_config(self, config: SubstrateConfig) -> None:
        """Refuse a workspace other than the server's own whose dos.toml puts dos's files
        or its store outside the server's workspace."""
        if self.allow_any or config.root == self.root:
            return  # the server's own dos.toml is the operator's choice
        origin = str(config.source or f"the workspace {config.root}")
        self._owned(config.root, origin, "its root")
        for field in structs.fields(config.paths):
            value = getattr(config.paths, field.name)
            if field.name != "root" and isinstance(value, Path):
                self._owned(config.root / value, origin, f"[paths] {field.name}")
        for key, value in _unread_paths(config.source):
            self._owned(config.root / value, origin, f"[paths] {key}")
        glob = Path(config.paths.plans_glob)
        if glob.is_absolute() or ".." in glob.parts:
            raise UsageError(f"{origin} puts [paths] plans_glob outside the server's "
                             f"workspace {self.root}: {glob}", hint=_moved_hint(origin))
        self._check_store(config, origin)

    def _check_store(self, config: SubstrateConfig, origin: str) -> None:
        from dos.store import store_url
        from dos.store.urls import redact_url

        url = store_url(config)
        if url == os.environ.get("DOS_STORE_URL"):
            return  # the operator's DOS_STORE_URL overrides every dos.toml
        if url.startswith(_SQLITE):
            self._owned(config.root / url[len(_SQLITE):], origin, "the store")
            return
        raise UsageError(f"{origin} puts the store outside the server's workspace "
                         f"{self.root}: {redact_url(url)}", hint=_moved_hint(origin))

    def _owned(self, path: Path, origin: str, what: str) -> None:
        resolved = path.resolve()
        if not resolved.is_relative_to(self.root):
            raise UsageError(f"{origin} puts {what} outside the server's workspace "
                             f"{self.root}: {resolved}", hint=_moved_hint(origin))

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


def _unread_paths(source: Path | None) -> list[tuple[str, str]]:
    """The [paths] keys of ``source`` that dos accepts but never reads (the reference's
    files, e.g. lane_journal): confined all the same, as a reference dos would write them."""
    import tomllib

    from dos.settings.unused import UNUSED_KEYS

    if source is None:
        return []
    try:
        table = tomllib.loads(source.read_text(encoding="utf-8")).get("paths")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return []  # load_config already read it; a file changed since is its next load's
    if not isinstance(table, dict):
        return []
    return [(key, value) for key, value in table.items()
            if key in UNUSED_KEYS["paths"] and isinstance(value, str) and "\0" not in value]


def _moved_hint(origin: str) -> str:
    return (f"keep the store and [paths] of {origin} inside the server's workspace, or "
            "serve that workspace with its own dos-mcp --workspace DIR")


def _check_regular(path: Path, *, what: str, limit: int) -> None:
    """Refuse ``path`` unless it is a regular file within ``limit``, judged on an fd
    opened without blocking (a FIFO) or following a link swapped in since resolving."""
    try:
        kind = path.stat().st_mode
    except OSError:
        return  # missing or unreadable: the verdict says so, as the CLI's does
    if stat.S_ISREG(kind):  # opening a device or FIFO can block or act: never open one
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
        try:
            fd = os.open(path, flags | getattr(os, "O_NOCTTY", 0))
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise UsageError(f"the {what} {path} was replaced by a symlink while it "
                                 "was checked", hint=f"pass the {what} again") from None
            return  # e.g. no permission: the verdict says so, as the CLI's does
        try:
            info = os.fstat(fd)
        finally:
            os.close(fd)
        kind = info.st_mode
        if stat.S_ISREG(kind) and info.st_size > limit:
            raise UsageError(f"the {what} {path} is {info.st_size} bytes, over the "
                             f"{limit}-byte limit", hint=f"pass a {what} of at most "
                                                         f"{limit // (1024 * 1024)} MiB")
    if not stat.S_ISREG(kind):
        shown = next((name for test, name in _NOT_REGULAR if test(kind)), "not a file")
        raise UsageError(f"the {what} {path} is {shown}, not a regular file",
                         hint=f"pass the {what} as a regular file")
