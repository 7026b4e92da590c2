"""The pure merge for Codex's ``config.toml``: our hooks live in one fenced block,
appended as text (the user's TOML is never re-serialised) and removed byte for byte."""

from __future__ import annotations

import json
import tomllib

from dos.errors import UsageError
from dos.hooks.install_hosts import HostSpec, canonical_arguments
from dos.hooks.install_program import split_command

__all__ = ["CLOSE", "OPEN", "block", "merged", "status", "stripped", "toml_value"]

OPEN = "# >>> dos hooks (managed by `dos init --hooks codex`) >>>"
CLOSE = "# <<< dos hooks <<<"
_OPEN_PREFIX = "# >>> dos hooks"  # also finds blocks older installers fenced


def toml_value(value: object) -> str:
    """A TOML string, integer or boolean: a basic string escapes what TOML requires
    (quote, backslash, control characters, DEL) and keeps every other character."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007F")
    return json.dumps(value)


def block(spec: HostSpec, *, fail_closed: bool, program: str) -> str:
    """The fenced block, from the opening fence to the closing fence's newline."""
    tables = []
    for event, verb in spec.events:
        handler = spec.handler(verb, fail_closed=fail_closed, program=program)
        lines = [f"[[hooks.{event}]]", f"[[hooks.{event}.hooks]]"]
        lines += [f"{key} = {toml_value(value)}" for key, value in handler.items()]
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


def _why(error: Exception) -> str:
    """What is wrong with TOML text (tomllib recurses, so deep nesting overflows it)."""
    return "nested too deeply to read" if isinstance(error, RecursionError) else str(error)


def _check(text: str, path: str, what: str) -> None:
    try:
        tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as error:
        raise UsageError(f"{path} {what} is not valid TOML ({_why(error)})",
                         hint=f"fix {path} by hand (a [hooks] table written inline cannot "
                         "take more entries), then run `dos init --hooks codex` again") from None


def merged(text: str, spec: HostSpec, *, fail_closed: bool, program: str) -> str:
    """``text`` with exactly one canonical block at its end, after a newline of its own
    (so removing the block gives back the text byte for byte)."""
    _check(text, spec.path, "as it is")
    base, _ = stripped(text)
    result = base + ("\n" if base else "") + block(spec, fail_closed=fail_closed, program=program)
    _check(result, spec.path, "with the dos hooks added")
    return result


def _installed_program(found: str, spec: HostSpec) -> str | None:
    """The program our block's first command runs, when it reads as ours."""
    try:
        data = tomllib.loads(found)
        event, verb = spec.events[0]
        command = data["hooks"][event][0]["hooks"][0]["command"]
    except (tomllib.TOMLDecodeError, RecursionError, KeyError, IndexError, TypeError):
        return None
    for closed in (False, True):
        arguments = canonical_arguments(spec.name, verb, fail_closed=closed)
        program = split_command(command, arguments) if isinstance(command, str) else None
        if program:
            return program
    return None


def status(text: str, spec: HostSpec) -> tuple[str, bool, str, str | None]:
    """(WIRED | DRIFTED | NOT_WIRED, fail-closed, what differs, the program it runs)."""
    span = _span(text)
    if span is None:
        return "NOT_WIRED", False, "no dos hooks block", None
    found = text[span[0]:span[1]].lstrip("\n")
    program = _installed_program(found, spec)
    for closed in (False, True):
        expected = block(spec, fail_closed=closed, program=program or "dos")
        if found == expected and text.count(_OPEN_PREFIX) == 1:
            try:
                tomllib.loads(text)
            except (tomllib.TOMLDecodeError, RecursionError) as error:
                return "DRIFTED", closed, f"the file is not valid TOML ({_why(error)})", program
            return "WIRED", closed, "", program
    return "DRIFTED", False, "the dos hooks block was edited", program
