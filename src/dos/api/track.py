"""``dos watch --track SPEC``: one run to watch, parsed and checked at the edge.

A spec that cannot name a run is a usage error saying the expected form, before the
watchdog ticks once; a start SHA or ref that later leaves git's history is the run's own
error in the tick (the watchdog keeps watching the others)."""

from __future__ import annotations

import json
import re
from typing import Any

from dos import _fastjson as jsonc
from dos.drivers.watchdog import TrackedRun
from dos.errors import UsageError
from dos.limits import MAX_MS, fits_int

__all__ = ["FORM", "parse_track"]

FORM = ("run_id[:start_sha[:lane[:loop_ts[:handle]]]], or a JSON object with run_id and "
        "any of start_sha, lane, loop_ts, handle, ref (strings), budget_ms (milliseconds, "
        "a century at most), command")
_TEXT_KEYS = ("run_id", "start_sha", "lane", "loop_ts", "handle", "ref", "command",
              "stop_command")
_SPEC_KEYS = {*_TEXT_KEYS, "budget_ms"}
# An ISO loop_ts has colons of its own.
_ISO_REST = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?Z)(?::(.*))?$")


def _bad(spec: str, problem: str) -> UsageError:
    shown = spec if len(spec) <= 80 else spec[:80] + "…"
    return UsageError(f"--track {shown!r}: {problem}", hint=f"a --track spec is {FORM}")


def _from_json(spec: str) -> dict[str, Any]:
    try:
        data = jsonc.loads(spec)  # bounded nesting: a deep document is an error, not a crash
    except json.JSONDecodeError as exc:
        raise _bad(spec, f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(data, dict):
        raise _bad(spec, f"a JSON spec must be an object, not {type(data).__name__}")
    unknown = sorted(set(data) - _SPEC_KEYS)
    if unknown:
        raise _bad(spec, f"unknown key(s) {', '.join(unknown)}")
    for key in _TEXT_KEYS:
        if data.get(key) is not None and not isinstance(data[key], str):
            raise _bad(spec, f"{key} must be a string, got {type(data[key]).__name__}")
    return data


def _from_colons(text: str) -> dict[str, Any]:
    run_id, _, rest = text.partition(":")
    start_sha, _, rest = rest.partition(":")
    lane, _, rest = rest.partition(":")
    iso = _ISO_REST.match(rest.strip())
    if iso:
        loop_ts, handle = iso.group(1), iso.group(2) or ""
    else:
        loop_ts, _, handle = rest.partition(":")
    return {"run_id": run_id, "start_sha": start_sha, "lane": lane, "loop_ts": loop_ts,
            "handle": handle}


def _budget(spec: str, value: Any) -> int | None:
    if value is not None and not fits_int(value, 0, MAX_MS):
        raise _bad(spec, f"budget_ms must be an integer >= 0 and at most {MAX_MS}, "
                   f"got {str(value)[:40]}")
    return value


def parse_track(spec: str, *, budget_ms: int | None = None, command: str = "") -> TrackedRun:
    """One ``--track`` spec (see :data:`FORM`); ``budget_ms`` and ``command`` fill what
    the spec leaves out. The run id must be one ``dos run-id mint`` could have minted."""
    from dos.run_id import is_run_id

    text = spec.strip()
    data = _from_json(text) if text.startswith(("{", "[")) else _from_colons(text)
    fields = {key: str(data.get(key) or "").strip() for key in _TEXT_KEYS}
    if not fields["run_id"]:
        raise _bad(spec, "no run id (the first field)")
    if not is_run_id(fields["run_id"]):
        raise _bad(spec, f"{fields['run_id']!r} is not a run id (RID-… minted by "
                   "`dos run-id mint`)")
    return TrackedRun(run_id=fields["run_id"].upper(), start_sha=fields["start_sha"],
                      lane=fields["lane"], loop_ts=fields["loop_ts"], handle=fields["handle"],
                      budget_ms=_budget(spec, data.get("budget_ms", budget_ms)),
                      ref=fields["ref"] or "HEAD",
                      stop_command=fields["command"] or fields["stop_command"] or command)
