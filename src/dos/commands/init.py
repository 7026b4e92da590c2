"""dos init [DIR]: write a dos.toml with one concurrent lane per top-level source dir."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from dos.config import CONFIG_FILENAME, LaneTaxonomy
from dos.errors import UsageError

_NOISE = frozenset({
    "__pycache__", "node_modules", "dist", "build", "target", "venv", "env",
    "site-packages", "htmlcov",
})


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory", metavar="DIR", nargs="?", default=".",
                        help="the repository to initialise (default: the current directory)")
    parser.add_argument("--force", action="store_true",
                        help="overwrite an existing dos.toml (a backup is kept beside it)")
    parser.add_argument("--example", metavar="DRIVER",
                        help="scaffold from a driver's lanes instead, e.g. --example workshop")
    _hook_arguments(parser)
    parser.epilog = ("Lanes: one concurrent lane per top-level directory (hidden and build "
                     "directories skipped), plus an exclusive 'global' lane.\n"
                     "Then run `dos doctor` and `dos lint`.\n\n"
                     "Hooks: `dos init --hooks claude-code` wires `dos hook pretool|posttool|stop` "
                     "into .claude/settings.json\n(codex: .codex/config.toml, cursor: "
                     ".cursor/hooks.json, gemini: .gemini/settings.json); an existing dos.toml "
                     "is left alone.\nRunning it twice changes nothing; --uninstall gives the "
                     "file back as it was.")


def _hook_arguments(parser: argparse.ArgumentParser) -> None:
    from dos.hooks.install_hosts import HOSTS

    parser.add_argument("--hooks", metavar="HOST", choices=HOSTS, default=None,
                        help=f"wire dos's hooks into this agent host's config ({', '.join(HOSTS)})")
    parser.add_argument("--uninstall", action="store_true",
                        help="with --hooks: remove dos's hooks from the host's config")
    parser.add_argument("--fail-closed", action="store_true",
                        help="with --hooks: a pretool hook that fails blocks the call (sets "
                        "the host's own option too: Claude Code onFailure, Cursor failClosed)")
    parser.add_argument("--dry-run", action="store_true",
                        help="with --hooks: print the proposed file and write nothing")


def _toml_string(text: str) -> str:
    """A TOML basic string; JSON escaping is a valid subset of TOML's."""
    return json.dumps(text, ensure_ascii=False)


def _toml_key(text: str) -> str:
    bare = text and all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in text)
    return text if bare else _toml_string(text)


def _array(items: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join(_toml_string(item) for item in items) + "]"


def _glob_escape(name: str) -> str:
    return "".join(f"[{ch}]" if ch in "*?[]" else ch for ch in name)


def derive_lanes(root: Path) -> LaneTaxonomy:
    """One concurrent lane per visible top-level directory, plus exclusive ``global``."""
    dirs = sorted(
        entry.name for entry in root.iterdir()
        if entry.is_dir() and not entry.name.startswith(".") and entry.name not in _NOISE
    )
    trees = {name: (f"{_glob_escape(name)}/**",) for name in dirs}
    trees["global"] = ("**/*",)
    return LaneTaxonomy(concurrent=tuple(dirs), exclusive=("global",), autopick=tuple(dirs),
                        trees=trees)


def render_toml(lanes: LaneTaxonomy) -> str:
    """The dos.toml text for ``lanes``."""
    lines = [
        "# dos.toml — this repository's policy for dos (https://pypi.org/project/dispatch-os).",
        "# [lanes] replaces the default lanes; [paths] and [stamp] override single keys;",
        "# [reasons.<TOKEN>] tables add refusal reasons. `dos lint` checks this file.",
        "", 'workspace = "."', "",
        "# Concurrent lanes may run side by side when their trees are disjoint;",
        "# exclusive lanes run alone. A bare request auto-picks in autopick order.",
        "[lanes]", f"concurrent = {_array(lanes.concurrent)}",
        f"exclusive = {_array(lanes.exclusive)}", f"autopick = {_array(lanes.autopick)}", "",
    ]
    if lanes.aliases:
        lines.append("[lanes.aliases]")
        lines += [f"{_toml_key(k)} = {_toml_string(v)}" for k, v in lanes.aliases.items()]
        lines.append("")
    lines.append("[lanes.trees]")
    lines += [f"{_toml_key(lane)} = {_array(globs)}" for lane, globs in lanes.trees.items()]
    lines += ["", "# Where plan documents live (for `dos plan`).", "[paths]",
              'plans_glob = "docs/**/*-plan.md"', "",
              "# How a commit subject says a phase shipped; see `dos verify --help`.",
              "[stamp]", 'style = "grep"', '# subject_dirs = ["docs"]',
              "# allow_empty = false", ""]
    return "\n".join(lines)


def _write_atomically(path: Path, text: str) -> None:
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    umask = os.umask(0)
    os.umask(umask)
    Path(temp).chmod(0o666 & ~umask)  # mkstemp makes 0600; dos.toml is an ordinary file
    Path(temp).replace(path)


def _run_hooks(root: Path, *, hooks: str, uninstall: bool, fail_closed: bool,
               dry_run: bool, output: str) -> int:
    from dos.hooks.install_cli import init_hooks

    if not (uninstall or dry_run or (root / CONFIG_FILENAME).exists()):
        lanes = derive_lanes(root)
        _write_atomically(root / CONFIG_FILENAME, render_toml(lanes))
        if output != "json":
            print(f"wrote {root / CONFIG_FILENAME}")
    return init_hooks(root, hooks, uninstall=uninstall, fail_closed=fail_closed,
                      dry_run=dry_run, output=output)


def run(*, directory: str, force: bool, example: str | None, workspace: str | None,
        output: str, hooks: str | None = None, uninstall: bool = False,
        fail_closed: bool = False, dry_run: bool = False, **_: object) -> int:
    base = Path(workspace).expanduser() if workspace else Path.cwd()
    root = (base / directory).resolve()
    if hooks is None and (uninstall or fail_closed or dry_run):
        raise UsageError("--uninstall, --fail-closed and --dry-run go with --hooks HOST",
                         hint="e.g. `dos init --hooks claude-code --dry-run`")
    if not dry_run:
        root.mkdir(parents=True, exist_ok=True)
    if hooks is not None:
        return _run_hooks(root, hooks=hooks, uninstall=uninstall, fail_closed=fail_closed,
                          dry_run=dry_run, output=output)
    target = root / CONFIG_FILENAME
    if target.exists() and not force:
        raise UsageError(f"{target} already exists", hint="pass --force to overwrite it "
                         "(the old file is kept as a backup)")
    if example:
        from dos.plugins import load_driver_config

        lanes = load_driver_config(example, root).lanes
        summary = (f"scaffolded from the '{example}' driver — lanes: "
                   f"{', '.join(lanes.declared())}")
    else:
        lanes = derive_lanes(root)
        summary = (f"derived {len(lanes.concurrent)} concurrent lane(s) "
                   f"({', '.join(lanes.concurrent)}) + an exclusive 'global'"
                   if lanes.concurrent else
                   "no source dirs detected — only the exclusive 'global' lane")
    backup = None
    if target.exists():
        backup = target.with_name(f"{CONFIG_FILENAME}.bak-{time.strftime('%Y%m%dT%H%M%S')}")
        shutil.copy2(target, backup)
    _write_atomically(target, render_toml(lanes))
    if output == "json":
        from dos.render import emit_json

        emit_json({"path": str(target), "backup": str(backup) if backup else None,
                   "lanes": list(lanes.declared()), "summary": summary})
        return 0
    print(f"wrote {target}")
    if backup:
        print(f"kept the previous file as {backup}")
    print(summary)
    print(f"DOS workspace initialised. Try:  dos doctor --workspace {root}")
    return 0
