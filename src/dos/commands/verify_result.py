"""dos verify-result --transcript T: did a sub-agent end healthy, dead, or unreadable?"""

from __future__ import annotations

import argparse
import sys

from dos.api import truth as api
from dos.config import user_path
from dos.errors import UsageError
from dos.render import emit
from dos.truth.verify_result import ResultVerdict

_EPILOG = """\
Reads a JSONL transcript (or a hook event with "transcript_path" on stdin) and
rules on its last assistant record.

examples:
  dos verify-result --transcript run/agent-3.jsonl
  echo '{"transcript_path": "t.jsonl"}' | dos verify-result

exit codes: 0 healthy, 3 dead (harness-authored error or no answer),
4 unreadable (missing, empty or garbage: not a witnessed death), 2 usage error
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--transcript", metavar="PATH",
                        help="the transcript (JSONL); relative paths resolve against "
                             "--workspace when given, else the current directory")
    parser.epilog = _EPILOG


_MAX_EVENT_BYTES = 1 << 20  # a hook event naming a transcript is a few hundred bytes


def _from_stdin() -> str:
    if sys.stdin is None or sys.stdin.isatty():
        return ""
    from dos._fastjson import loads  # bounded nesting: a deep document is not a crash

    data = getattr(sys.stdin, "buffer", sys.stdin).read(_MAX_EVENT_BYTES + 1)
    try:
        event = loads(data or b"null") if len(data) <= _MAX_EVENT_BYTES else None
    except ValueError:
        return ""
    path = event.get("transcript_path") if isinstance(event, dict) else None
    return path if isinstance(path, str) and path.strip() else ""


def _text(verdict: ResultVerdict) -> str:
    head = "DEAD" if verdict.dead else verdict.state
    status = f" apiErrorStatus={verdict.api_status}" if verdict.api_status is not None else ""
    kind = f" class={verdict.error_class}" if verdict.state == "SYNTHETIC" else ""
    return f"{head} {verdict.state}{status}{kind} — {verdict.reason}"


def run(*, transcript: str | None, workspace: str | None, driver: str | None,
        output: str) -> int:
    del driver  # a transcript is judged alone: no workspace policy applies to it
    chosen = transcript or _from_stdin()
    if not chosen:
        raise UsageError("no transcript", hint="pass --transcript PATH, or a hook event with "
                                               "transcript_path on stdin")
    path = user_path(chosen)
    if not path.is_absolute() and workspace:
        path = user_path(workspace) / path
    verdict = api.verify_result(path)
    emit(api.verify_result_json(verdict), output=output, text=lambda _color: _text(verdict))
    return verdict.token.exit_code
