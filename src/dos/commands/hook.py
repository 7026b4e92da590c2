"""dos hook {pretool,posttool,stop}: answer an agent host's hook on stdin, in its own grammar."""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Mapping, Sequence

    from dos.hooks.events import Reply

__all__ = ["add_arguments", "fast_main", "run"]

_KINDS = ("pretool", "posttool", "stop")
_DIALECTS = ("claude-code", "codex", "cursor", "gemini")  # dos.hooks.dialects.NAMES
_EPILOG = """\
examples (each host pipes its event JSON to stdin; `dos init --hooks HOST` wires these):
  dos hook pretool --dialect claude-code    deny a write into a tree another session leases
  dos hook posttool --dialect codex         renew this session's lease; warn on a stalled stream
  dos hook stop --dialect gemini            refuse a stop while a claimed phase is unshipped

checks: pretool denies a write into another session's lease, outside the workspace or
into dos's own state (.dos/, the store, dos.toml), and, with a [precursor] table, a
tool [precursor.requires] gates until each lookup it needs (or an alias) was called
earlier in the same session, the first call included (MISSING_PRECURSOR, naming the
lookup). posttool renews the lease, warns on a stalled tool stream (REPEATING, STALLED
under [tool_stream]) and records the calls the precursor check reads. stop refuses
while a claimed phase did not ship.

The reply is the host's own JSON on stdout (or nothing), and the exit code the host
reads: 2 with the reason on stderr blocks a tool on Codex and Gemini; Cursor always
exits 0. A hook that fails itself follows [hooks] on_error (default "allow") and says
so in one line on stderr. --output plain writes that line in ASCII; --json does not
apply (the reply is the host's own JSON)."""
_VALUE_FLAGS = {"--dialect": "dialect", "--workspace": "workspace", "--driver": "driver",
                "--on-error": "on_error", "--session-id": "session_id",
                "--transcript": "transcript", "--plan": "plan", "--phase": "phase"}


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dialect", choices=_DIALECTS, default="claude-code",
                        help="the host whose payload and reply grammar to speak "
                        "(default: claude-code)")
    parser.add_argument("--on-error", choices=("allow", "deny"), default=None,
                        help="what to answer when the hook itself fails (default: "
                        "[hooks] on_error in dos.toml, else allow)")
    parser.add_argument("--session-id", default="",
                        help="act as this session (default: the payload's session id)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    import argparse

    parser.epilog = _EPILOG
    kinds = parser.add_subparsers(dest="action", required=True, metavar="{pretool,posttool,stop}")
    raw = argparse.RawDescriptionHelpFormatter
    _common(kinds.add_parser("pretool", formatter_class=raw, help="before a tool runs: "
                             "deny writes into another session's lease or outside the "
                             "workspace, and a [precursor]-gated tool before its lookup"))
    _common(kinds.add_parser("posttool", formatter_class=raw, help="after a tool ran: "
                             "heartbeat the session's lease, warn on a stalled stream, "
                             "record the calls [precursor] checks"))
    stop = kinds.add_parser("stop", formatter_class=raw, help="when the agent stops: refuse "
                            "while a claimed phase did not ship")
    _common(stop)
    stop.add_argument("--transcript", default="", metavar="PATH",
                      help="read claims from this JSONL transcript (default: the payload's)")
    stop.add_argument("--plan", default="", help="also check this plan's --phase")
    stop.add_argument("--phase", default="", help="the phase of --plan to check")


MAX_PAYLOAD_BYTES = 32 * 1024 * 1024  # a Write of a large file; /dev/zero must not fill memory


def run(*, action: str, dialect: str = "claude-code", on_error: str | None = None,
        session_id: str = "", transcript: str = "", plan: str = "", phase: str = "",
        workspace: str | None = None, driver: str | None = None, output: str = "text") -> int:
    if output == "json":
        from dos.errors import UsageError

        raise UsageError("dos hook answers in the host's own grammar; --json does not apply",
                         hint="drop --json and name the host with --dialect")
    from dos.hooks.main import StopOptions, hook_reply

    # a terminal is a person trying the verb, not a host: there is no event to wait for.
    # Past the bound the document is cut, so it parses as torn: the on_error outcome.
    data = b"" if sys.stdin.isatty() else sys.stdin.buffer.read(MAX_PAYLOAD_BYTES + 1)
    reply = hook_reply(action, dialect, data, workspace=workspace,
                       driver=driver, on_error=on_error, session_id=session_id,
                       stop=StopOptions(transcript, plan, phase))
    return _write(reply, plain=output == "plain")


def _write(reply: Reply, *, plain: bool) -> int:
    """The host's reply on stdout as it is; the message on stderr, ASCII when ``plain``."""
    if reply.stdout:
        sys.stdout.write(reply.stdout)
        sys.stdout.flush()
    if reply.stderr:
        if plain:
            from dos.render import plain_text

            sys.stderr.write(plain_text(reply.stderr))
        else:
            sys.stderr.write(reply.stderr)
        sys.stderr.flush()
    return reply.exit_code


def fast_main(argv: Sequence[str], options: Mapping[str, object] | None = None) -> int | None:
    """``dos hook …`` without building the argparse parser; None when ``argv`` needs the
    full parser (help, an unknown flag, a bad value), which then reports it."""
    if not argv or argv[0] not in _KINDS or any(
            (options or {}).get(flag) for flag in ("help", "h", "version", "V")):
        return None
    values = {key: str(value) for key, value in (options or {}).items()
              if key in ("workspace", "driver", "output") and value}
    index = 1
    while index < len(argv):
        name, eq, value = argv[index].partition("=")
        if name not in _VALUE_FLAGS or (name in ("--transcript", "--plan", "--phase")
                                        and argv[0] != "stop"):
            return None
        if not eq:
            index += 1
            if index >= len(argv):
                return None
            value = argv[index]
        values[_VALUE_FLAGS[name]] = value
        index += 1
    if values.get("dialect", "claude-code") not in _DIALECTS or values.get(
            "on_error", "allow") not in ("allow", "deny"):
        return None
    return run(action=argv[0], **values)
