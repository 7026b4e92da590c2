"""dos arg-provenance: were a write-like tool call's id arguments ever shown to the agent?"""

from __future__ import annotations

import argparse

_EPILOG = """\
examples:
  dos arg-provenance --tool close_incident --args '{"incident_id": "1234"}' \\
      --prior '{"incidents": [{"id": "12345"}]}'          # UNSUPPORTED: 1234 is not 12345
  dos arg-provenance --tool write_file --args '{"ticket": "INC-7"}' --task-text "fix INC-7"

Ids are traced by whole-token match only. A tool is write-like when dos.toml
[arg_provenance] write_tools names it (globs allowed), else when a word of its name is a
write stem (write_file, drop_table, delete_*; not address_lookup); --read / --write
decide instead. [arg_provenance] new_keys (and --new-key) are arguments that may be new.
The corpus is what you pass, so the verdict says CALLER_CLAIMED.
Exit: 0 BELIEVE, 3 UNSUPPORTED, 2 usage error."""

_MAX_FILE = 32 * 1024 * 1024


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Flag id-like arguments of a write-like tool call that were never shown."
    parser.epilog = _EPILOG
    flag = parser.add_argument
    flag("--tool", required=True, metavar="NAME", help="the tool being called")
    flag("--args", dest="args_json", required=True, metavar="JSON",
         help="the call's arguments, a JSON object")
    flag("--prior", action="append", default=[], metavar="BLOB",
         help="earlier tool output the agent saw (repeatable)")
    flag("--prior-file", default=None, metavar="PATH",
         help="a file of earlier tool output, one entry per line")
    flag("--task-text", default="", metavar="TEXT", help="the task the agent was given")
    flag("--new-key", dest="new_keys", action="append", default=[], metavar="ARG",
         help="an argument that may legitimately be new (repeatable)")
    flag("--read", action="store_true", help="treat the tool as a read (not checked)")
    flag("--write", action="store_true", help="treat the tool as write-like")


def _lines(path: str) -> list[str]:
    from pathlib import Path

    from dos.errors import UsageError
    from dos.truth.transcript_file import UnreadableTranscriptError, read_transcript_bytes

    try:
        data = read_transcript_bytes(Path(path), limit=_MAX_FILE)
    except (OSError, UnreadableTranscriptError) as error:
        raise UsageError(f"--prior-file {path}: {getattr(error, 'strerror', None) or error}",
                         hint="pass a readable regular file of at most 32 MiB") from None
    return [line for line in data.decode("utf-8", "replace").splitlines() if line.strip()]


def run(*, tool: str, args_json: str, prior: list[str], prior_file: str | None,
        task_text: str, new_keys: list[str], read: bool, write: bool,
        workspace: str | None, driver: str | None, output: str) -> int:
    from dos.api import gates_classify
    from dos.render import emit
    from dos.workspace import load_config

    args = gates_classify.parse_args_json(args_json)
    lines = _lines(prior_file) if prior_file else []
    config = load_config(workspace, driver)
    verdict = gates_classify.arg_provenance(
        config, tool=tool, args=args, priors=prior, prior_lines=lines, task_text=task_text,
        new_keys=new_keys, read=read, write=write)

    def text(_color: bool) -> str:
        head = f"{verdict.verdict.value}  {tool}  (mutating={verdict.mutating})"
        rows = [f"    {row.stance:<11} {row.arg_name}={row.value_repr}  {row.reason}"
                for row in verdict.rows]
        return "\n".join([head, f"  {verdict.reason}", *rows])
    emit(gates_classify.arg_provenance_json(verdict), output=output, text=text)
    return verdict.verdict.exit_code
