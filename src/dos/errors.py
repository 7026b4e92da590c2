"""One exception root; the CLI boundary maps each class to an exit code."""

from __future__ import annotations

__all__ = [
    "EXIT_CLOSED_PIPE",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_STORE_BUSY",
    "EXIT_STORE_UNREADABLE",
    "EXIT_TERMINATED",
    "EXIT_USAGE",
    "RESERVED_EXITS",
    "ConfigError",
    "DosError",
    "GitError",
    "PluginError",
    "StoreBusyError",
    "StoreError",
    "UsageError",
]

EXIT_USAGE = 2
EXIT_INTERNAL = 70  # sysexits EX_SOFTWARE
EXIT_STORE_UNREADABLE = 74  # sysexits EX_IOERR
EXIT_STORE_BUSY = 75  # sysexits EX_TEMPFAIL
EXIT_INTERRUPTED = 130
EXIT_CLOSED_PIPE = 141  # as a shell reports SIGPIPE: the reader left, no verdict was read
EXIT_TERMINATED = 143  # as a shell reports SIGTERM: stopped from outside, no verdict
# Codes any verb may return besides its verdicts (listed by `dos exit-codes`).
RESERVED_EXITS = {"usage_error": EXIT_USAGE, "internal_error": EXIT_INTERNAL,
                  "store_unreadable": EXIT_STORE_UNREADABLE, "store_busy": EXIT_STORE_BUSY,
                  "interrupted": EXIT_INTERRUPTED, "closed_pipe": EXIT_CLOSED_PIPE,
                  "terminated": EXIT_TERMINATED}


class DosError(Exception):
    """Base of every error dos raises on purpose.

    ``hint`` tells the user how to fix the problem; the CLI prints it after the
    message.
    """

    exit_code = EXIT_INTERNAL

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def render(self) -> str:
        """The message as the user sees it: what is wrong, then how to fix it."""
        if self.hint:
            return f"{self.message}\n  fix: {self.hint}"
        return self.message


class UsageError(DosError):
    """The command line or an argument is wrong."""

    exit_code = EXIT_USAGE


class ConfigError(UsageError):
    """``dos.toml`` (or another policy source) is malformed."""

    def __init__(
        self,
        message: str,
        *,
        path: str = "",
        line: int | None = None,
        table: str = "",
        key: str = "",
        hint: str = "",
    ) -> None:
        where = path
        if path and line is not None:
            where = f"{path}:{line}"
        located = f"{where}: {message}" if where else message
        super().__init__(located, hint=hint)
        self.path = path
        self.line = line
        self.table = table
        self.key = key


class GitError(UsageError):
    """git is missing, the directory is not a repository, or a ref does not resolve."""


class PluginError(UsageError):
    """A driver or other plugin could not be loaded or does not fit its protocol."""


class StoreError(DosError):
    """The store cannot be read or written; admission refuses rather than guess."""

    exit_code = EXIT_STORE_UNREADABLE


class StoreBusyError(StoreError):
    """The store stayed locked by another writer for longer than the busy timeout."""

    exit_code = EXIT_STORE_BUSY
