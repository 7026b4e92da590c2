"""The ``dos`` command line: global flags, lazy verb dispatch, one error boundary."""

from __future__ import annotations

import sys

from dos.commands import FAMILIES, VERBS
from dos.errors import (
    EXIT_CLOSED_PIPE,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_TERMINATED,
    EXIT_USAGE,
    DosError,
    UsageError,
)

TYPE_CHECKING = False  # typing itself costs milliseconds at start-up
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from typing import Any, NoReturn

# Heavy modules (argparse, difflib, tempfile) are imported where used: start-up
# time is paid on every hook call and every CI step.

__all__ = ["main"]

_VALUE_FLAGS = ("--workspace", "--driver", "--output")
_OUTPUTS = ("text", "json", "plain")


def _split_globals(argv: Sequence[str]) -> tuple[dict[str, Any], str | None, list[str]]:
    """Global flags before the verb, the verb, and everything after it."""
    options: dict[str, Any] = {}
    index = 0
    while index < len(argv):
        arg = argv[index]
        name, eq, value = arg.partition("=")
        if name in _VALUE_FLAGS:
            if not eq:
                index += 1
                if index >= len(argv):
                    raise UsageError(f"{name} needs a value", hint="see `dos --help`")
                value = argv[index]
            if name == "--output" and value not in _OUTPUTS:
                raise UsageError(f"unknown output {value!r}",
                                 hint="--output is one of " + ", ".join(_OUTPUTS))
            options[name[2:]] = value
        elif arg == "--json":
            options["output"] = "json"
        elif arg == "--job":  # the reference's alias for --driver job; --driver wins
            options["job"] = True
        elif arg in ("-h", "--help", "--version", "-V"):
            options[arg.lstrip("-")] = True
        elif arg.startswith("-"):
            raise UsageError(f"unknown global option {arg}",
                             hint="global options are --workspace, --driver (--job), --json, "
                                  "--output")
        else:
            return options, arg, list(argv[index + 1:])
        index += 1
    return options, None, []


def _driver_alias(options: dict[str, Any]) -> None:
    """``--job`` means ``--driver job`` unless a driver is named."""
    if options.pop("job", False) and not options.get("driver"):
        options["driver"] = "job"


def _top_help() -> str:
    lines = ["usage: dos [--workspace DIR] [--driver NAME] [--json | --output FMT] VERB ...",
             "", "The referee for fleets of AI coding agents. The exit code is the verdict.", ""]
    for family, title in FAMILIES.items():
        verbs = sorted(name for name, verb in VERBS.items() if verb.family == family)
        if not verbs:
            continue
        lines.append(f"{title}:")
        lines += [f"  {name:<14} {VERBS[name].summary}" for name in verbs]
        lines.append("")
    lines += ["global options:",
              "  --workspace DIR   the workspace (default: DISPATCH_WORKSPACE, the nearest",
              "                    dos.toml above the current directory, the git top level)",
              "  --driver NAME     a policy driver (built-in: workshop, job; or an entry",
              "                    point in the 'dos.drivers' group); --job is --driver job",
              "  --json            machine-readable output (same as --output json)",
              "  --version         print the version",
              "", "`dos VERB --help` explains a verb; `dos exit-codes` lists every verdict's code."]
    return "\n".join(lines)


def _usage_hint(parser: argparse.ArgumentParser, message: str) -> str:
    """A did-you-mean for a mistyped sub-command or flag, else where the usage is."""
    import difflib
    import re

    choice = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
    if choice:
        options = re.findall(r"'([^']*)'", choice.group(2))
        close = difflib.get_close_matches(choice.group(1), options, n=1)
        return f"did you mean `{close[0]}`?" if close else "one of: " + ", ".join(options)
    flags = re.findall(r"(--?[\w-]+)", message.partition("unrecognized arguments:")[2])
    known = [flag for action in parser._actions for flag in action.option_strings]
    for flag in flags:
        close = difflib.get_close_matches(flag.partition("=")[0], known, n=1)
        if close:
            return f"did you mean `{close[0]}`? (see `{parser.prog} --help`)"
    return f"see `{parser.prog} --help`"


def _out_of_range(message: str) -> UsageError | None:
    """``--flag must be <range>, got '…'`` for a value a ``commands._args`` type refused."""
    import re

    bounded = re.fullmatch(r"argument ([^:]+): (must be (.+), got '.*)", message, re.DOTALL)
    if bounded is None:
        return None
    flag = bounded.group(1).split("/")[-1]
    return UsageError(f"{flag} {bounded.group(2)}", hint=f"give {flag} {bounded.group(3)}")


def _columns() -> int:
    """``shutil.get_terminal_size().columns`` without importing shutil (and through it
    bz2, lzma and zlib), which argparse does for every argument it adds."""
    import os

    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80


def _untranslated(argparse: Any) -> None:
    """argparse's own words in English, as ours are: its gettext calls search the disk
    for message catalogues (importing locale) on every parser built."""
    argparse._ = str
    argparse.ngettext = lambda singular, plural, count: singular if count == 1 else plural


def _verb_parser(name: str) -> argparse.ArgumentParser:
    import argparse

    _untranslated(argparse)

    class _Formatter(argparse.RawDescriptionHelpFormatter):
        def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                     width: int | None = None) -> None:
            super().__init__(prog, indent_increment, max_help_position,
                             _columns() - 2 if width is None else width)

    class _JobAlias(argparse.Action):
        def __call__(self, _parser: argparse.ArgumentParser,
                     namespace: argparse.Namespace, _values: Any,
                     _option_string: str | None = None) -> None:
            if getattr(namespace, "driver", None) is None:
                namespace.driver = "job"

    class VerbParser(argparse.ArgumentParser):
        """Adds the global flags to the verb and to every subcommand parser, so
        ``dos lease-lane live --json`` works as well as ``dos --json lease-lane live``."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("formatter_class", _Formatter)
            kwargs["allow_abbrev"] = False  # `--min` must not quietly mean `--min-grade`
            super().__init__(*args, **kwargs)
            group = self.add_argument_group("global options")
            hidden = argparse.SUPPRESS
            group.add_argument("--workspace", default=hidden, help="the workspace directory")
            group.add_argument("--driver", default=hidden, help="a policy driver, e.g. workshop")
            group.add_argument("--job", dest="driver", action=_JobAlias, nargs=0,
                               default=hidden, help="the job driver (--driver job); an "
                                                    "explicit --driver wins")
            group.add_argument("--output", choices=_OUTPUTS, default=hidden,
                               help="output format (default: text)")
            group.add_argument("--json", dest="output", action="store_const", const="json",
                               default=hidden, help="same as --output json")

        def _print_message(self, message: str, file: Any = None) -> None:
            # argparse swallows OSError here; a closed pipe must reach the boundary (141)
            if message:
                (file or sys.stderr).write(message)

        def error(self, message: str) -> NoReturn:
            bounded = _out_of_range(message)
            if bounded is not None:
                raise bounded
            raise UsageError(f"{self.prog}: {message}", hint=_usage_hint(self, message))

        def format_help(self) -> str:
            # The first line says when to use the verb; usage follows.
            lead = VERBS[name].summary if self.prog == f"dos {name}" else ""
            body = super().format_help()
            return f"{lead}\n\n{body}" if lead else body

    return VerbParser(prog=f"dos {name}")


def _check_text(argv: Sequence[str]) -> None:
    """Arguments are UTF-8 text without NUL: a NUL cannot reach git or a path, and a byte
    that is not UTF-8 (surrogate-escaped by Python) cannot be stored or printed."""
    for arg in argv:
        if "\x00" in arg:
            shown = arg.replace("\x00", "\\0")[:80]
            raise UsageError(f"argument {shown!r} contains a NUL byte",
                             hint="remove the NUL byte from the argument")
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            shown = arg.encode("utf-8", "backslashreplace").decode("ascii", "replace")[:80]
            raise UsageError(f"argument {shown!r} is not valid UTF-8",
                             hint="pass names, refs and paths as UTF-8 text") from None


def _add_arguments(module: Any, parser: argparse.ArgumentParser, rest: list[str]) -> None:
    """The verb's arguments; a verb with sub-commands builds only the one named first."""
    names = getattr(module, "SUBCOMMANDS", ())
    if rest and rest[0] in names:
        module.add_arguments(parser, only=rest[0])
    else:
        module.add_arguments(parser)


def _dispatch(argv: Sequence[str]) -> int:
    _check_text(argv)
    options, name, rest = _split_globals(argv)
    _driver_alias(options)
    if options.get("version") or options.get("V"):
        from dos._version import __version__

        print(f"dos {__version__}")
        return 0
    if name is None:
        print(_top_help())
        return 0 if options.get("help") or options.get("h") else EXIT_USAGE
    if name not in VERBS:
        import difflib

        close = difflib.get_close_matches(name, list(VERBS), n=1)
        raise UsageError(f"unknown verb '{name}'",
                         hint=f"did you mean `dos {close[0]}`?" if close else "see `dos --help`")
    __import__(VERBS[name].module)  # not importlib.import_module: importlib costs start-up time
    module = sys.modules[VERBS[name].module]
    fast = getattr(module, "fast_main", None)
    if fast is not None:  # hooks run once per tool call: skip argparse when the verb can
        answer = fast(rest, options)
        if answer is not None:
            return int(answer)
    parsed = None
    if getattr(module, "QUICK_ARGS", False):  # its plain lines skip argparse
        from dos.commands._quick_args import quick_parse

        parsed = quick_parse(module, rest)
    if parsed is None:  # not a plain line: argparse parses (and words every error)
        parser = _verb_parser(name)
        _add_arguments(module, parser, rest)
        try:
            parsed = vars(parser.parse_args(rest))
        except SystemExit as stop:
            return 0 if stop.code == 0 else EXIT_USAGE
    for key in ("workspace", "driver", "output"):
        parsed.setdefault(key, options.get(key))
    parsed["output"] = parsed["output"] or "text"
    from dos.record.projects.hook import registering
    from dos.record.verdict_journal import cli_answers

    _collect_again()
    # every verdict it prints is journaled; a workspace it wrote to is registered
    with cli_answers(parsed["workspace"], parsed["driver"]), registering():
        result: int = module.run(**parsed)
    return result


def _crash_log(exc: BaseException) -> str:
    import tempfile
    import time
    import traceback

    stamp = time.strftime("%Y%m%dT%H%M%S")
    with tempfile.NamedTemporaryFile(
        "w", prefix=f"dos-crash-{stamp}-", suffix=".log", delete=False
    ) as handle:
        handle.write(f"argv: {sys.argv!r}\n")
        handle.write("".join(traceback.format_exception(exc)))
        return handle.name


def _drop_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (a test's StringIO)
        return
    os.close(devnull)


class _Terminated(BaseException):
    """SIGTERM, raised where the process is so `finally` blocks and transactions unwind."""


def _on_sigterm(_signum: int, _frame: object) -> None:
    raise _Terminated


def _signals() -> Any:
    # The C module: `signal` builds its enums on import, half a millisecond per hook call.
    import _signal  # type: ignore[import-not-found]  # typeshed stubs only `signal`

    return _signal


def _trap_sigterm() -> Any:
    """Route SIGTERM through the boundary (exit 143); None where it cannot (a thread)."""
    signals = _signals()
    try:
        return signals.signal(signals.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread: the embedding program owns signals
        return None


_GC_PAUSED = [False]


def _pause_collection() -> None:
    """The cyclic collector finds nothing in freshly imported modules, yet scans them
    again and again while they load: a short-lived process pauses it until the verb runs."""
    import gc

    if gc.isenabled():
        gc.disable()
        _GC_PAUSED[0] = True


def _collect_again() -> None:
    """Resume the collector, the objects made so far set aside (never scanned again)."""
    if _GC_PAUSED[0]:
        import gc

        _GC_PAUSED[0] = False
        gc.freeze()
        gc.enable()


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``dos`` with ``argv``; returns the exit code (the verdict)."""
    if argv is None:  # the process is dos's own (a caller passing argv keeps its collector
        _pause_collection()  # and its standard library as it imported it)
        from dos.deferred_imports import defer
        from dos.pattern_cache import use_file
        from dos.quiet_stderr import guard
        from dos.store.kept_connections import keep

        guard()  # a closed standard error loses messages, never the exit code
        defer()
        keep()  # one SQLite connection per store for the verb and its journal
        use_file()  # patterns compiled before are rebuilt without importing re
    args = list(sys.argv[1:] if argv is None else argv)
    previous = _trap_sigterm()
    try:
        return _guarded(args)
    except _Terminated:  # arrived outside _guarded's own handlers
        return EXIT_TERMINATED
    finally:
        if argv is None:  # the verb and its journal are done: nothing is kept past them
            _release_kept()
        _collect_again()
        if previous is not None:
            signals = _signals()
            signals.signal(signals.SIGTERM, previous)


def _release_kept() -> None:
    kept = sys.modules.get("dos.store.kept_connections")
    if kept is not None:
        try:
            kept.release()
        except Exception as error:  # noqa: BLE001 - the verdict stands; say what failed
            print(f"dos: warning: closing the store failed ({error})", file=sys.stderr)


def _guarded(args: list[str]) -> int:
    try:
        code = _dispatch(args)
        sys.stdout.flush()  # a closed pipe shows here, inside the boundary, not at exit
        return code
    except DosError as error:
        print(f"dos: error: {error.render()}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("dos: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except _Terminated:
        print("dos: terminated", file=sys.stderr)
        return EXIT_TERMINATED
    except BrokenPipeError:
        _drop_stdout()
        return EXIT_CLOSED_PIPE
    except Exception as exc:  # noqa: BLE001 - the boundary: a crash must not read as a verdict
        return _unexpected(exc, args)


def _unexpected(exc: Exception, args: list[str]) -> int:
    """Exit 2 for a path argument no file system can hold; else an internal error."""
    if isinstance(exc, OSError):
        from dos.commands._args import too_long_path

        usage = too_long_path(exc, args)
        if usage is not None:
            print(f"dos: error: {usage.render()}", file=sys.stderr)
            return usage.exit_code
    path = _crash_log(exc)
    print(f"dos: internal error: {type(exc).__name__}: {exc}\n"
          f"  a crash log is at {path}; please attach it to a bug report", file=sys.stderr)
    return EXIT_INTERNAL

