"""The parsed ``dos.toml``, remembered in ``.dos/config-cache.json`` so that a verb whose
policy has not changed skips ``tomllib`` (and the modules it imports).

Only the parser's answer is remembered; the config loader validates it and builds the
config from it every time, exactly as from a fresh parse. The memo is used only for the
very bytes it was parsed from, by the same dos and Python, in the same workspace and
the same ``.dos`` directory (a copied or cloned one has another device and inode, so a
memo that arrives with a repository is never believed); and only when every value is
plain JSON (a TOML date or time is not remembered). Anything else is ignored, and the
next full parse replaces it. Files go through :mod:`dos.memo_file`.
"""

from __future__ import annotations

import sys

from dos import memo_file
from dos.limits import is_finite

TYPE_CHECKING = False  # typing costs start-up time on every verb
if TYPE_CHECKING:
    from typing import Any

__all__ = ["MEMO_NAME", "parsed", "remember"]

MEMO_NAME = "config-cache.json"
_FORMAT = 1


def _plain(value: object) -> bool:
    """Whether ``value`` comes back from JSON as itself: same types, same values."""
    if type(value) is dict:
        return all(type(key) is str and _plain(item) for key, item in value.items())
    if type(value) is list:
        return all(_plain(item) for item in value)
    if type(value) is float:
        return is_finite(value)
    return type(value) in (str, int, bool)


def _parser_stamp() -> list[object] | None:
    """The dos version and the size and time of the parser's wrapper (an edited
    checkout keeps its version); None when that file cannot be seen."""
    import os

    from dos import __file__ as package_init
    from dos._version import __version__

    try:
        found = os.stat(os.path.join(os.path.dirname(package_init), "_toml.py"))  # noqa: PTH116, PTH118, PTH120
    except OSError:
        return None
    return [__version__, sys.version, found.st_size, found.st_mtime_ns]


def _key(root: str, raw: bytes) -> dict[str, object] | None:
    stamp, identity = _parser_stamp(), memo_file.directory_identity(root)
    if stamp is None or identity is None:
        return None
    return {"format": _FORMAT, "parser": stamp, "root": root, "dos_dir": identity,
            "toml": raw.decode("latin-1")}


def parsed(root: str, raw: bytes) -> dict[str, Any] | None:
    """What the parser answered for ``raw`` (dos.toml's bytes) in ``root``, if remembered."""
    try:
        memo = memo_file.read(root, MEMO_NAME)
    except (OSError, ValueError):
        return None  # unreadable, not UTF-8 or not JSON: ignored, and replaced later
    if not isinstance(memo, dict) or set(memo) != {"key", "data"}:
        return None
    data = memo["data"]
    if type(data) is not dict or not _plain(data) or memo["key"] != _key(root, raw):
        return None
    return data


def remember(root: str, raw: bytes, data: dict[str, Any]) -> None:
    """Remember that ``raw`` parsed to ``data`` (when ``.dos`` exists and it is plain)."""
    key = _key(root, raw) if _plain(data) else None
    if key is not None:
        # in the document's order: the loader reads some tables in order (reasons)
        memo_file.write(root, MEMO_NAME, {"key": key, "data": data}, sort_keys=False)
