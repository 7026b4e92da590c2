"""The top level of ``dos.toml``: a table or key nobody reads stops the load, naming the
closest known table, so a misspelt ``[lane]`` never silently drops the lane policy."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from dos.settings import SchemaProblem

TYPE_CHECKING = False  # typing costs start-up time; annotations are strings
if TYPE_CHECKING:
    from typing import Any

__all__ = ["check_tables"]


def _is_table(value: Any) -> bool:
    return isinstance(value, dict) or (
        isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value))


def check_tables(data: Mapping[str, Any], read: Iterable[str],
                 accepted: Iterable[str] = ()) -> None:
    """Refuse a top-level name of ``data`` that is neither ``read`` nor ``accepted``
    (known but unused), suggesting the closest of either."""
    read_list = sorted(set(read))
    known = sorted({*read_list, *accepted})
    for name, value in data.items():
        if name in known:
            continue
        import difflib  # only for a typo: it costs start-up time

        close = difflib.get_close_matches(name, known, n=1)
        if _is_table(value):
            message = f"unknown table [{name}]"
            guess = f"did you mean [{close[0]}]? " if close else ""
            raise SchemaProblem(name, "", message, hint=f"{guess}the tables dos reads are: "
                                f"{', '.join(read_list)}")
        guess = f"did you mean '{close[0]}'? " if close else ""
        raise SchemaProblem("", name, f"unknown top-level key '{name}'",
                            hint=f"{guess}a setting belongs in its table, e.g. "
                            "[hooks] on_error; remove the key or move it there")
