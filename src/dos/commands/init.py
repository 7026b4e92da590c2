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

exit codes: 0 written, 2 usage error (e.g. dos.toml exists without --force, or DIR does
not exist: init never creates the repository it is told to set up)
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from dos.hooks.install_hosts import HOSTS

    parser.add_argument("directory", metavar="DIR", nargs="?", default=".",
                        help="the repository to initialise, relative to --workspace when "
                             "given (default: the current directory)")
    parser.add_argument("--force", action="store_true",
                        help="overwrite an existing dos.toml (a backup is kept beside it)")
    parser.add_argument("--example", metavar="DRIVER",
                        help="scaffold from a driver's lanes instead, e.g. --example workshop")
    parser.add_argument("--hooks", metavar="HOST", choices=HOSTS, default=None,
                        help=f"wire dos's hooks into this agent host's config ({', '.join(HOSTS)})")
    parser.add_argument("--uninstall", action="store_true",
                        help="with --hooks: remove dos's hooks from the host's config")
    parser.add_argument("--fail-closed", action="store_true",
                        help="with --hooks: a pretool hook that fails blocks the call (sets "
                        "the host's own option too: Claude Code onFailure, Cursor failClosed)")
    parser.add_argument("--dry-run", action="store_true",
                        help="with --hooks: print the proposed file and write nothing")
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


def run(*, directory: str, force: bool, example: str | None, hooks: str | None,
        uninstall: bool, fail_closed: bool, dry_run: bool, workspace: str | None,
        driver: str | None, output: str) -> int:
    _check_flags(hooks=hooks, uninstall=uninstall, fail_closed=fail_closed, dry_run=dry_run,
                 force=force, example=example)
    if driver:  # init writes policy; it never reads the workspace's, so a driver cannot apply
        raise UsageError("--driver does not apply to init",
                         hint="use --example DRIVER to scaffold from a driver's lanes")
    base = user_path(workspace) if workspace else Path.cwd()
    root = (base / directory).resolve()
    if hooks is not None:
        done = api.init_hooks(root, hooks, uninstall=uninstall, fail_closed=fail_closed,
                              dry_run=dry_run)
        emit(api.init_hooks_json(done), output=output, text=lambda _c: _hooks_text(done))
        return 0
    result = api.init_config(root, force=force, example=example)
    emit(api.init_json(result), output=output, text=lambda _c: _config_text(result, root))
    return 0
