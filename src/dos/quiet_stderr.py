"""Standard error that cannot change the exit code.

dos writes its messages to standard error — a usage error, a warning that the verdict
journal missed a record, argparse's usage line. When that stream is a pipe nobody reads
any more (the caller closed it, a ``2>&-``), the write raises ``BrokenPipeError``: before
this, a usage error left the process with exit 1 and a verdict could turn into 141, the
code for a closed *standard output*. In the ``dos`` command's process
:func:`guard` puts :class:`QuietStderr` in front of ``sys.stderr``: a write or flush that
fails drops the message (there is nobody to read it) and every later one, and the exit
code stays the verdict's.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing costs start-up time
if TYPE_CHECKING:
    from typing import Any, TextIO

__all__ = ["QuietStderr", "guard"]


class QuietStderr:
    """A text stream in front of ``stream`` whose failures are swallowed."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.lost = False  # a write or flush failed: the rest is dropped

    def write(self, text: str) -> int:
        if not self.lost:
            try:
                return self._stream.write(text)
            except (OSError, ValueError):  # a closed pipe, or a closed file
                self.lost = True
        return len(text)

    def flush(self) -> None:
        if not self.lost:
            try:
                self._stream.flush()
            except (OSError, ValueError):
                self.lost = True

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def guard() -> None:
    """Put :class:`QuietStderr` in front of ``sys.stderr`` (once)."""
    current = sys.stderr
    if current is not None and not isinstance(current, QuietStderr):
        sys.stderr = QuietStderr(current)
