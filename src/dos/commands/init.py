"""dos init [DIR]: write a dos.toml with one concurrent lane per top-level source dir."""

from __future__ import annotations

import argparse
from pathlib import Path

from dos.api import workspace as api
from dos.config import user_path
from dos.errors import UsageError
from dos.render import emit

_EPILOG = """\
Lanes: one concurrent lane per top-level directory (hidden and build directories
skipped), plus an exclusive 'global' lane. Then run `dos doctor` and `dos lint`.

Hooks: `dos init --hooks claude-code` wires `dos hook pretool|posttool|stop` into
.claude/settings.json (codex: .codex/config.toml, cursor: .cursor/hooks.json, gemini:
.gemini/settings.json) and writes a dos.toml when there is none. Running it twice
changes nothing; --uninstall gives the file back as it was.

Skills: `dos init --skills` writes the skills pack (one SKILL.md per workflow: verify a
claim, take a lane, check liveness, the decisions queue, resume a run, next-up,
dispatch, …) into the host's skill folder (claude-code: .claude/skills, codex:
.agents/skills, cursor: .cursor/skills, gemini: .gemini/skills); --skill NAME picks
some, --host HOST (repeatable, default claude-code) the hosts. A skill you edited, or one
dos did not write, is left alone unless --force, which replaces it (never dos.toml).
Running it twice changes nothing; --uninstall removes the copies dos wrote.

exit codes: 0 written (skills left alone are listed, not an error), 2 usage error (e.g.
dos.toml exists without --force, DIR does not exist: init never creates the repository
it is told to set up, an unknown skill, a folder linked outside the workspace)
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from dos.hooks.install_hosts import HOSTS

    parser.add_argument("directory", metavar="DIR", nargs="?", default=".",
                        help="the repository to initialise, relative to --workspace when "
                             "given (default: the current directory)")
    parser.add_argument("--force", action="store_true",
                        help="overwrite an existing dos.toml (a backup is kept beside it); with "
                        "--skills: replace skills you edited or dos did not write")
    parser.add_argument("--example", metavar="DRIVER",
                        help="scaffold from a driver's lanes instead, e.g. --example workshop")
    parser.add_argument("--hooks", metavar="HOST", choices=HOSTS, default=None,
                        help=f"wire dos's hooks into this agent host's config ({', '.join(HOSTS)})")
    parser.add_argument("--skills", action="store_true",
                        help="write every skill of the skills pack for the agent host(s)")
    parser.add_argument("--skill", metavar="NAME", action="append", default=None,
                        help="write this skill (repeatable); implies --skills")
    parser.add_argument("--host", metavar="HOST", action="append", choices=HOSTS,
                        default=None, help="with --skills: the agent host whose skill folder "
                        f"to write (repeatable; {', '.join(HOSTS)}; default claude-code)")
    parser.add_argument("--uninstall", action="store_true",
                        help="with --hooks: remove dos's hooks from the host's config; with "
                        "--skills: remove the skills dos wrote")
    parser.add_argument("--fail-closed", action="store_true",
                        help="with --hooks: a pretool hook that fails blocks the call (sets "
                        "the host's own option too: Claude Code onFailure, Cursor failClosed)")
    parser.add_argument("--dry-run", action="store_true",
                        help="with --hooks: print the proposed file and write nothing; with "
                        "--skills: list what would be written")
    parser.epilog = _EPILOG


def _config_text(result: api.InitResult, root: Path) -> str:
    lines = [f"wrote {result.path}"]
    if result.backup:
        lines.append(f"kept the previous file as {result.backup}")
    return "\n".join([*lines, result.summary,
                      f"DOS workspace initialised. Try:  dos doctor --workspace {root}"])


def _hooks_text(result: api.HooksResult) -> str:
    from dos.hooks.install_cli import plan_lines

    written = [f"wrote {result.config_written}"] if result.config_written else []
    return "\n".join([*written, *plan_lines(result.plan, dry_run=result.dry_run)])


def _check_flags(*, hooks: str | None, uninstall: bool, fail_closed: bool, dry_run: bool,
                 force: bool, example: str | None) -> None:
    if hooks is None and (uninstall or fail_closed or dry_run):
        raise UsageError("--uninstall, --fail-closed and --dry-run go with --hooks HOST",
                         hint="e.g. `dos init --hooks claude-code --dry-run`")
    if hooks is not None and (force or example):
        raise UsageError("--force and --example write dos.toml; --hooks leaves an existing "
                         "one alone", hint="run `dos init --force` or `--example` first, then "
                         "`dos init --hooks HOST`")


def _root(workspace: str | None, directory: str) -> Path:
    base = user_path(workspace) if workspace else Path.cwd()
    return (base / directory).resolve()


def run(*, directory: str, force: bool, example: str | None, skills: bool,
        skill: list[str] | None, host: list[str] | None, hooks: str | None,
        uninstall: bool, fail_closed: bool, dry_run: bool, workspace: str | None,
        driver: str | None, output: str) -> int:
    if driver:  # init writes policy; it never reads the workspace's, so a driver cannot apply
        raise UsageError("--driver does not apply to init",
                         hint="use --example DRIVER to scaffold from a driver's lanes")
    if skills or skill:
        from dos.commands._init_skills import run_skills

        return run_skills(_root(workspace, directory), skill=skill, host=host, hooks=hooks,
                          example=example, fail_closed=fail_closed, force=force,
                          uninstall=uninstall, dry_run=dry_run, output=output)
    if host:
        raise UsageError("--host goes with --skills", hint="e.g. `dos init --skills --host "
                         "codex`; hooks take their host as `--hooks HOST`")
    _check_flags(hooks=hooks, uninstall=uninstall, fail_closed=fail_closed, dry_run=dry_run,
                 force=force, example=example)
    root = _root(workspace, directory)
    if hooks is not None:
        done = api.init_hooks(root, hooks, uninstall=uninstall, fail_closed=fail_closed,
                              dry_run=dry_run)
        emit(api.init_hooks_json(done), output=output, text=lambda _c: _hooks_text(done))
        return 0
    result = api.init_config(root, force=force, example=example)
    emit(api.init_json(result), output=output, text=lambda _c: _config_text(result, root))
    return 0
