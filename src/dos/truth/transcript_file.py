"""Reading a transcript the way a referee must: a regular file, bounded in size.

A FIFO would block the read forever and ``/dev/zero`` would fill memory, so neither is
opened for reading: the caller gets a reason and classifies the transcript UNREADABLE.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["MAX_TRANSCRIPT_BYTES", "UnreadableTranscriptError", "read_transcript_bytes"]

MAX_TRANSCRIPT_BYTES = 256 * 1024 * 1024
_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISDIR, "a directory"))


class UnreadableTranscriptError(Exception):
    """The transcript is not something a verdict may be read from; ``str()`` says why."""


def read_transcript_bytes(path: Path, *, limit: int = MAX_TRANSCRIPT_BYTES) -> bytes:
    """The file's bytes, else :class:`UnreadableTranscriptError` or ``OSError``. Never
    blocks on a FIFO (opened non-blocking, judged on the descriptor) and never reads
    past ``limit``."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a file")
            raise UnreadableTranscriptError(f"{path} is {kind}, not a regular file")
        if info.st_size > limit:
            raise UnreadableTranscriptError(
                f"{path} is {info.st_size} bytes, over the {limit}-byte limit")
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(fd, 1 << 20):
            size += len(chunk)
            if size > limit:  # it grew while being read
                raise UnreadableTranscriptError(
                    f"{path} grew past the {limit}-byte limit while read")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)
