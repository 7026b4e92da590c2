"""Every registered verb keeps the output contract, run for real in a git workspace
with declared lanes: text is human lines (never JSON), plain is that text without
colour codes or glyphs, and --json is one line whose objects carry ``schema.family``."""

from __future__ import annotations

import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from tests._support.git import GitRepo

from dos.cli import main
from dos.commands import VERBS
from dos.run_id import mint

DOS_TOML = """\
[lanes]
concurrent = ["src", "docs"]
exclusive = ["global"]
autopick = ["src", "docs"]

[lanes.trees]
src = ["src/**"]
docs = ["docs/**"]
global = ["**"]

[precursor.requires]
update_ticket = "get_ticket"
"""
TRANSCRIPT = (json.dumps({"message": {"role": "user", "content": "go"}}) + "\n"
              + json.dumps({"message": {"role": "assistant", "model": "m",
                                        "content": [{"type": "text", "text": "done"}]}}) + "\n")
CLAIMS = (json.dumps({"claim_text": "tests pass", "truth": False,
                     "evidence": ["tests did not pass"]}) + "\n")
RID = mint("worker").run_id
EVAL_CASES = {
    "overlap": {"tree_a": ["src/**"], "tree_b": ["docs/**"], "collided": False},
    "intervention": {"verdict": "UNSUPPORTED", "truly_minted": True, "mattered_to_score": True,
                     "recovered_if_blocked": True, "recovered_if_deferred": False},
    "streams": {"repeat": 4, "actually_stuck": True, "legit_polling": False,
                "recovered_if_fired": True},
    "precursor": {"tool": "update_ticket", "prior": [], "precursor_required": True,
                  "precursor_actually_fired": False},
}
FORMS = ("text", "plain", "json")


@dataclass(frozen=True)
class Case:
    """One invocation: ``setup`` commands first (answers unchecked), then ``argv``."""

    argv: tuple[str, ...]
    setup: tuple[tuple[str, ...], ...] = ()
    stdin: str = ""
    workspace: bool = True  # quickstart builds its own and refuses --workspace

    @property
    def verb(self) -> str:
        return self.argv[0]


TAKE_SRC = ("lease-lane", "acquire", "--lane", "src", "--owner", "A", "--run-id", RID)
REFUSE_GLOBAL = ("lease-lane", "acquire", "--lane", "global", "--owner", "B")
RECORD_ATTEMPT = ("attempt", "record", "AUTH2", "--outcome", "blocked")
INTENT_START = ("intent", "start", RID, "--steps", "a,b")

CASES = {
    # truth
    "verify": Case(("verify", "AUTH", "AUTH1")),
    "commit-audit": Case(("commit-audit", "HEAD")),
    "verify-result": Case(("verify-result", "--transcript", "{ws}/runs/agent.jsonl")),
    "coverage": Case(("coverage", "--declared", "1", "--transcript", "{ws}/runs/agent.jsonl")),
    "plan": Case(("plan", "AUTH", "AUTH1", "--once")),
    "memory-recall": Case(("memory", "recall", "login", "--store", "{ws}/runs/memory",
                           "--explain")),
    "memory-verify": Case(("memory", "verify", "--store", "{ws}/runs/memory")),
    "attest": Case(("attest", "--verify", "AUTH", "AUTH1", "--key-file", "{ws}/runs/hmac.key")),
    "verify-receipt": Case(("verify-receipt", "--receipt", "{ws}/r.json", "--key-file",
                            "{ws}/runs/hmac.key"),
                           setup=(("attest", "--claim", "c", "--accept-cmd", "true",
                                   "--key-file", "runs/hmac.key", "--out", "r.json"),)),
    # admission
    "arbitrate": Case(("arbitrate", "--lane", "src")),
    "arbitrate-refused-explained": Case(("arbitrate", "--lane", "src", "--explain"),
                                        setup=(TAKE_SRC,)),
    "lease-lane-acquire": Case(TAKE_SRC),
    "lease-lane-refused": Case(("lease-lane", "acquire", "--lane", "src", "--owner", "B"),
                               setup=(TAKE_SRC,)),
    "lease-lane-live": Case(("lease-lane", "live"), setup=(TAKE_SRC,)),
    "lease-lane-heartbeat": Case(("lease-lane", "heartbeat", "--lane", "src", "--owner", "A"),
                                 setup=(TAKE_SRC,)),
    "lease-lane-release": Case(("lease-lane", "release", "--lane", "src", "--owner", "A"),
                               setup=(TAKE_SRC,)),
    "lease-lane-spawn": Case(("lease-lane", "spawn", "--lane", "docs", "--owner", "S",
                              "--run-id", RID)),
    "lease-lane-reap": Case(("lease-lane", "reap"), setup=(TAKE_SRC,)),
    "journal": Case(("journal", "verify"), setup=(TAKE_SRC,)),
    "halt": Case(("halt", "--handle", "42", "--lane", "src", "--command", "kill 42"),
                 setup=(TAKE_SRC,)),
    "lease-acquire": Case(("lease", "acquire", "nightly")),
    "lease-status": Case(("lease", "status"), setup=(("lease", "acquire", "nightly"),)),
    "lease-release": Case(("lease", "release", "nightly"),
                          setup=(("lease", "acquire", "nightly"),)),
    "id-alloc-allocate": Case(("id-alloc", "allocate", "tickets")),
    "id-alloc-peek": Case(("id-alloc", "peek", "tickets")),
    "scope-gate": Case(("scope-gate", "--lane", "src", "--file", "src/a.py")),
    "scope-gate-refused": Case(("scope-gate", "--lane", "src", "--file", "docs/x.md")),
    "refuse": Case(("refuse", "SELF_MODIFY")),
    "refuse-unknown": Case(("refuse", "not_a_reason")),
    "man-wedge": Case(("man", "wedge")),
    "man-wedge-one": Case(("man", "wedge", "SELF_MODIFY", "--explain")),
    "man-lane": Case(("man", "lane")),
    "man-lane-one": Case(("man", "lane", "src")),
    "man-lane-unknown": Case(("man", "lane", "nowhere")),
    # temporal
    "liveness": Case(("liveness", "--run-id", RID, "--start-sha", "{start}"),
                     setup=(TAKE_SRC,)),
    "watch": Case(("watch", "--track", f"{RID}:{{start}}", "--command", "kill {handle}"),
                  setup=(TAKE_SRC,)),
    "loop": Case(("loop", "--target", "2")),
    "status": Case(("status", "--run-id", RID, "--start-sha", "{start}"), setup=(TAKE_SRC,)),
    "trace": Case(("trace", RID, "--start-sha", "{start}"), setup=(TAKE_SRC,)),
    "productivity": Case(("productivity", "--deltas", "800,600,300,40,12", "--floor", "100")),
    "efficiency": Case(("efficiency", "--work", "3", "--tokens", "90000", "--floor", "0.0001")),
    "breaker": Case(("breaker", "--consecutive", "3", "--total", "4")),
    "cooldown": Case(("cooldown", "AUTH2")),
    "attempt-record": Case(("attempt", "record", "AUTH2", "--outcome", "blocked")),
    "attempt-list": Case(("attempt", "list"), setup=(RECORD_ATTEMPT,)),
    "intent-start": Case(INTENT_START),
    "intent-step": Case(("intent", "step", RID, "a", "--started"), setup=(INTENT_START,)),
    "intent-show": Case(("intent", "show", RID), setup=(INTENT_START,)),
    "resume": Case(("resume", RID), setup=(INTENT_START,)),
    "complete": Case(("complete", RID), setup=(INTENT_START,)),
    "rewind": Case(("rewind", RID), setup=(INTENT_START,)),
    "reap": Case(("reap",), setup=(TAKE_SRC,)),
    "run-id-mint": Case(("run-id", "mint", "worker", "--parent", RID)),
    "run-id-parse": Case(("run-id", "parse", RID)),
    # picker
    "enumerate": Case(("enumerate", "docs/plan.md", "--series", "AUTH")),
    "pickable": Case(("pickable", "AUTH2", "--state", '{"in_flight": false}')),
    "reconcile": Case(("reconcile", "AUTH1", "--claimed-done", "--plan", "AUTH")),
    "gate": Case(("gate", "--picks-json", '[{"phase": "AUTH2", "drop_reason": "soft_claimed"}]',
                  "--explain")),
    "scout": Case(("scout", "--state-json", '{"health": {"action": "overlap_block"}}')),
    "health": Case(("health", "--lane", "src"), setup=(TAKE_SRC,)),
    "pick-priority": Case(("pick-priority", "AUTH2", "AUTH1")),
    "next": Case(("next", "--owner", "W", "--plan", "docs/plan.md", "--dry-run")),
    "judge": Case(("judge", "wedge", RID), setup=(TAKE_SRC, (
        "next", "--owner", "W", "--plan", "docs/plan.md", "--run-id", RID))),
    "judge-eval": Case(("judge-eval", "--cases", "{ws}/runs/claims.jsonl", "--show-cases")),
    # gates
    "test-witness": Case(("test-witness", "--run", "git --version", "--baseline", "HEAD~1",
                          "--candidate", "HEAD")),
    "improve": Case(("improve", "--suite-passed", "--truth-clean", "--work", "1",
                     "--baseline-work", "3")),
    "reward": Case(("reward", "--witness", "refute")),
    "exec-capability": Case(("exec-capability", "--command", "timeout 5 python3.12 -c 1")),
    "hook-exit": Case(("hook-exit", "--code", "3", "--map", "3=DEFER")),
    "arg-provenance": Case(("arg-provenance", "--tool", "close_incident", "--args",
                            '{"incident_id": "1234", "note": "done"}', "--prior", "12345")),
    "answer-shape": Case(("answer-shape", "--text", "To fix it: pin the version.")),
    # evaluation harnesses
    "overlap-eval": Case(("overlap-eval", "--cases", "{ws}/runs/overlap.jsonl")),
    "intervention-eval": Case(("intervention-eval", "--cases", "{ws}/runs/intervention.jsonl")),
    "tool-stream-eval": Case(("tool-stream-eval", "--cases", "{ws}/runs/streams.jsonl")),
    "precursor-gate-eval": Case(("precursor-gate-eval", "--cases",
                                 "{ws}/runs/precursor.jsonl")),
    "guard": Case(("guard", "--print-config", "--verify-on-stop", "--", "claude", "-p", "go")),
    # record
    "export": Case(("export", "--to", "file", "--path", "out.jsonl")),
    "notify": Case(("notify", "decisions")),
    # ops
    "serve": Case(("serve", "--check", "--port", "0")),
    "store": Case(("store", "status"), setup=(TAKE_SRC,)),
    "exit-codes": Case(("exit-codes", "liveness")),
    "init": Case(("init", "{ws}/fresh")),
    "doctor": Case(("doctor",)),
    "lint": Case(("lint",)),
    "observe": Case(("observe",), setup=(TAKE_SRC, ("breaker", "--consecutive", "1",
                                                    "--total", "4"))),
    "observe-history": Case(("observe", "--tail", "5"), setup=(TAKE_SRC,)),
    "observe-empty": Case(("observe", "--syscall", "nothing")),
    "helped": Case(("helped", "--explain"), setup=(TAKE_SRC,)),
    "decisions": Case(("decisions", "--all"), setup=(TAKE_SRC, REFUSE_GLOBAL,
                                                     ("arbitrate", "--lane", "src"))),
    "decisions-empty": Case(("decisions",)),
    "decisions-show": Case(("decisions", "show", "1"), setup=(TAKE_SRC, REFUSE_GLOBAL)),
    "decisions-resolve": Case(("decisions", "resolve", "1", "--approve", "--owner", "op"),
                              setup=(TAKE_SRC, REFUSE_GLOBAL)),
    "top": Case(("top", "--once"), setup=(TAKE_SRC, ("verify", "AUTH", "AUTH1"))),
    "projects": Case(("projects",), setup=(TAKE_SRC,)),
    "reindex": Case(("reindex",), setup=(TAKE_SRC,)),
    "learn": Case(("learn", "lane-refusals"), setup=(TAKE_SRC, REFUSE_GLOBAL)),
    "quickstart": Case(("quickstart",), workspace=False),
}
# `dos hook` answers on stdout in the host's own protocol, by design: tests/hooks/test_hook_forms.py
NOT_HERE = {"hook"}


def test_every_registered_verb_has_a_case() -> None:
    assert {case.verb for case in CASES.values()} == set(VERBS) - NOT_HERE


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A repository with lanes, a shipped AUTH1 and a transcript; copied per test."""
    root = tmp_path_factory.mktemp("template") / "ws"
    root.mkdir()
    repo = GitRepo(root)
    start = repo.commit("scaffold", {"dos.toml": DOS_TOML, "src/a.py": "a\n",
                                     "docs/plan.md": "# AUTH\n## AUTH1 login\n"})
    repo.commit("AUTH1: add the login endpoint", {"src/auth.py": "def login(): ...\n"})
    repo.write("runs/agent.jsonl", TRANSCRIPT)
    repo.write("runs/hmac.key", "an-hmac-secret-of-32-bytes-here\n")
    repo.write("runs/memory/login.md", "The login endpoint is `login` in src/auth.py.\n")
    repo.write("runs/memory/gone.md", "src/auth.py was deleted.\n")
    for name, case in EVAL_CASES.items():
        repo.write(f"runs/{name}.jsonl", json.dumps(case) + "\n")
    repo.write("runs/claims.jsonl", CLAIMS)
    (repo.path / "fresh").mkdir()
    return repo.path, start


def _fill(arg: str, ws: Path, start: str) -> str:
    return arg.replace("{ws}", str(ws)).replace("{start}", start)


def _dos(argv: list[str], stdin: str, capsys: pytest.CaptureFixture[str],
         monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
    capsys.readouterr()
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _objects(payload: Any) -> list[Any]:
    return payload if isinstance(payload, list) else [payload]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("name", sorted(CASES))
def test_the_output_contract(name: str, form: str, *, template: tuple[Path, str],
                             tmp_path: Path, capsys: pytest.CaptureFixture[str],
                             monkeypatch: pytest.MonkeyPatch) -> None:
    case = CASES[name]
    ws = tmp_path / "ws"
    shutil.copytree(template[0], ws, symlinks=True)
    monkeypatch.chdir(ws)
    monkeypatch.setenv("DOS_COLOR", "always")  # colour wherever text may have it
    globals_ = ["--workspace", str(ws)] if case.workspace else []
    for setup in case.setup:
        code, out, err = _dos([*globals_, "--json", *setup], "", capsys, monkeypatch)
        assert code not in (2, 70), f"setup {setup}: {err}{out}"
    argv = [*globals_, "--output", form, *(_fill(arg, ws, template[1]) for arg in case.argv)]
    code, out, err = _dos(argv, _fill(case.stdin, ws, template[1]), capsys, monkeypatch)
    assert code not in (2, 70), f"dos {' '.join(case.argv)} did not answer: {err}"
    assert out.strip(), f"dos {' '.join(case.argv)} printed nothing on stdout ({form})"
    if form == "json":
        lines = out.splitlines()
        assert len(lines) == 1, f"--json is one line, got {len(lines)}:\n{out}"
        for item in _objects(json.loads(lines[0])):
            assert isinstance(item, dict), item
            assert item.get("schema", {}).get("family") == case.verb, item
        return
    assert not _is_json(out), f"{form} output is JSON:\n{out}"
    assert not any(_is_json(line) and line.lstrip()[:1] in "{[" for line in out.splitlines()), \
        f"{form} output has a JSON line:\n{out}"
    if form == "plain":
        assert "\x1b" not in out, f"plain output has colour codes:\n{out!r}"
        glyphs = sorted({char for char in out if not char.isascii()})
        assert not glyphs, f"plain output has glyphs {glyphs}:\n{out}"
