"""Regular expressions rebuilt from their compiled form, so that a process needing only
patterns it has compiled before imports neither :mod:`re` nor its parser.

``re.compile`` parses a pattern and turns it into the regular-expression engine's code
in Python (``re._parser``, ``re._compiler``), after importing ``re`` and ``enum``: for
``dos verify``, whose stamps are a dozen patterns, a fifth of its instructions. The
engine (``_sre``, built into the interpreter) takes the finished code directly:
``_sre.compile(pattern, flags, code, groups, groupindex, indexgroup)`` is the last step
of every ``re.compile``. :func:`compile` keeps that step's arguments for each pattern it
compiles, and in a later process rebuilds the pattern from them alone.

Where they are kept: in memory for the process, always; and, once :func:`use_file` is
called (by the ``dos`` command's own process only), in one text file in the user's
cache directory (``$XDG_CACHE_HOME/dos``, else ``~/.cache/dos``), named for the exact
interpreter build and the engine's code version (``_sre.MAGIC``), written when the
process ends, at most :data:`MAX_ENTRIES` patterns. ``DOS_NO_PATTERN_CACHE=1`` switches
the file off.

The safety net: a pattern is rebuilt only from an entry of its own source and flags, in
a file of this interpreter build; the engine validates the code it is given (invalid
code is an error, never a crash); any problem at all — no file, a torn or foreign file,
an entry that does not rebuild — falls back to ``re.compile``, which answers as before.
An entry is written only after the rebuilt pattern showed the same flags, groups and
group names as ``re.compile``'s; the tests compare both on generated text.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing costs start-up time
if TYPE_CHECKING:
    import re

__all__ = ["ASCII", "DOTALL", "IGNORECASE", "MAX_ENTRIES", "MULTILINE", "compile", "escape",
           "save", "use_file"]

# re's flag values (re.RegexFlag), without importing re.
IGNORECASE, MULTILINE, DOTALL, ASCII = 2, 8, 16, 256
MAX_ENTRIES = 512
FORMAT = 1

# re.escape's table: these characters get a backslash.
_SPECIAL = {i: "\\" + chr(i) for i in b"()[]{}?*+-|^$\\.&~# \t\n\r\v\f"}

_MEMO: dict[tuple[str, int], re.Pattern[str]] = {}
_ON = [False]  # use_file() was called
_FILE: list[str] = []  # the cache file's path, once known
_KEPT: list[dict[str, str]] = []  # the file's entries, unparsed (once read)
_NEW: dict[str, str] = {}  # entries to add to the file at the end


def escape(text: str) -> str:
    """``re.escape(text)``."""
    return text.translate(_SPECIAL)


def use_file() -> None:
    """Keep compiled patterns in the user's cache directory across processes."""
    if not os.environ.get("DOS_NO_PATTERN_CACHE"):
        _ON[0] = True


def _path() -> str | None:
    if not _FILE:
        base = os.environ.get("XDG_CACHE_HOME", "")
        if not os.path.isabs(base):  # noqa: PTH117 - pathlib costs start-up time
            home = os.path.expanduser("~")  # noqa: PTH111
            if not os.path.isabs(home):  # noqa: PTH117 - no home to keep a cache in
                return None
            base = os.path.join(home, ".cache")  # noqa: PTH118
        import _sre  # type: ignore[import-not-found]

        build = "".join(c if c.isalnum() else "-" for c in sys.version.split()[0])
        _FILE.append(os.path.join(base, "dos", f"patterns-{build}-{_sre.MAGIC}.txt"))  # noqa: PTH118
    return _FILE[0]


def _header() -> str:
    from dos import _fastjson

    return f"dos-patterns {FORMAT} {_fastjson.dumps(sys.version)}"


# The file: a header line naming the format and the exact interpreter build, then one
# line per pattern: its key (JSON), the flags and group count _sre.compile takes, its
# code (decimal, comma-separated) and its named groups (a JSON object), tab-separated.
def _entries() -> dict[str, str]:
    if not _KEPT:
        _KEPT.append(_read())
    return _KEPT[0]


def _read() -> dict[str, str]:
    path = _path()
    if path is None:
        return {}
    try:
        with open(path, encoding="utf-8") as handle:  # noqa: PTH123
            text = handle.read(8 * 1024 * 1024)
    except (OSError, ValueError):
        return {}
    head, _, body = text.partition("\n")
    if head != _header():
        return {}
    entries = {}
    for line in body.split("\n"):
        key, tab, rest = line.partition("\t")
        if tab:
            entries[key] = rest
    return entries


def _key(source: str, flags: int) -> str:
    from dos import _fastjson

    return _fastjson.dumps(f"{int(flags)}:{source}")


def _rebuilt(source: str, entry: str) -> re.Pattern[str] | None:
    """The pattern from its kept arguments; None if they are not a valid set."""
    try:
        import _sre

        flags, groups, code, names = entry.split("\t")
        groupindex = {}
        if names != "{}":
            from dos import _fastjson

            groupindex = _fastjson.loads(names, max_depth=1)
        count = int(groups)
        indexgroup: list[str | None] = [None] * (count + 1)
        for name, index in groupindex.items():
            indexgroup[index] = name
        pattern: re.Pattern[str] = _sre.compile(
            source, int(flags), [int(word) for word in code.split(",")], count, groupindex,
            tuple(indexgroup))
    except Exception:  # noqa: BLE001 - a torn or foreign entry: compile it afresh
        return None
    return pattern


def _arguments(source: str, flags: int, compiled: re.Pattern[str]) -> str | None:
    """What ``_sre.compile`` was given for ``compiled``, as a file entry; None when they
    cannot be had (another interpreter's internals) or do not rebuild the same pattern."""
    try:
        from re import _compiler, _parser  # type: ignore[attr-defined]

        from dos import _fastjson

        parsed = _parser.parse(source, flags)
        code = _compiler._code(parsed, flags)
        names = _fastjson.dumps(dict(parsed.state.groupdict), sort_keys=True)
        entry = "\t".join((str(flags | parsed.state.flags), str(parsed.state.groups - 1),
                           ",".join(str(int(word)) for word in code), names))
    except Exception:  # noqa: BLE001 - not this interpreter's compiler: keep nothing
        return None
    again = _rebuilt(source, entry)
    if again is None or (again.flags, again.groups, dict(again.groupindex)) != (
            compiled.flags, compiled.groups, dict(compiled.groupindex)):
        return None
    return entry


def compile(source: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(source, flags)`` for a ``str`` pattern, rebuilt from the cache when
    this interpreter compiled it before."""
    flags = int(flags)  # a re.RegexFlag too: its value names the entry
    found = _MEMO.get((source, flags))
    if found is not None:
        return found
    name = _key(source, flags) if _ON[0] else ""
    if name:
        entry = _entries().get(name)
        if entry is not None:
            found = _rebuilt(source, entry)
    if found is None:
        import re

        found = re.compile(source, flags)
        kept = _arguments(source, flags, found) if name else None
        if kept is not None:
            _NEW[name] = kept
            if len(_NEW) == 1:
                import atexit

                atexit.register(save)
    _MEMO[(source, flags)] = found
    return found


def save() -> None:
    """Add the patterns compiled afresh to the cache file (the newest kept when it is
    full); a cache: any failure is left unsaid."""
    path = _path() if _ON[0] and _NEW else None
    if path is None:
        return
    _KEPT.clear()  # read again: another process may have added its own meanwhile
    entries = {k: v for k, v in _entries().items() if k not in _NEW}
    entries.update(_NEW)
    _NEW.clear()
    while len(entries) > MAX_ENTRIES:
        del entries[next(iter(entries))]
    _KEPT[:] = [entries]
    text = "\n".join([_header(), *(f"{k}\t{v}" for k, v in entries.items())]) + "\n"
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)  # noqa: PTH103, PTH120
        with open(temporary, "w", encoding="utf-8") as handle:  # noqa: PTH123
            handle.write(text)
        os.replace(temporary, path)  # noqa: PTH105
    except OSError:
        import contextlib

        with contextlib.suppress(OSError):
            os.unlink(temporary)  # noqa: PTH108
