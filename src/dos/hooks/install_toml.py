"""The pure merge for Codex's ``config.toml``: our hooks live in one fenced block,
appended as text (the user's TOML is never re-serialised) and removed byte for byte."""

from __future__ import annotations

import json
import tomllib

from dos.errors import UsageError
from dos.hooks.install_hosts import HostSpec

__all__ = ["CLOSE", "OPEN", "block", "merged", "status", "stripped"]

OPEN = "# >>> dos hooks (managed by `dos init --hooks codex`) >>>"
CLOSE = "# <<< dos hooks <<<"
_OPEN_PREFIX = "# >>> dos hooks"  # also finds blocks older installers fenced


def block(spec: HostSpec, *, fail_closed: bool) -> str:
    """The fenced block, from the opening fence to the closing fence's newline."""
    tables = []
    for event, verb in spec.events:
        handler = spec.handler(verb, fail_closed=fail_closed)
        lines = [f"[[hooks.{event}]]", f"[[hooks.{event}.hooks]]"]
        lines += [f"{key} = {json.dumps(value)}" for key, value in handler.items()]
        tables.append("\n".join(lines) + "\n")
    return f"{OPEN}\n" + "\n".join(tables) + f"{CLOSE}\n"


def _span(text: str) -> tuple[int, int] | None:
    """Where our block is: from the newline before the opening fence to the end of
    the closing fence's line."""
    start = text.find(_OPEN_PREFIX)
    while start > 0 and text[start - 1] != "\n":
        start = text.find(_OPEN_PREFIX, start + 1)
    if start < 0:
        return None
    close = text.find(CLOSE, start)
    end = len(text) if close < 0 else close + len(CLOSE)
    if text.startswith("\n", end):
        end += 1
    return (start - 1 if start > 0 and text[start - 1] == "\n" else start), end


def stripped(text: str) -> tuple[str, int]:
    """``text`` without our blocks, and how many were removed."""
    removed = 0
    while (span := _span(text)) is not None:
        text = text[:span[0]] + text[span[1]:]
        removed += 1
    return text, removed


def _check(text: str, path: str, what: str) -> None:
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"{path} {what} is not valid TOML ({error})",
                         hint=f"fix {path} by hand (a [hooks] table written inline cannot "
                         "take more entries), then run `dos init --hooks codex` again") from None


def merged(text: str, spec: HostSpec, *, fail_closed: bool) -> str:
    """``text`` with exactly one canonical block at its end, after a newline of its own
    (so removing the block gives back the text byte for byte)."""
    _check(text, spec.path, "as it is")
    base, _ = stripped(text)
    result = base + ("\n" if base else "") + block(spec, fail_closed=fail_closed)
    _check(result, spec.path, "with the dos hooks added")
    return result


def status(text: str, spec: HostSpec) -> tuple[str, bool, str]:
    """(WIRED | DRIFTED | NOT_WIRED, fail-closed, what differs)."""
    span = _span(text)
    if span is None:
        return "NOT_WIRED", False, "no dos hooks block"
    found = text[span[0]:span[1]].lstrip("\n")
    for closed in (False, True):
        if found == block(spec, fail_closed=closed) and text.count(_OPEN_PREFIX) == 1:
            try:
                tomllib.loads(text)
            except tomllib.TOMLDecodeError as error:
                return "DRIFTED", closed, f"the file is not valid TOML ({error})"
            return "WIRED", closed, ""
    return "DRIFTED", False, "the dos hooks block was edited"
