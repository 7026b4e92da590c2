"""The exit-code contract as a question (``dos exit-codes``). Kept apart from
:mod:`dos.api.ops` because it sits on the CLI's fast path: no typing, no dataclasses."""

from __future__ import annotations

from dos.errors import UsageError
from dos.render import with_schema

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["exit_codes", "exit_codes_json"]


def exit_codes(verb: str | None = None) -> dict[str, dict[str, int]]:
    """Verb → {verdict token → exit code}, for every verb or just ``verb``."""
    from dos import exitcodes

    if verb is not None and verb not in exitcodes.VERDICT_SOURCES \
            and verb not in exitcodes.OPERATION_EXITS:
        import difflib

        known = sorted({*exitcodes.VERDICT_SOURCES, *exitcodes.OPERATION_EXITS})
        close = difflib.get_close_matches(verb, known, n=1)
        raise UsageError(f"'{verb}' is not a dos verb",
                         hint=f"did you mean `{close[0]}`?" if close
                         else "known: " + ", ".join(known))
    return {verb: exitcodes.contract(verb)} if verb else exitcodes.table()


def exit_codes_json(table: dict[str, dict[str, int]]) -> dict[str, Any]:
    """``{verb: {token: code}}`` as the reference printed it, plus ``reserved`` (the codes
    every verb may return) and ``schema`` (verbs are open-ended keys: not a TypedDict)."""
    from dos.errors import RESERVED_EXITS

    return with_schema({**table, "reserved": dict(RESERVED_EXITS)},  # type: ignore[no-any-return]
                       "exit-codes")
