"""arbitrate, scope-gate, refuse and man through ``dos.cli.main``, end to end."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dos import exitcodes
from dos.cli import main

DOS_TOML = """
[lanes]
concurrent = ["docs", "src", "tests"]
exclusive = ["global"]
autopick = ["docs", "src", "tests"]
[lanes.trees]
docs = ["docs/**"]
src = ["src/**"]
tests = ["tests/**"]
legacy = ["legacy/**"]
[lanes.aliases]
code = "src"
[reasons.lane_parked]
category = "OPERATOR_GATE"
summary = "parked for the night"
fix = "wait for the morning"
see_also = ["dos man lane docs"]
[reasons.heads_up]
category = "UNCLASSIFIED"
refusal = false
[[reasons.morphology]]
substring = "quota"
category = "OPERATOR_GATE"
"""

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    root.mkdir()
    (root / "dos.toml").write_text(DOS_TOML, encoding="utf-8")
    return root


@pytest.fixture
def dos(workspace: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--workspace", str(workspace), *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err
    return run


def _one_json(out: str) -> dict[str, Any]:
    lines = out.strip().splitlines()
    assert len(lines) == 1, out
    data: dict[str, Any] = json.loads(lines[0])
    assert list(data) == sorted(data), "keys are sorted"
    return data


LIVE_SRC = json.dumps([{"lease_id": 1, "lane": "src", "tree": ["src/**"], "holder": "A"}])


# ---- arbitrate ----

def test_arbitrate_acquire_and_refuse_exit_codes(dos: Run) -> None:
    code, out, _ = dos("arbitrate", "--json", "--lane", "src", "--leases", "[]")
    assert code == 0
    assert _one_json(out)["lane"] == "src"
    code, out, _ = dos("arbitrate", "--json", "--lane", "src", "--leases", LIVE_SRC)
    data = _one_json(out)
    assert code == 1
    assert data["outcome"] == "refuse"
    assert data["reason_class"] == "LANE_LEASE_HELD_BY_LIVE_DISPATCH_LOOP"
    assert data["free_clusters"] == ["docs", "tests"]
    assert data["blockers"] == [1]
    assert out.isascii()


def test_arbitrate_pretty_and_explain(dos: Run) -> None:
    code, out, _ = dos("arbitrate", "--lane", "docs", "--leases", "[]", "--pretty")
    assert code == 0
    assert out.startswith("{\n  ")
    _code, out, _ = dos("arbitrate", "--lane", "src", "--leases", LIVE_SRC, "--explain")
    lines = out.strip().splitlines()
    assert len(lines) == 2
    assert lines[1].startswith("STOP — do not start this work")
    assert "docs, tests" in lines[1]
    _code, out, _ = dos("arbitrate", "--leases", "[]", "--explain", "--json")
    data = _one_json(out)
    assert data["interpretation"].startswith("GO — you may take lane 'docs' (auto-picked")


def test_arbitrate_text_is_a_truthful_verdict_line(dos: Run) -> None:
    _code, out, _ = dos("arbitrate", "--leases", "[]")
    assert "busy" not in out
    assert out.startswith("ACQUIRE  auto-picked free lane 'docs' (no lane was named)")
    _code, out, _ = dos("arbitrate", "--lane", "src", "--leases", "[]", "--output", "plain")
    assert out == ("ACQUIRE  lane 'src' free - tree [src/**] is clear of all 0 live lease(s), "
                   "admitted.\n")
    code, out, _ = dos("arbitrate", "--lane", "src", "--leases", LIVE_SRC)
    assert code == 1
    assert out.startswith("REFUSE (LANE_LEASE_HELD_BY_LIVE_DISPATCH_LOOP)  cannot take lane 'src'")


@pytest.mark.parametrize(("leases", "fragment"), [
    ("{not json", "not valid JSON"),
    ('{"lane": "src"}', "must be a JSON array (got dict)"),
    ("[1, 2]", "--leases[0] must be a JSON object, got int"),
    ('[{"lane": "src", "tree": "src/**"}]', "--leases[0] is malformed"),
    ('[{"lane": "src", "lease_id": "x"}]', "--leases[0] is malformed"),
])
def test_arbitrate_bad_leases_are_usage_errors(dos: Run, leases: str, fragment: str) -> None:
    code, out, err = dos("arbitrate", "--lane", "src", "--leases", leases)
    assert code == 2
    assert out == ""
    assert fragment in err
    assert "fix:" in err


@pytest.mark.parametrize("budget", ["bad", "=1", "x=-1", "x=y"])
def test_arbitrate_bad_class_budget(dos: Run, budget: str) -> None:
    code, _out, err = dos("arbitrate", "--class-budget", budget, "--leases", "[]")
    assert code == 2
    assert "--class-budget" in err


def test_arbitrate_mode_shared(dos: Run) -> None:
    shared = json.dumps([{"lease_id": 1, "lane": "src", "tree": ["src/**"], "mode": "shared"}])
    code, out, _ = dos("arbitrate", "--json", "--lane", "src", "--mode", "shared",
                       "--leases", shared)
    assert code == 0
    assert _one_json(out)["mode"] == "shared"
    code, _out, _ = dos("arbitrate", "--lane", "src", "--leases", shared)
    assert code == 1


def test_arbitrate_reads_the_store(dos: Run, workspace: Path) -> None:
    code, out, _ = dos("arbitrate", "--json", "--lane", "src")
    assert code == 0
    assert _one_json(out)["outcome"] == "acquire"
    assert not (workspace / ".dos").exists(), "a read verb never creates the store"
    code, _out, _err = dos("lease-lane", "acquire", "--lane", "src", "--owner", "A")
    assert code == 0
    code, out, _ = dos("arbitrate", "--json", "--lane", "code")
    assert code == 1
    assert _one_json(out)["reason_class"] == "LANE_LEASE_HELD_BY_LIVE_DISPATCH_LOOP"
    code, out, _ = dos("arbitrate", "--lane", "src", "--leases", "[]")
    assert code == 0, "--leases replaces the store's live set"


def test_arbitrate_unreadable_store_refuses_with_its_own_code(dos: Run,
                                                              workspace: Path) -> None:
    assert dos("lease-lane", "acquire", "--lane", "docs", "--owner", "A")[0] == 0
    store = workspace / ".dos" / "dos.db"
    store.write_bytes(b"this is not a database" * 200)
    code, out, _ = dos("arbitrate", "--json", "--lane", "src")
    data = _one_json(out)
    assert code == 74
    assert data["outcome"] == "STORE_UNREADABLE"
    assert data["reason_class"] == "STORE_UNREADABLE"
    assert store.read_bytes().startswith(b"this is not a database"), "nothing is reset"


def test_arbitrate_help_teaches(dos: Run) -> None:
    code, out, _ = dos("arbitrate", "--help")
    assert code == 0
    for flag in ("--lane", "--kind", "--tree", "--leases", "--force", "--mode", "--pretty",
                 "--explain", "--class-budget", "examples:"):
        assert flag in out


# ---- scope-gate (text form; the golden cases cover the verdicts) ----

def test_scope_gate_text_lines(dos: Run, workspace: Path) -> None:
    code, out, _ = dos("scope-gate", "--lane", "src", "--file", "src/a.py")
    assert code == 0
    assert out.strip().startswith("ALLOW: write ALLOWED — all 1 touched file(s)")
    code, out, _ = dos("scope-gate", "--lane", "src", "--file", "src/a.py", "--file", "docs/b")
    assert code == 5
    assert out.strip().startswith("REFUSE: write REFUSED (SCOPE_CREEP) — ")
    code, out, _ = dos("scope-gate", "--lane", "src", "--file", str(workspace / "docs" / "b"))
    assert code == 6
    assert "REFUSE: write REFUSED (WRONG_TARGET)" in out


def test_scope_gate_outside_git_is_an_error(dos: Run) -> None:
    code, out, err = dos("scope-gate", "--lane", "src")
    assert code == 2
    assert out == ""
    assert "dos: error: git" in err


def test_scope_gate_pretty_json(dos: Run) -> None:
    code, out, _ = dos("scope-gate", "--lane", "src", "--file", "src/a.py", "--json", "--pretty")
    assert code == 0
    assert json.loads(out)["verdict"] == "IN_SCOPE"
    assert out.startswith("{\n")


# ---- refuse ----

@pytest.mark.parametrize(("token", "code", "word"), [
    ("SELF_MODIFY", 0, "REFUSAL"),
    ("  unknown_lane ", 0, "REFUSAL"),
    ("lane_parked", 0, "REFUSAL"),
    ("HEADS_UP", 1, "ADVISORY"),
    ("NOPE", 1, "UNCLASSIFIED"),
])
def test_refuse(dos: Run, token: str, code: int, word: str) -> None:
    got, out, _ = dos("refuse", token)
    assert got == code
    assert out.startswith(f"{word}:")
    got, out, _ = dos("refuse", token, "--json")
    data = _one_json(out)
    assert got == code
    assert data["verdict"] == word


def test_refuse_unknown_uses_morphology(dos: Run) -> None:
    _code, out, _ = dos("refuse", "quota_blown", "--json")
    assert _one_json(out)["category"] == "OPERATOR_GATE"


def test_refuse_empty_token(dos: Run) -> None:
    assert dos("refuse", " ")[0] == 2


# ---- man ----

def test_man_wedge_lists_base_and_declared(dos: Run) -> None:
    code, out, _ = dos("man", "wedge")
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == f"{'LANE_DRAINED':<42}TRUE_DRAIN"
    assert f"{'LANE_PARKED':<42}OPERATOR_GATE" in lines
    assert any(line.startswith("HEADS_UP") for line in lines)


def test_man_wedge_one(dos: Run) -> None:
    code, out, _ = dos("man", "wedge", "lane_parked", "--explain")
    assert code == 0
    assert "NAME        LANE_PARKED" in out
    assert "REFUSAL?    yes — the work is refused; take the fix" in out
    assert "TYPICAL FIX wait for the morning" in out
    assert "SEE ALSO    dos man lane docs" in out
    assert "VALID reason — a refusal" in out
    _code, out, _ = dos("man", "wedge", "heads_up")
    assert "no — advisory only" in out
    assert "dos man wedge   ·   dos verify   ·   dos arbitrate" in out


def test_man_wedge_json(dos: Run) -> None:
    _code, out, _ = dos("man", "wedge", "SELF_MODIFY", "--json")
    data = _one_json(out)
    assert set(data) == {"category", "fix", "key", "refusal", "schema", "section", "see_also",
                         "summary"}
    assert data["schema"] == {"family": "man", "version": 1}
    assert data["key"] == "SELF_MODIFY"


def test_man_wedge_unknown(dos: Run) -> None:
    code, out, err = dos("man", "wedge", "nope")
    assert code == 1
    assert out == ""
    assert err.startswith("UNCLASSIFIED — 'NOPE' is not in the active reason registry")


def test_man_lane(dos: Run) -> None:
    code, out, _ = dos("man", "lane")
    assert code == 0
    assert out.splitlines() == [f"{'docs':<16}concurrent", f"{'global':<16}exclusive",
                                f"{'legacy':<16}named", f"{'src':<16}concurrent",
                                f"{'tests':<16}concurrent"]
    code, out, _ = dos("man", "lane", "global")
    assert "EXCLUSIVITY runs alone" in out
    assert "TREE        (none declared)" in out
    code, out, _ = dos("man", "lane", "Code")
    assert code == 0
    assert "NAME        src" in out
    assert "ROUTED FROM Code" in out
    assert "concurrent-safe if tree-disjoint" in out
    code, out, _ = dos("man", "lane", "legacy")
    assert code == 0
    assert "UNKNOWN_LANE" in out
    assert "KIND        named" in out


def test_man_lane_unknown_and_json(dos: Run) -> None:
    code, out, _ = dos("man", "lane", "bogus")
    assert code == 1
    assert "not a lane in this workspace" in out
    code, out, _ = dos("man", "lane", "code", "--json")
    data = _one_json(out)
    assert code == 0
    assert data["name"] == "src"
    assert data["tree"] == ["src/**"]
    assert data["aliases"] == ["code"]
    assert data["autopick"] is True


def test_exit_code_contract_lists_the_new_verbs() -> None:
    assert exitcodes.contract("refuse") == {"ADVISORY": 1, "REFUSAL": 0, "UNCLASSIFIED": 1,
                                            "contract_error": 2}
    assert exitcodes.contract("man") == {"FOUND": 0, "UNKNOWN": 1, "contract_error": 2}
    assert exitcodes.contract("arbitrate")["STORE_UNREADABLE"] == 74


# ---- lease-lane, halt, id-alloc in text ----

def test_lease_lane_text_says_what_happened(dos: Run) -> None:
    code, out, _ = dos("lease-lane", "acquire", "--lane", "src", "--owner", "A")
    assert code == 0
    first, second = out.splitlines()
    assert first.startswith("ACQUIRE  lane 'src' free")
    assert second.startswith("  lease #1 on src held by A until ")
    code, out, _ = dos("lease-lane", "live")
    assert out.startswith("#1  src  held by A  exclusive  until ")
    code, out, _ = dos("lease-lane", "release", "--lane", "src", "--owner", "B")
    assert (code, out.split("  ")[0]) == (1, "NOT_RELEASED")
    code, out, _ = dos("lease-lane", "release", "--lane", "src", "--owner", "A")
    assert (code, out) == (0, "RELEASED  lease #1 on src (owner A)\n")
    assert dos("lease-lane", "live")[1] == "(no live leases)\n"


def test_halt_text_names_the_handle_and_the_command(dos: Run) -> None:
    code, out, _ = dos("halt", "--handle", "42", "--command", "kill -TERM 42")
    assert code == 0
    assert out.startswith("HALT  handle 42 recorded as journal seq ")
    assert out.splitlines()[1] == "  stop it with: kill -TERM 42"


def test_pretty_implies_indented_json(dos: Run) -> None:
    code, out, _ = dos("lease-lane", "live", "--pretty")
    assert (code, json.loads(out)) == (0, [])
    code, out, _ = dos("halt", "--handle", "h", "--pretty")
    assert out.startswith("{\n  ")
    assert json.loads(out)["schema"] == {"family": "halt", "version": 1}
