"""Schemas for the policy tables whose consumers read plain validated values."""

from __future__ import annotations

from collections.abc import Mapping

from dos.limits import MAX_WORKERS
from dos.settings import (
    SchemaProblem,
    Validator,
    expect_bool,
    expect_int,
    expect_number,
    expect_optional_int,
    expect_str,
    expect_str_list,
    expect_str_or_list,
    expect_table,
    validate_table,
)
from dos.settings.judges import JUDGES_SCHEMA

TYPE_CHECKING = False  # typing costs start-up time; annotations are strings
if TYPE_CHECKING:
    from typing import Any

__all__ = ["SIMPLE_TABLES", "parse_simple_table"]


def _escalation(table: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or value.strip().lower() not in ("none", "judge", "human"):
        raise SchemaProblem(table, key, f"[{table}] {key} must be \"none\", \"judge\" or "
                            f"\"human\", got {value!r}")
    return value.strip().lower()


_INTERVENTIONS = ("PASS", "OBSERVE", "WARN", "BLOCK", "DEFER")


def _intervention(table: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or value.strip().upper() not in _INTERVENTIONS:
        raise SchemaProblem(table, key, f"[{table}] {key} must be one of "
                            f"{', '.join(_INTERVENTIONS)}, got {value!r}")
    return value.strip().upper()


def _exit_map(table: str, key: str, value: Any) -> dict[int, str]:
    """``{ "3" = "DEFER" }``: exit status (0-255) → intervention."""
    expect_table(table, key, value)
    mapped = {}
    for code, verb in value.items():
        if not code.isdigit() or not 0 <= int(code) <= 255:
            raise SchemaProblem(table, key, f"[{table}] {key} key {code!r} is not an exit "
                                "status", hint="keys are exit statuses 0-255, e.g. \"3\"")
        mapped[int(code)] = _intervention(table, f"{key}.{code}", verb)
    return mapped


def _heading_levels(table: str, key: str, value: Any) -> tuple[int, ...]:
    """Markdown heading levels 1 to 6: ``[9]`` would silently find nothing."""
    if not isinstance(value, list) or not value or not all(
            isinstance(level, int) and not isinstance(level, bool) and 1 <= level <= 6
            for level in value):
        raise SchemaProblem(table, key, f"[{table}] {key} must be a non-empty array of "
                            f"heading levels 1 to 6, got {value!r}",
                            hint=f"e.g. {key} = [2, 3, 4]")
    return tuple(sorted(set(value)))


def _host(table: str, key: str, value: Any) -> str:
    """A host name or an IP address to bind: no scheme, port, path or blank."""
    if isinstance(value, str) and value.strip() and len(value) <= 253 and (
            _is_ipv6(value.strip()) or not any(char in value for char in "/:@ \t")):
        return value.strip()
    raise SchemaProblem(table, key, f"[{table}] {key} must be a host name or an IP "
                        f"address, got {value!r}", hint=f'e.g. {key} = "127.0.0.1"')


_MAX_NAMES = 1000


def _name_map(table: str, key: str, value: Any) -> dict[str, tuple[str, ...]]:
    """A sub-table of tool name → a tool name or a list of them (``[precursor.requires]``)."""
    if not isinstance(value, dict) or len(value) > _MAX_NAMES:
        raise SchemaProblem(table, key, f"[{table}.{key}] must be a table of tool name → "
                            f"name or list of names (at most {_MAX_NAMES})",
                            hint=f'e.g. [{table}.{key}] update_ticket = ["get_ticket"]')
    out = {}
    for name, names in value.items():
        listed = expect_str_or_list(table, f"{key}.{name}", names)
        if len(listed) > _MAX_NAMES or any(len(item) > 200 for item in (name, *listed)):
            raise SchemaProblem(table, key, f"[{table}.{key}] {name[:40]!r}: too many or too "
                                "long names", hint="list at most 1000 names of 200 characters")
        out[name] = listed
    return out


def _is_ipv6(text: str) -> bool:
    import ipaddress

    try:
        return isinstance(ipaddress.ip_address(text), ipaddress.IPv6Address)
    except ValueError:
        return False


_Schema = dict[str, tuple["Validator", "Any"]]

SIMPLE_TABLES: dict[str, _Schema] = {
    # `dos enumerate`: which parts of a plan document declare units
    "enumerate": {
        "heading_levels": (_heading_levels, (2, 3, 4, 5, 6)),
        "scan_tables": (expect_bool, True),
        "generic_numeric_table": (expect_bool, False),
        "bare_phase_fallback": (expect_bool, True),
        "rollup_parents": (expect_bool, True),
        "style": (expect_str, "generic"),
    },
    "cooldown": {
        "window_ms": (expect_int(0), None),
        "window_hours": (expect_number(0.0), None),
        "error_window_ms": (expect_int(0), None),
        "error_window_minutes": (expect_number(0.0), None),
    },
    "supervise": {
        "target": (expect_int(0, MAX_WORKERS), 1),
        "count_spinning_as_alive": (expect_bool, True),
        "reap_stalled": (expect_bool, True),
        "spin_halt_after_ms": (expect_optional_int(0), None),
        "spin_halt_after_minutes": (expect_number(0.0), None),
        "launch": (expect_str_list, ()),
        "worker_launch_template": (expect_str, ""),
        "max_concurrency": (expect_optional_int(1, MAX_WORKERS), None),
        "max_restarts": (expect_int(0), 3),
        "restart_period_s": (expect_int(1), 600),
    },
    "retention": {
        "journal_max_age_days": (expect_number(0.0), 30.0),
    },
    "breaker": {
        "max_consecutive": (expect_int(0), 3),
        "max_total": (expect_int(0), 20),
        "on_trip": (_escalation, "none"),
    },
    "productivity": {
        "min_steps": (expect_int(0), 3),
        "floor": (expect_int(0), 500),
    },
    "efficiency": {
        "min_tokens": (expect_int(0), 1000),
        "floor": (expect_number(0.0), 0.0),
    },
    # The verdict journal: on once a store exists; `dos journal compact` keeps keep_days
    # of it (absent: everything).
    "observe": {
        "enabled": (expect_bool, True),
        "keep_days": (expect_number(0.0, 36500.0), None),
    },
    "improve": {
        "max_reverts": (expect_int(1), 3),
        "efficiency_floor": (expect_number(0.0), 0.0),
        "min_tokens": (expect_int(0), 1000),
        "require_witnessed": (expect_bool, False),
    },
    "hook_exit": {
        "map": (_exit_map, {}),
        "fallback": (_intervention, "WARN"),
    },
    "exec_capability": {
        "allow": (expect_str_list, ()),
        "extra": (expect_str_list, ()),
    },
    "arg_provenance": {
        "write_tools": (expect_str_list, ()),
        "read_tools": (expect_str_list, ()),
        "write_stems": (expect_str_list, ()),
        "new_keys": (expect_str_list, ()),
    },
    # the shipped judges (`dos judge-eval --judge NAME`)
    "judges": JUDGES_SCHEMA,
    # `dos serve`: where the operator's web views listen, and the file holding the token
    "serve": {
        "host": (_host, "127.0.0.1"),
        "port": (expect_int(1, 65_535), 8787),
        "token_file": (expect_str, ""),
    },
    "tool_stream": {
        "repeat_n": (expect_int(1), 3),
        "stall_n": (expect_int(1), 5),
        "ignore_tools": (expect_str_or_list, ()),
    },
    # `dos precursor-gate-eval`: gated tool → the lookups that must run first
    "precursor": {
        "requires": (_name_map, {}),
        "aliases": (_name_map, {}),
        "case_sensitive": (expect_bool, False),
    },
}

_PAIRED = {
    "cooldown": (("window_ms", "window_hours"), ("error_window_ms", "error_window_minutes")),
    "supervise": (("spin_halt_after_ms", "spin_halt_after_minutes"),
                  ("launch", "worker_launch_template")),
}


def parse_simple_table(name: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Validate one of :data:`SIMPLE_TABLES`, refusing a value given in two units."""
    expect_table("", name, raw)
    values = validate_table(name, raw, SIMPLE_TABLES[name])
    for first, second in _PAIRED.get(name, ()):
        if first in raw and second in raw:
            raise SchemaProblem(name, second, f"[{name}] sets both {first} and {second}",
                                hint=f"keep one of {first} or {second}")
    return values


def parse_concurrency_classes(raw: Any) -> tuple[tuple[str, int], ...]:
    """``[[concurrency_class]]``: name → how many may run at once."""
    if not isinstance(raw, list):
        raise SchemaProblem("concurrency_class", "", "[[concurrency_class]] must be an array "
                            "of tables", hint="write each class as [[concurrency_class]]")
    classes = []
    for entry in raw:
        expect_table("concurrency_class", "", entry)
        values = validate_table("concurrency_class", entry, {
            "name": (expect_str, None), "max_concurrent": (expect_int(0, MAX_WORKERS), None),
        })
        for key in ("name", "max_concurrent"):
            if values[key] is None:
                raise SchemaProblem("concurrency_class", key,
                                    f"[[concurrency_class]] entry needs {key}")
        classes.append((str(values["name"]), int(values["max_concurrent"])))
    return tuple(classes)

