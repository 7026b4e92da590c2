"""Every `dos …` line of every shipped skill runs, as written, through a real `dos`
process in a prepared workspace (a git repo set up by `dos init`, a shipped phase, a
lease, a run with a ledger, a halt waiting in the decisions queue), and exits with a code
the skill's `# exit:` annotation documents for that line. A renamed verb or flag, a
changed exit code or a placeholder without a value fails here, so the skills cannot rot."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests._support.git import GIT_ENV, GitRepo
from tests._support.skills import SkillLine, skill_lines

from dos.skills import skill_names

PLAN_DOC = "id: AUTH\n\n## AUTH1 — login\n\n## AUTH2 — logout\n\n## AUTH3 — refresh\n"
HEALTHY = '{"message": {"role": "assistant", "model": "m", "content": "done"}}\n'
# labelled cases for the eval harnesses, and memory notes (one fresh, one stale)
CASE_FILES = {
    "overlap": ['{"tree_a": ["src/**"], "tree_b": ["docs/**"], "collided": false}',
                '{"tree_a": ["src/**"], "tree_b": ["src/api/**"], "collided": true}'],
    "intervention": ['{"verdict": "UNSUPPORTED", "truly_minted": true, "mattered_to_score": '
                     'true, "recovered_if_blocked": true, "recovered_if_deferred": true}',
                     '{"verdict": "BELIEVE", "truly_minted": false, "mattered_to_score": '
                     'false, "recovered_if_blocked": false, "recovered_if_deferred": false}'],
    "streams": ['{"repeat": 8, "tool": "poll", "args": "a", "result": "r", "actually_stuck": '
                'true, "legit_polling": false, "recovered_if_fired": true}'],
    "claims": ['{"claim_text": "tests pass", "truth": true, "evidence": ["tests pass"]}',
               '{"claim_text": "the cache was flushed", "truth": false, '
               '"evidence": ["the build failed"]}'],
    # shaped like the claims `dos plan --lifecycle --judge` asks about
    "lifecycle-claims": [
        '{"claim_text": "every unit of docs/a-plan.md shipped: A1", "truth": true, '
        '"evidence": ["docs/a-plan.md declares 1 unit(s): A1", "A1 shipped in 0123abcd '
        '(via grep-subject)"]}',
        '{"claim_text": "every unit of docs/b-plan.md shipped: B1, B2", "truth": false, '
        '"evidence": ["docs/b-plan.md declares 2 unit(s): B1, B2", "B1 shipped in 4567ef01 '
        '(via grep-subject)", "B2 not shipped"]}'],
}
NOTES = {"app.md": "src/app.py holds the app.\n", "parser.md": "src/parser.py holds the parser.\n"}

# the value of each <PLACEHOLDER>; `{name}` is filled in from the prepared workspace
DEFAULTS = {
    "PLAN": "AUTH", "PHASE": "AUTH1", "UNIT": "AUTH2", "PLAN_DOC": "docs/auth-plan.md",
    "LANE": "src", "OWNER": "session-A", "RUN_ID": "{run_id}", "START_SHA": "{base}",
    "COMMIT_SHA": "{ship}", "STEP": "api", "STEPS": "schema,api", "N": "1", "HANDLE": "4242",
    "WHY": "seen by the skills test", "TRANSCRIPT": "runs/agent-1.jsonl",
    "TRANSCRIPTS_GLOB": "runs/*.jsonl", "KEY_FILE": "keys/ci.key", "TEST_CMD": "true",
    "OVERLAP_CASES": "cases/overlap.jsonl", "INTERVENTION_CASES": "cases/intervention.jsonl",
    "STREAM_CASES": "cases/streams.jsonl", "CLAIM_CASES": "cases/claims.jsonl",
    "MEMORY_DIR": "notes", "NOTE": "app", "JUDGE": "similarity",
}
# where a skill needs another state: a free lane for a newcomer, a run without a ledger
PER_SKILL = {
    "dos-take-lane": {"LANE": "docs", "OWNER": "session-B"},
    "dos-dispatch": {"LANE": "docs", "OWNER": "session-B", "RUN_ID": "{fresh_run_id}"},
    "dos-dispatch-loop": {"LANE": "docs", "OWNER": "session-B"},
    "dos-supervise-loop": {"N": "2"},
    "dos-witness-claim": {"N": "1"},
    "dos-unstick": {"RUN_ID": "{held_run_id}"},
    "dos-grade-referee": {"RUN_ID": "{held_run_id}"},
    "dos-class-cycle": {"CLAIM_CASES": "cases/lifecycle-claims.jsonl"},
}


def _environment(home: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("DISPATCH_", "DOS_", "CID_"))}
    return {**env, **GIT_ENV, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
            "XDG_STATE_HOME": str(home / "state"), "DOS_HOME": str(home / "dos-home")}


def _dos(root: Path, env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dos", *argv], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def _prepared(root: Path, env: dict[str, str]) -> dict[str, str]:
    """A workspace in the state the skills' fixtures name; returns its ids."""
    repo = GitRepo(root)
    repo.write("src/app.py", "a = 1\n")
    repo.write("docs/auth-plan.md", PLAN_DOC)
    def ok(*argv: str) -> str:
        done = _dos(root, env, *argv)
        assert done.returncode == 0, f"{argv}: {done.stderr}"
        return done.stdout
    ok("init")
    base = repo.commit("chore: scaffold the workspace")
    ship = repo.commit("AUTH1: ship the login endpoint", {"src/app.py": "a = 2\n"})
    run_id = json.loads(ok("run-id", "mint", "worker", "--json"))["run_id"]
    fresh_run_id = json.loads(ok("run-id", "mint", "worker", "--json"))["run_id"]
    ok("lease-lane", "acquire", "--lane", "src", "--owner", "session-A", "--run-id", run_id)
    ok("intent", "start", run_id, "--steps", "schema,api", "--lane", "src", "--unit", "AUTH2")
    ok("intent", "step", run_id, "schema", "--done", "--commit", ship)
    ok("halt", "--handle", "4242", "--lane", "src", "--run-id", run_id, "--reason",
       "spinning", "--command", "kill 4242")
    repo.write("runs/agent-1.jsonl", HEALTHY)
    repo.write("keys/ci.key", "a-test-secret-of-thirty-two-byte\n")
    for name, rows in CASE_FILES.items():
        repo.write(f"cases/{name}.jsonl", "".join(row + "\n" for row in rows))
    for name, text in NOTES.items():
        repo.write(f"notes/{name}", text)
    (root / ".git" / "info" / "exclude").write_text("runs/\nkeys/\ncases/\nnotes/\n",
                                                    encoding="utf-8")
    # a run whose picker found nothing it may take (session-A holds src): judge wedge's
    held_run_id = json.loads(ok("run-id", "mint", "worker", "--json"))["run_id"]
    held = _dos(root, env, "next", "--owner", "session-C", "--lane", "src", "--plan",
                "docs/auth-plan.md", "--run-id", held_run_id)
    assert held.returncode == 4, held.stdout + held.stderr
    _refused_elsewhere(root.parent / "other", env)
    return {"base": base, "ship": ship, "run_id": run_id, "fresh_run_id": fresh_run_id,
            "held_run_id": held_run_id}


def _refused_elsewhere(root: Path, env: dict[str, str]) -> None:
    """A second project in the same registry with a refused lease the operator upheld,
    so `dos learn` has history across projects to count."""
    root.mkdir()
    GitRepo(root).commit("chore: another project", {"src/b.py": "b = 1\n"})
    for argv, code in ((("init",), 0),
                       (("lease-lane", "acquire", "--lane", "src", "--owner", "a"), 0),
                       (("lease-lane", "acquire", "--lane", "src", "--owner", "b"), 1),
                       (("decisions", "resolve", "1", "--approve", "--owner", "op"), 0),
                       (("reindex",), 0)):
        done = _dos(root, env, *argv)
        assert done.returncode == code, f"{argv}: {done.stdout}{done.stderr}"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("skills") / "template"
    root.mkdir()
    home = tmp_path_factory.mktemp("home")
    return root, {**_prepared(root, _environment(home)), "home": str(home)}


def _filled(line: SkillLine, ids: dict[str, str]) -> list[str]:
    values = {**DEFAULTS, **PER_SKILL.get(line.skill, {})}
    missing = line.placeholders() - values.keys()
    assert not missing, f"{line.skill}: no fixture value for {sorted(missing)}"
    text = line.command
    for name in line.placeholders():
        text = text.replace(f"<{name}>", values[name].format(**ids))
    return shlex.split(text)


@pytest.mark.parametrize("name", skill_names())
def test_every_command_line_exits_as_the_skill_says(
        name: str, template: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    source, ids = template
    root = tmp_path / "ws"
    shutil.copytree(source, root, symlinks=True)
    # the registry too: the template and its sibling project stay where they were
    shutil.copytree(Path(ids["home"]) / "dos-home", tmp_path / "home" / "dos-home")
    env = _environment(tmp_path / "home")
    lines = skill_lines(name)
    assert lines, f"{name} has no command line to check"
    for line in lines:
        argv = _filled(line, ids)
        done = _dos(root, env, *argv[1:])
        shown = f"{name}: {shlex.join(argv)}\nexit {done.returncode}\n{done.stdout}{done.stderr}"
        assert "Traceback" not in done.stderr, shown
        assert done.returncode in line.codes, f"undocumented exit code\n{shown}"
