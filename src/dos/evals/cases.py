"""Labelled case files, read one line at a time and parsed strictly.

A case file is UTF-8 JSONL: blank lines and ``#`` lines are skipped, every other line
is one JSON object (at most 1 MiB, 32 levels deep). Lines are yielded as they are read,
so a harness runs in constant memory; the first bad line stops it with a usage error
naming ``path:line`` (exit 2) before any report is printed. Labels are parsed, never
coerced: a label is JSON ``true``/``false`` or the strings ``"true"``/``"false"``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from dos import _fastjson as jsonc
from dos.errors import UsageError
from dos.json_input import Fields

__all__ = ["MAX_LINE_BYTES", "Case", "label", "min_rate", "rate", "read_cases"]

MAX_LINE_BYTES = 1 << 20
_MAX_DEPTH = 32
_LABELS = {"true": True, "false": False}


class Case(Fields):
    """One case line: typed reads that name ``path:line`` and the key in every error."""

    def label(self, key: str) -> bool:
        return label(self.raw.get(key), f"{self.where}: {key}")


def label(value: object, where: str) -> bool:
    """A boolean label: ``true``/``false``, quoted or not; anything else is an error."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _LABELS:
        return _LABELS[value.strip().lower()]
    shown = repr(value)[:40] if value is not None else "null"
    raise UsageError(f"{where} must be true or false, got {shown}",
                     hint="write the label as JSON true or false")


def read_cases(path: str | Path, *, required: Iterable[str],
               known: Iterable[str]) -> Iterator[Case]:
    """Each case of ``path`` in order; a case missing a ``required`` key is an error."""
    need, names = tuple(required), tuple(known)
    seen = 0
    for number, raw in _lines(Path(path)):
        where = f"{path}:{number}"
        value = _decode(raw, where)
        missing = [key for key in need if key not in value]
        if missing:
            raise UsageError(f"{where}: each case needs {', '.join(need)} (missing: "
                             f"{', '.join(missing)})", hint=f"add {missing[0]} to that line")
        seen += 1
        yield Case(value, where, names)
    if not seen:
        raise UsageError(f"no cases found in {path}",
                         hint="write one JSON object per line; # starts a comment line")


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    try:
        stream = path.open("rb")
    except OSError as error:
        raise UsageError(f"cannot read the cases file {path}: {error.strerror}",
                         hint="pass --cases FILE.jsonl, a readable file") from None
    with stream:
        for number, raw in enumerate(stream, start=1):
            if len(raw) > MAX_LINE_BYTES:
                raise UsageError(f"{path}:{number}: a case line is over 1 MiB",
                                 hint="split the evidence or shorten the case")
            stripped = raw.strip()
            if stripped and not stripped.startswith(b"#"):
                yield number, stripped


def _decode(raw: bytes, where: str) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8")
        value = jsonc.loads(text, max_depth=_MAX_DEPTH)
    except UnicodeDecodeError:
        raise UsageError(f"{where}: not valid UTF-8", hint="save the file as UTF-8") from None
    except (ValueError, RecursionError) as error:
        raise UsageError(f"{where}: not valid JSON ({str(error)[:80]})",
                         hint="one JSON object per line") from None
    if not isinstance(value, dict):
        raise UsageError(f"{where}: a case must be a JSON object, got {type(value).__name__}",
                         hint="write each case as {\"key\": value, …}")
    return value


def rate(part: int, whole: int) -> float:
    """``part / whole``, or 0.0 when nothing was counted."""
    return part / whole if whole else 0.0


def min_rate(text: str | None) -> float | None:
    """``--min-rate R`` parsed at the edge: a finite number from 0 to 1."""
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:
        raise UsageError(f"--min-rate must be a number from 0 to 1, got {text!r}",
                         hint="e.g. --min-rate 0.95")
    return value
