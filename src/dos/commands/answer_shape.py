"""dos answer-shape: is an output shaped like an answer, or empty, a stub, leaked text?"""

from __future__ import annotations

import argparse

from dos.commands._args import count

_EPILOG = """\
examples:
  dos answer-shape --text "The fix is to pin the version in setup.cfg."   # ANSWER_SHAPED
  dos answer-shape --text "<thinking>"                                   # NON_ANSWER
  agent-run | dos answer-shape --file - --markers '^## Answer'           # required marker

Give one pattern per --non-answer / --markers flag (a pattern may contain commas);
patterns are Python regexes, case-insensitive, ^ and $ per line, each searched under
--budget-ms in a separate process: one that runs out makes the verdict INDETERMINATE,
never a hang. Shape only, never correctness.
Exit: 0 ANSWER_SHAPED, 3 NON_ANSWER, 4 INDETERMINATE, 2 usage error."""

_MAX_TEXT = 16 * 1024 * 1024


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Reject outputs that are empty, stubs or leaked process text."
    parser.epilog = _EPILOG
    parser.add_argument("--text", default=None, metavar="TEXT", help="the output ('-' = stdin)")
    parser.add_argument("--file", default=None, metavar="PATH", help="read it from a file "
                        "('-' = stdin); wins over --text")
    parser.add_argument("--min-chars", type=count(0, 1_000_000), default=1, metavar="N",
                        help="least non-space characters of an answer (default 1)")
    parser.add_argument("--non-answer", action="append", default=[], metavar="RE",
                        help="a pattern that disqualifies (repeatable)")
    parser.add_argument("--markers", action="append", default=[], metavar="RE",
                        help="a pattern an answer must match (repeatable; any one)")
    parser.add_argument("--budget-ms", type=count(10, 60_000), default=100, metavar="MS",
                        help="time budget of each pattern (default 100)")


def _read(text: str | None, file: str | None) -> str:
    import sys
    from pathlib import Path

    from dos.errors import UsageError
    from dos.truth.transcript_file import UnreadableTranscriptError, read_transcript_bytes

    source = file if file is not None else text
    if source is None:
        raise UsageError("no output to judge", hint="pass the candidate output via --text "
                         "TEXT, --file PATH, or --file - to read stdin")
    if source == "-":
        data = getattr(sys.stdin, "buffer", sys.stdin).read(_MAX_TEXT + 1)
    elif file is None:
        return source
    else:
        try:
            data = read_transcript_bytes(Path(source), limit=_MAX_TEXT)
        except (OSError, UnreadableTranscriptError) as error:
            raise UsageError(f"--file {source}: {getattr(error, 'strerror', None) or error}",
                             hint="pass a readable regular file of at most 16 MiB") from None
    if len(data) > _MAX_TEXT:
        raise UsageError("the output on stdin is over 16 MiB", hint="pass a shorter output")
    return data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)


def run(*, text: str | None, file: str | None, min_chars: int, non_answer: list[str],
        markers: list[str], budget_ms: int, workspace: str | None, driver: str | None,
        output: str) -> int:
    from dos.api import gates_classify
    from dos.commands._temporal import emit_verdict
    from dos.workspace import load_config

    body = _read(text, file)
    config = load_config(workspace, driver)
    verdict = gates_classify.answer_shape(config, text=body, min_chars=min_chars,
                                          non_answer=non_answer, markers=markers,
                                          budget_ms=budget_ms)
    emit_verdict(verdict.state.value, verdict.reason, gates_classify.answer_shape_json(verdict),
                 output)
    return verdict.state.exit_code
