"""Validation of ``dos.toml`` tables: each table has a schema, every value is checked.

A problem is raised as :class:`SchemaProblem` naming the table, the key, what was
expected and what was found; the loader in :mod:`dos.config` adds the file and
line and turns it into a :class:`dos.errors.ConfigError`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from dos.limits import MAX_COUNT, UNIT_MAXIMA, fits_number, span

TYPE_CHECKING = False  # typing costs start-up time; annotations are strings
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "SchemaProblem",
    "Validator",
    "ceiling",
    "check_bounds",
    "check_keys",
    "expect_bool",
    "expect_int",
    "expect_number",
    "expect_optional_int",
    "expect_str",
    "expect_str_list",
    "expect_str_or_list",
    "expect_table",
    "type_name",
    "validate_table",
]

if TYPE_CHECKING:
    Validator = Callable[[str, str, Any], Any]
else:
    Validator = Callable  # the exact alias is for type checkers


class SchemaProblem(Exception):  # noqa: N818 - a problem report, raised only to be caught
    """One value in one table does not fit the schema. (A plain class: every verb loads
    this module, and a dataclass costs start-up time.)"""

    def __init__(self, table: str, key: str, message: str, hint: str = "") -> None:
        super().__init__(table, key, message, hint)
        self.table, self.key, self.message, self.hint = table, key, message, hint

    def __str__(self) -> str:
        return self.message


def type_name(value: object) -> str:
    """The TOML name of a Python value's type, for messages."""
    names = {bool: "boolean", int: "integer", float: "float", str: "string",
             list: "array", dict: "table"}
    return names.get(type(value), type(value).__name__)


def _fail(table: str, key: str, expected: str, value: object) -> SchemaProblem:
    return SchemaProblem(
        table, key,
        f"[{table}] {key} must be {expected}, got {type_name(value)} {value!r}",
        hint=f"set {key} in [{table}] to {expected}",
    )


def expect_str(table: str, key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise _fail(table, key, "a string", value)
    return value


def expect_bool(table: str, key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _fail(table, key, "true or false", value)
    return value


def ceiling(key: str) -> float:
    """The largest value ``key`` may hold, by the unit its name ends with (``_ms``,
    ``_s``, ``_minutes``, ``_hours``, ``_days``); a count or amount otherwise."""
    return UNIT_MAXIMA.get(key.rpartition("_")[2], MAX_COUNT)


def check_bounds(table: str, key: str, value: int | float, low: float | None,
                 high: float | None, *, low_open: bool = False, what: str) -> None:
    """Refuse a value that is not finite or outside ``[low, high]`` (``high`` defaults
    to the key's :func:`ceiling`), naming the accepted range."""
    top = ceiling(key) if high is None else high
    bottom = -top if low is None else low
    if not fits_number(value, bottom, top, low_open=low_open):
        raise _fail(table, key, f"{what} {span(bottom, top, low_open=low_open)}", value)


def expect_int(minimum: int | None = None, maximum: int | None = None) -> Validator:
    def check(table: str, key: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _fail(table, key, "an integer", value)
        check_bounds(table, key, value, minimum, maximum, what="an integer")
        return value
    return check


def expect_optional_int(minimum: int | None = None, maximum: int | None = None) -> Validator:
    inner = expect_int(minimum, maximum)

    def check(table: str, key: str, value: Any) -> int | None:
        if value is None:
            return None
        return int(inner(table, key, value))
    return check


def expect_number(
    low: float | None = None, high: float | None = None, *, low_open: bool = False
) -> Validator:
    def check(table: str, key: str, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _fail(table, key, "a number", value)
        check_bounds(table, key, value, low, high, low_open=low_open, what="a number")
        return float(value)
    return check


def expect_str_list(table: str, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _fail(table, key, "an array of strings", value)
    return tuple(value)


def expect_str_or_list(table: str, key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _fail(table, key, "a string or an array of strings", value)
    return tuple(value)


def expect_table(table: str, key: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise _fail(table, key, "a table", value)
    return value


def check_keys(table: str, given: Iterable[str], known: Iterable[str]) -> None:
    """Refuse unknown keys, suggesting the closest known one."""
    known_list = sorted(known)
    for key in given:
        if key in known_list:
            continue
        import difflib  # only for a typo: it costs start-up time

        close = difflib.get_close_matches(key, known_list, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(known_list)}"
        raise SchemaProblem(table, key, f"[{table}] has unknown key '{key}'", hint=hint)


def validate_table(
    table: str, raw: Mapping[str, Any], schema: Mapping[str, tuple[Validator, Any]]
) -> dict[str, Any]:
    """Check ``raw`` against ``schema`` (key → (validator, default)); fill defaults."""
    check_keys(table, raw, schema)
    result = {key: default for key, (_, default) in schema.items()}
    for key, value in raw.items():
        validator, _ = schema[key]
        result[key] = validator(table, key, value)
    return result
