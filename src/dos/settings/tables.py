"""Schemas for the policy tables whose consumers read plain validated values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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

__all__ = ["SIMPLE_TABLES", "parse_simple_table"]


def _int_list(table: str, key: str, value: Any) -> tuple[int, ...]:
    if not isinstance(value, list) or not all(
        isinstance(item, int) and not isinstance(item, bool) for item in value
    ):
        raise SchemaProblem(table, key, f"[{table}] {key} must be an array of integers")
    return tuple(value)


def _any(_table: str, _key: str, value: Any) -> Any:
    return value


_Schema = dict[str, tuple[Validator, Any]]

SIMPLE_TABLES: dict[str, _Schema] = {
    "enumerate": {
        "heading_levels": (_int_list, (2, 3, 4, 5, 6)),
        "scan_tables": (expect_bool, True),
        "generic_numeric_table": (expect_bool, False),
        "bare_phase_fallback": (expect_bool, True),
        "rollup_parents": (expect_bool, False),
        "style": (expect_str, "generic"),
    },
    "cooldown": {
        "window_ms": (expect_int(0), None),
        "window_hours": (expect_number(0.0), None),
        "error_window_ms": (expect_int(0), None),
        "error_window_minutes": (expect_number(0.0), None),
    },
    "supervise": {
        "target": (expect_int(0), 1),
        "count_spinning_as_alive": (expect_bool, True),
        "reap_stalled": (expect_bool, True),
        "spin_halt_after_ms": (expect_optional_int(0), None),
        "spin_halt_after_minutes": (expect_number(0.0), None),
        "launch": (expect_str_list, ()),
        "worker_launch_template": (expect_str, ""),
        "max_concurrency": (expect_optional_int(1), None),
        "max_restarts": (expect_int(0), 3),
        "restart_period_s": (expect_int(1), 600),
    },
    "lifecycle": {
        "classes": (expect_str_list, ("active", "done")),
        "transitions": (_any, ()),
        "veto_class": (expect_str, ""),
        "max_transitions_per_cycle": (expect_int(0), 5),
        "per_plan_cooldown_hours": (expect_number(0.0), 72.0),
    },
    "retention": {
        "journal_max_entries": (expect_optional_int(0), 5000),
        "runs_keep_last": (expect_optional_int(0), 200),
        "verdicts_keep_last": (expect_optional_int(0), 500),
        "audits_keep_last": (expect_optional_int(0), 200),
        "journal_max_age_days": (expect_number(0.0), 30.0),
        "projections_compact": (expect_bool, True),
    },
    "data_class": {
        "trajectory_patterns": (expect_str_list, ()),
        "audit_patterns": (expect_str_list, ()),
        "baseline_patterns": (expect_str_list, ()),
        "product_patterns": (expect_str_list, ()),
        "default_class": (expect_str, "PRODUCT"),
    },
    "tool_stream": {
        "repeat_n": (expect_int(1), 3),
        "stall_n": (expect_int(1), 5),
        "ignore_tools": (expect_str_or_list, ()),
    },
    "marker": {
        "max_streak": (expect_int(1), 4),
        "arm_on_env": (expect_str_list, ("DOS_LOOP", "CID_RUN_ID")),
        "respect_stop_hook_active": (expect_bool, True),
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
            "name": (expect_str, None), "max_concurrent": (expect_int(0), None),
        })
        for key in ("name", "max_concurrent"):
            if values[key] is None:
                raise SchemaProblem("concurrency_class", key,
                                    f"[[concurrency_class]] entry needs {key}")
        classes.append((str(values["name"]), int(values["max_concurrent"])))
    return tuple(classes)


def parse_interventions(raw: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """``[intervention.<TOKEN>]``: extra intervention levels, each with a rank."""
    levels: dict[str, dict[str, Any]] = {}
    for token, body in expect_table("", "intervention", raw).items():
        table = f"intervention.{token}"
        expect_table("intervention", token, body)
        if "rank" not in body:
            raise SchemaProblem(table, "rank", f"[{table}] needs an integer rank")
        levels[token.upper()] = validate_table(table, body, {
            "rank": (expect_int(), 0), "summary": (expect_str, ""),
            "actuation": (expect_str, ""), "dispatches": (expect_bool, True),
            "returns_synthetic": (expect_bool, False), "see_also": (expect_str_or_list, ()),
        })
    return levels


def parse_precursors(raw: Mapping[str, Any]) -> dict[str, dict[str, tuple[str, ...]]]:
    """``[precursor]``: which tool needs which precursor first, and their aliases."""
    values = validate_table("precursor", expect_table("", "precursor", raw), {
        "requires": (expect_table, {}), "aliases": (expect_table, {}),
    })
    return {
        part: {
            name.strip().lower(): expect_str_or_list(f"precursor.{part}", name, needs)
            for name, needs in values[part].items()
        }
        for part in ("requires", "aliases")
    }
