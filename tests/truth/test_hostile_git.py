"""A hostile repository: its .git/config names a program for every setting through which
git runs one. dos never runs any of them, and every git call goes through one argv builder."""

from __future__ import annotations

import ast
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests._support.git import GIT_ENV
from tests._support.truth import run_cli

from dos.git import GIT_PINNED_CONFIG, run_git
from dos.run_id import mint

SRC = Path(__file__).resolve().parents[2] / "src"
_HOOKS = ("pre-commit", "commit-msg", "post-commit", "post-checkout", "post-index-change",
          "reference-transaction", "pre-auto-gc", "post-rewrite", "fsmonitor-watchman")
_PROGRAM_KEYS = (
    "core.fsmonitor", "core.pager", "pager.log", "pager.diff", "diff.external",
    "diff.evil.textconv", "diff.evil.command", "filter.evil.clean", "filter.evil.smudge",
    "gpg.program", "gpg.ssh.program", "core.sshCommand",
    "core.askPass", "core.editor", "sequence.editor",
)


class Hostile:
    """A repository whose own config runs a marker-writing program from every hook point."""

    def __init__(self, repo: Any, tmp: Path) -> None:
        self.repo, self.path, self.marker = repo, Path(repo.path), tmp / "marker"
        self.bin = tmp / "evil"
        self.start_sha = ""
        self.bin.mkdir()

    def program(self, name: str) -> str:
        script = self.bin / name.replace("/", "_")
        script.write_text(f'#!/bin/sh\necho "{name}" >> "{self.marker}"\n'
                          'if [ $# -gt 0 ]; then cat "$@" 2>/dev/null; else cat; fi\nexit 0\n',
                          encoding="utf-8")
        script.chmod(0o755)
        return str(script)

    def arm(self) -> None:
        hooks = self.bin / "hooks"
        hooks.mkdir()
        for hook in _HOOKS:
            (hooks / hook).symlink_to(self.program(f"hook:{hook}"))
        settings = {key: self.program(key) for key in _PROGRAM_KEYS}
        settings.update({"core.hooksPath": str(hooks), "log.showSignature": "true",
                         "filter.evil.required": "true", "commit.gpgSign": "true",
                         "credential.helper": "!" + self.program("credential.helper"),
                         "protocol.allow": "always", "gc.auto": "1"})
        for key, value in settings.items():
            self.repo.git("config", key, value)

    def fired(self) -> list[str]:
        if not self.marker.exists():
            return []
        return self.marker.read_text(encoding="utf-8").split()

    def raw_git(self, *args: str) -> None:
        """The same repository through plain git, as a control: the traps are live."""
        subprocess.run(["git", *args], cwd=self.path, env={**os.environ, **GIT_ENV},
                       capture_output=True, check=False, timeout=30, stdin=subprocess.DEVNULL)


def _signed_commit(repo: Any, subject: str, files: dict[str, str]) -> str:
    """A commit carrying a (fake) signature, so showing it would run gpg.program."""
    repo.commit("unsigned", files)
    tree = repo.git("rev-parse", "HEAD^{tree}")
    parent = repo.git("rev-parse", "HEAD~1")
    who = "A <a@example.invalid> 1767225700 +0000"
    body = (f"tree {tree}\nparent {parent}\nauthor {who}\ncommitter {who}\n"
            "gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n"
            " -----END PGP SIGNATURE-----\n\n" f"{subject}\n")
    done = subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--stdin"],
                          cwd=repo.path, input=body, text=True, capture_output=True, check=True)
    sha = done.stdout.strip()
    repo.git("update-ref", "refs/heads/main", sha)
    return sha


@pytest.fixture
def hostile(git_repo: Callable[..., Any], tmp_path: Path) -> Hostile:
    repo = git_repo("hostile")
    repo.commit("init", {".gitattributes": "* diff=evil filter=evil\n", "README.md": "r\n",
                         "dos.toml": '[lanes]\nconcurrent = ["src", "docs"]\n'
                                     '[lanes.trees]\nsrc = ["src/**"]\ndocs = ["docs/**"]\n',
                         "docs/plan.md": "## AUTH1 — login\nTouches src/login.py.\n"})
    start = repo.commit("fix: the login check", {"src/login.py": "x = 1\n"})
    _signed_commit(repo, "AUTH1: ship the login endpoint", {"src/login.py": "x = 1\ny = 2\n"})
    trap = Hostile(repo, tmp_path)
    trap.start_sha = start
    trap.arm()
    (trap.path / "src" / "login.py").write_text("x = 2\n", encoding="utf-8")  # a dirty tree
    return trap


def _verbs(hostile: Hostile) -> list[list[str]]:
    rid = mint("worker").run_id
    start = hostile.start_sha
    return [
        ["verify", "AUTH", "AUTH1"], ["verify", "AUTH", "AUTH1", "--explain"],
        ["verify", "AUTH", "AUTH9", "--explain"],
        ["commit-audit"], ["commit-audit", "--sweep"], ["commit-audit", "HEAD~2..HEAD"],
        ["liveness", "--run-id", rid, "--start-sha", start],
        ["status", "--run-id", rid, "--start-sha", start],
        ["scope-gate", "--lane", "src"], ["plan"], ["doctor"],
    ]


def test_no_verb_runs_a_program_the_repository_names(
        hostile: Hostile, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in _verbs(hostile):
        code, _, err = run_cli(capsys, ["--workspace", str(hostile.path), *argv])
        assert code != 70, (argv, err)
        assert hostile.fired() == [], argv
    # controls, each with the traps that would stop git before the next one lifted
    lifted = ["-c", "commit.gpgSign=false"]
    hostile.raw_git(*lifted, "diff", "HEAD")
    hostile.raw_git("log", "-p", "-1")
    hostile.raw_git(*lifted, "commit", "-q", "--allow-empty", "-m", "control")
    fired = set(hostile.fired())
    assert {"core.fsmonitor", "filter.evil.clean", "diff.evil.command", "diff.evil.textconv",
            "gpg.program", "hook:pre-commit"} <= fired, fired


@pytest.mark.parametrize("args", [
    ["log", "-p", "-1"], ["diff", "HEAD"], ["show", "HEAD"], ["status"],
    ["commit", "-q", "--allow-empty", "-m", "pinned"], ["ls-remote", "ssh://example.invalid/x"],
    ["add", "-A"], ["checkout", "-q", "HEAD", "--", "README.md"],
], ids=lambda args: args[0])
def test_run_git_runs_none_of_them(hostile: Hostile, args: list[str]) -> None:
    run_git(args, hostile.path, check=False, timeout=30)
    assert hostile.fired() == []


def test_a_long_running_filter_process_is_not_started(hostile: Hostile) -> None:
    hostile.repo.git("config", "filter.evil.process", hostile.program("filter.evil.process"))
    run_git(["diff", "--name-only", "HEAD"], hostile.path, check=False)
    run_git(["status", "--porcelain"], hostile.path, check=False)
    assert hostile.fired() == []
    hostile.raw_git("-c", "core.fsmonitor=false", "diff", "--name-only", "HEAD")
    assert hostile.fired() == ["filter.evil.process"]


def test_an_external_diff_program_is_not_started(git_repo: Callable[..., Any],
                                                  tmp_path: Path) -> None:
    repo = git_repo("plain")
    repo.commit("init", {"a.txt": "a\n"})
    trap = Hostile(repo, tmp_path)
    repo.git("config", "diff.external", trap.program("diff.external"))
    (trap.path / "a.txt").write_text("b\n", encoding="utf-8")
    run_git(["diff", "HEAD"], trap.path)
    run_git(["log", "-p", "-1"], trap.path)
    assert trap.fired() == []
    trap.raw_git("diff", "HEAD")
    assert trap.fired() == ["diff.external"]


def test_the_user_environment_cannot_name_a_diff_program(
        hostile: Hostile, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_EXTERNAL_DIFF", hostile.program("GIT_EXTERNAL_DIFF"))
    monkeypatch.setenv("GIT_SSH_COMMAND", hostile.program("GIT_SSH_COMMAND"))
    run_git(["diff", "HEAD"], hostile.path, check=False)
    assert hostile.fired() == []


def test_every_git_call_is_built_by_git_argv(
        hostile: Hostile, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []
    real_run, real_popen = subprocess.run, subprocess.Popen
    real_spawn, real_spawnp = os.posix_spawn, os.posix_spawnp

    def spy_run(argv: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(list(argv))
        return real_run(argv, *args, **kwargs)

    def spy_spawn(path: Any, argv: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(list(argv))
        return real_spawn(path, argv, *args, **kwargs)

    def spy_spawnp(path: Any, argv: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(list(argv))
        return real_spawnp(path, argv, *args, **kwargs)

    class SpyPopen(real_popen):  # type: ignore[misc, valid-type]
        def __init__(self, argv: Any, *args: Any, **kwargs: Any) -> None:
            seen.append(list(argv))
            super().__init__(argv, *args, **kwargs)

    monkeypatch.setattr(subprocess, "run", spy_run)
    monkeypatch.setattr(subprocess, "Popen", SpyPopen)
    monkeypatch.setattr(os, "posix_spawn", spy_spawn)
    monkeypatch.setattr(os, "posix_spawnp", spy_spawnp)
    for argv in _verbs(hostile):
        run_cli(capsys, ["--workspace", str(hostile.path), *argv])
    assert len(seen) > 20
    prefix = ["--no-pager", *GIT_PINNED_CONFIG]
    for argv in seen:
        assert Path(argv[0]).name == "git", argv
        assert argv[1] == "-C", argv  # dos.git.spawn has git change directory itself
        assert argv[3:3 + len(prefix)] == prefix, argv


def _spawns_processes(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [alias.name for alias in node.names]
            module = node.module if isinstance(node, ast.ImportFrom) else ""
            if "subprocess" in names or module == "subprocess":
                found.append(f"imports subprocess at line {node.lineno}")
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id == "os" and node.attr.startswith(("system", "exec", "spawn",
                                                                    "popen", "posix_spawn")):
            found.append(f"os.{node.attr} at line {node.lineno}")
    return found


def test_only_the_git_module_starts_a_process() -> None:
    # git's one door (dos.git runs it through dos.git.spawn); the module that runs witness
    # commands, regex workers and guard's host; and the attest witness that runs the
    # attester's own command on purpose
    allowed = {SRC / "dos" / "git" / "spawn.py", SRC / "dos" / "processes.py",
               SRC / "dos" / "truth" / "receipts" / "acceptance.py"}
    offenders = {str(path.relative_to(SRC)): found for path in SRC.rglob("*.py")
                 if path not in allowed and (found := _spawns_processes(path))}
    assert offenders == {}
    assert _spawns_processes(SRC / "dos" / "git" / "spawn.py")  # the check sees it
