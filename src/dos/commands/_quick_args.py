"""The common shapes of a verb's command line, parsed without building argparse.

Building an ``argparse`` parser (and importing argparse, ``re``, ``enum`` and
``gettext`` for it) costs more than the short verbs' own work, and agents run those
verbs around every step. A verb that sets ``QUICK_ARGS = True`` has its own
``add_arguments`` played into a :class:`Recorder` — the one definition of its flags —
and a command line of the plain shape is parsed here:

- positionals first, then ``--flag value``, ``--flag=value`` and ``--switch`` tokens;
- flags that store a value (with ``choices`` and a bounded ``type``), ``store_true`` and
  ``append``; a ``nargs="?"`` positional; one level of sub-commands;
- the global flags every verb takes (``--workspace``, ``--driver``, ``--job``,
  ``--output``, ``--json``).

Anything else — ``-h``, ``--``, a value that starts with ``-``, an unknown or repeated
flag, a value a ``type`` or ``choices`` refuses, a missing required argument, a flag
this module does not model (``nargs="*"``) — answers None, and argparse parses the
whole line as before: every error message and every help text stays argparse's. A test
checks, on generated command lines, that whenever this answers, argparse answers the
same.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs start-up time
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from types import ModuleType
    from typing import Any

__all__ = ["Recorder", "quick_parse"]

_SUPPRESSED = "==SUPPRESS=="  # argparse.SUPPRESS, without importing argparse
_GLOBAL_VALUES = {"--workspace": "workspace", "--driver": "driver", "--output": "output"}
_OUTPUTS = ("text", "json", "plain")
_PLAIN_KEYS = frozenset(("default", "help", "metavar", "dest", "required", "type", "choices",
                         "action", "nargs"))


class Unparsed(Exception):  # noqa: N818 - not an error: "argparse, please"
    """This line is not of a shape parsed here."""


class _Flag:
    """One ``add_argument`` call, as far as this module reads it."""

    __slots__ = ("action", "choices", "default", "dest", "modelled", "nargs", "required", "type")

    def __init__(self, dest: str, keywords: dict[str, Any], *, positional: bool) -> None:
        self.dest = keywords.get("dest", dest)
        self.action = keywords.get("action", "store")
        self.nargs = keywords.get("nargs")
        self.default = keywords.get("default", False if self.action == "store_true" else None)
        self.required = bool(keywords.get("required", False))
        self.type: Callable[[str], Any] | None = keywords.get("type")
        self.choices = keywords.get("choices")
        self.modelled = (set(keywords) <= _PLAIN_KEYS
                         and self.action in ("store", "store_true", "append")
                         and self.nargs in ((None, "?") if positional else (None,))
                         and not callable(self.default)
                         and (self.action == "store" or (self.type is None
                                                         and self.nargs is None)))

    def initial(self) -> Any:
        """The value before the line is read (argparse converts a string default)."""
        if self.action == "append":
            return list(self.default or [])
        if isinstance(self.default, str) and self.type is not None:
            return self.convert(self.default)
        return self.default

    def convert(self, text: str) -> Any:
        if self.type is not None:
            try:
                text = self.type(text)
            except Exception as refused:
                raise Unparsed from refused
        if self.choices is not None and text not in self.choices:
            raise Unparsed
        return text


class Recorder:
    """Takes a verb's ``add_argument`` calls the way an argparse parser does."""

    def __init__(self) -> None:
        self.options: dict[str, _Flag] = {}
        self.positionals: list[_Flag] = []
        self.commands: dict[str, Recorder] = {}
        self.command_dest = ""
        self.modelled = True
        self.description: str | None = None
        self.epilog: str | None = None

    def add_argument(self, *names: str, **keywords: Any) -> _Flag:
        if names and names[0].startswith("-"):
            long_names = [name for name in names if name.startswith("--")]
            dest = (long_names or list(names))[0].lstrip("-").replace("-", "_")
            flag = _Flag(dest, keywords, positional=False)
            if len(long_names) != len(names):
                flag.modelled = False  # a short alias: argparse's to parse
            for name in names:
                self.options[name] = flag
            return flag
        flag = _Flag(names[0], keywords, positional=True)
        self.positionals.append(flag)
        if not flag.modelled or flag.action != "store":
            self.modelled = False
        return flag

    def add_argument_group(self, *_args: Any, **_keywords: Any) -> Recorder:
        return self

    def add_mutually_exclusive_group(self, **_keywords: Any) -> Recorder:
        self.modelled = False  # its conflicts are argparse's to report
        return self

    def set_defaults(self, **_keywords: Any) -> None:
        self.modelled = False

    def add_subparsers(self, *, dest: str, **_keywords: Any) -> Recorder:
        self.command_dest = dest
        return self

    def add_parser(self, name: str, **_keywords: Any) -> Recorder:
        self.commands[name] = Recorder()
        return self.commands[name]


def recorded(module: ModuleType, rest: Sequence[str]) -> Recorder:
    """The verb's flags, recorded the way ``dos.cli`` builds its parser (a verb with
    sub-commands records only the one named first)."""
    recorder = Recorder()
    names = getattr(module, "SUBCOMMANDS", ())
    if rest and rest[0] in names:
        module.add_arguments(recorder, only=rest[0])
    else:
        module.add_arguments(recorder)
    return recorder


def quick_parse(module: ModuleType, rest: Sequence[str]) -> dict[str, Any] | None:
    """The options argparse would parse from ``rest`` for the verb ``module``, or None
    when the line is not of a plain shape (argparse then parses it)."""
    if not getattr(module, "QUICK_ARGS", False):
        return None
    recorder = recorded(module, rest)
    try:
        if recorder.commands or recorder.command_dest:
            if not rest or rest[0] not in recorder.commands:
                return None
            parsed = _parse(recorder.commands[rest[0]], rest[1:])
            parsed[recorder.command_dest] = rest[0]
            return parsed
        return _parse(recorder, rest)
    except Unparsed:
        return None


def _parse(recorder: Recorder, rest: Sequence[str]) -> dict[str, Any]:
    if not recorder.modelled or recorder.commands:
        raise Unparsed
    parsed: dict[str, Any] = {}
    for flag in recorder.options.values():
        parsed[flag.dest] = flag.initial()
    for flag in recorder.positionals:
        parsed[flag.dest] = flag.initial() if flag.nargs == "?" else None
    index = _positionals(recorder, rest, parsed)
    seen: set[str] = set()
    while index < len(rest):
        index = _option(recorder, rest, index, parsed, seen)
    for flag in recorder.options.values():
        if flag.required and flag.dest not in seen:
            raise Unparsed
    return parsed


def _positionals(recorder: Recorder, rest: Sequence[str], parsed: dict[str, Any]) -> int:
    """Read the leading positionals; the index of the first option."""
    index = 0
    while index < len(rest) and not rest[index].startswith("-"):
        if index >= len(recorder.positionals):
            raise Unparsed  # one too many: argparse says so
        flag = recorder.positionals[index]
        parsed[flag.dest] = flag.convert(rest[index])
        index += 1
    for flag in recorder.positionals[index:]:
        if flag.nargs != "?":
            raise Unparsed  # a required positional is missing
    return index


def _option(recorder: Recorder, rest: Sequence[str], index: int, parsed: dict[str, Any],
            seen: set[str]) -> int:
    """Read the option at ``index``; the index after it."""
    token = rest[index]
    name, equals, value = token.partition("=")
    if not name.startswith("--") or name == "--":
        raise Unparsed  # a positional after an option, -h, --, a short flag
    if name in ("--json", "--job"):
        if equals:
            raise Unparsed
        if name == "--json":
            parsed["output"] = "json"
        else:
            parsed.setdefault("driver", "job")
        return index + 1
    if name in _GLOBAL_VALUES:
        index, value = _value(rest, index, equals, value)
        if name == "--output" and value not in _OUTPUTS:
            raise Unparsed
        parsed[_GLOBAL_VALUES[name]] = value
        return index + 1
    flag = recorder.options.get(name)
    if flag is None or not flag.modelled:
        raise Unparsed
    seen.add(flag.dest)
    if flag.action == "store_true":
        if equals:
            raise Unparsed
        parsed[flag.dest] = True
        return index + 1
    index, value = _value(rest, index, equals, value)
    converted = flag.convert(value)
    parsed[flag.dest] = [*parsed[flag.dest], converted] if flag.action == "append" else converted
    return index + 1


def _value(rest: Sequence[str], index: int, equals: str, value: str) -> tuple[int, str]:
    """An option's value (``--flag=value`` or the next token) and the index it is at."""
    if not equals:
        index += 1
        if index >= len(rest):
            raise Unparsed
        value = rest[index]
    if value.startswith("-"):
        raise Unparsed  # argparse may read it as an option, or as a negative number
    return index, value
