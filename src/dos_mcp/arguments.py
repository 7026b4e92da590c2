"""Tool arguments are checked at the edge, before a tool runs: valid UTF-8 without NUL,
bounded nesting, finite in-range numbers, the schema's types. A refusal is a UsageError
naming the argument and how to fix it, as the CLI words a bad flag."""

from __future__ import annotations

import difflib
import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

from mcp.server.mcpserver.tools import Tool
from pydantic import ValidationError

from dos.errors import UsageError
from dos_mcp.params import RANGES

__all__ = ["MAX_DEPTH", "MAX_VALUES", "check_arguments", "publish_ranges", "unknown_tool"]

MAX_DEPTH = 16  # the deepest tool argument, a lease object's tree list, is depth 3
MAX_VALUES = 100_000
_INT64 = 2**63 - 1  # what the store's INTEGER and BIGINT columns hold
_KINDS = {"string": "a string", "integer": "an integer", "number": "a number",
          "boolean": "true or false", "null": "null", "object": "an object"}
_PLURALS = {"string": "strings", "integer": "integers", "number": "numbers",
            "boolean": "booleans", "object": "objects"}


def check_arguments(tool: Tool, arguments: Mapping[str, Any]) -> None:
    """Refuse ``arguments`` unless ``tool`` could run with them."""
    parsed = tool.fn_metadata.pre_parse_json(dict(arguments))  # as the SDK will see them
    _check_values(tool.name, parsed)
    try:
        tool.fn_metadata.arg_model.model_validate(parsed)
    except ValidationError as exc:
        raise _refusal(tool, parsed, exc) from None
    _check_ranges(tool.name, parsed)


def unknown_tool(name: str, known: Iterable[str]) -> UsageError:
    """The refusal of a call to a tool the server does not have."""
    names = sorted(known)
    close = difflib.get_close_matches(name, names, n=1)
    guess = f"did you mean {close[0]}? " if close else ""
    return UsageError(f"unknown tool {name!r}", hint=f"{guess}the tools are {', '.join(names)}")


def publish_ranges(tool: Tool) -> Tool:
    """Write RANGES into ``tool``'s input schema, so a host sees the bounds it checks."""
    for name, schema in tool.parameters.get("properties", {}).items():
        if name not in RANGES:
            continue
        low, high, open_low = RANGES[name]
        numeric = next(s for s in schema.get("anyOf", [schema]) if s.get("type") != "null")
        numeric["exclusiveMinimum" if open_low else "minimum"] = low
        numeric["maximum"] = high
    return tool


def _check_values(tool: str, arguments: Mapping[str, Any]) -> None:
    pending: list[tuple[str, Any, int]] = [(name, value, 1) for name, value in arguments.items()]
    seen = 0
    while pending:
        where, value, depth = pending.pop()
        seen += 1
        if seen > MAX_VALUES:
            raise UsageError(f"{tool}: the arguments hold more than {MAX_VALUES} values",
                             hint="send fewer leases or globs in one call")
        if depth > MAX_DEPTH:
            raise UsageError(f"{tool}: argument {where!r} is nested more than {MAX_DEPTH} deep",
                             hint="pass it in the shape the tool's input schema gives")
        if isinstance(value, str):
            _check_text(tool, where, value)
        elif isinstance(value, dict):
            for key, item in value.items():
                _check_text(tool, f"{where} key", str(key))
                pending.append((f"{where}.{key}", item, depth + 1))
        elif isinstance(value, list):
            pending.extend((f"{where}[{index}]", item, depth + 1)
                           for index, item in enumerate(value))
        elif not isinstance(value, bool):
            _check_number(tool, where, value)


def _check_text(tool: str, where: str, text: str) -> None:
    if "\0" in text:
        raise UsageError(f"{tool}: argument {where!r} contains a NUL character",
                         hint=f"pass {where} without NUL (\\u0000) characters")
    problem = ""
    if "\ufffd" in text:  # stdio puts U+FFFD where the bytes sent were not UTF-8
        problem = "it holds U+FFFD, which stands in for bytes that were not UTF-8"
    else:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            problem = "it holds a lone surrogate"
    if problem:
        raise UsageError(f"{tool}: argument {where!r} is not valid UTF-8 ({problem})",
                         hint=f"send {where} as UTF-8 text")


def _check_number(tool: str, where: str, value: Any) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise UsageError(f"{tool}: argument {where!r} is {value}, not a finite number",
                         hint=f"pass {where} as a finite number")
    if isinstance(value, int) and not -_INT64 - 1 <= value <= _INT64:
        raise UsageError(f"{tool}: argument {where!r} is out of range: {value}",
                         hint=f"pass {where} as a 64-bit integer")


def _check_ranges(tool: str, arguments: Mapping[str, Any]) -> None:
    for name, (low, high, open_low) in RANGES.items():
        value = arguments.get(name)
        if value is None or (low < value <= high) or (value == low and not open_low):
            continue
        floor = f"greater than {low}" if open_low else f"at least {low}"
        raise UsageError(f"{tool}: argument {name!r} is out of range: {value}",
                         hint=f"pass {name} {floor} and at most {high}")


def _refusal(tool: Tool, given: Mapping[str, Any], exc: ValidationError) -> UsageError:
    problems: dict[str, tuple[str, str]] = {}
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else ""
        problems.setdefault(name, _explain(tool, name, error["type"], given))
    return UsageError(f"{tool.name}: " + "; ".join(p for p, _ in problems.values()),
                      hint="; ".join(fix for _, fix in problems.values()))


def _explain(tool: Tool, name: str, kind: str, given: Mapping[str, Any]) -> tuple[str, str]:
    properties: dict[str, Any] = tool.parameters.get("properties", {})
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(name, properties, n=1)
        guess = f"did you mean {close[0]}? " if close else ""
        return (f"unknown argument {name!r}",
                f"{guess}{tool.name} takes {', '.join(properties)}")
    schema = properties.get(name, {})
    expected = _expected(schema)
    about = f": {schema['description']}" if schema.get("description") else ""
    if kind == "missing":
        return f"missing required argument {name!r}", f"pass {name} ({expected}){about}"
    return (f"argument {name!r} must be {expected}, got {_shown(given.get(name))}",
            f"pass {name} as {expected}{about}")


def _expected(schema: Mapping[str, Any]) -> str:
    if "enum" in schema:
        return "one of " + ", ".join(json.dumps(value) for value in schema["enum"])
    if "anyOf" in schema:
        return " or ".join(_expected(option) for option in schema["anyOf"])
    kind = schema.get("type", "")
    if kind == "array":
        items = schema.get("items", {}).get("type", "")
        return f"a list of {_PLURALS.get(items, 'values')}"
    return _KINDS.get(kind, "a JSON value")


def _shown(value: Any) -> str:
    text = json.dumps(value, default=str)
    text = text if len(text) <= 60 else text[:57] + "..."
    return f"{text} ({_json_kind(value)})"


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object" if isinstance(value, dict) else "null"
