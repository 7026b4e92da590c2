"""Each test names a hole the reference had in admission, and shows it closed, end to end."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dos.admission.arbiter import arbitrate
from dos.admission.lease import Lease, LeaseRequest
from dos.cli import main
from dos.config import OverlapSettings, load_workspace_config

RIVERFLOW = """
[lanes]
concurrent = ["ingest", "serve"]
exclusive = ["train"]
autopick = ["ingest", "serve"]
[lanes.trees]
ingest = ["ingest/**"]
serve = ["serve/**"]
train = ["train/**", "models/**"]
[lanes.aliases]
frontend = "serve"
"""

Run = Callable[..., tuple[int, dict[str, Any] | str, str]]


@pytest.fixture
def make_dos(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Callable[[str], Run]:
    def make(toml: str) -> Run:
        root = tmp_path / "ws"
        root.mkdir(exist_ok=True)
        (root / "dos.toml").write_text(toml, encoding="utf-8")

        def run(*args: str) -> tuple[int, dict[str, Any] | str, str]:
            code = main(["--workspace", str(root), *args])
            captured = capsys.readouterr()
            try:
                return code, json.loads(captured.out), captured.err
            except json.JSONDecodeError:
                return code, captured.out, captured.err
        return run
    return make


def _leases(*leases: dict[str, Any]) -> str:
    return json.dumps(list(leases))


def test_exclusivity_survives_an_omitted_kind(make_dos: Callable[[str], Run]) -> None:
    """An exclusive lane taken without --kind still runs alone."""
    dos = make_dos(RIVERFLOW)
    code, held, _ = dos("lease-lane", "acquire", "--json", "--lane", "train", "--owner", "A")
    assert code == 0
    assert isinstance(held, dict)
    assert held["exclusive"] is True
    for args in (("--lane", "ingest", "--kind", "cluster"), ("--lane", "serve")):
        code, out, _ = dos("arbitrate", "--json", *args)
        assert code == 1
        assert isinstance(out, dict)
        assert out["reason_class"] == "EXCLUSIVE_LIVE"
    code, out, _ = dos("lease-lane", "acquire", "--json", "--lane", "ingest", "--kind", "cluster",
                       "--owner", "B")
    assert code == 1
    hand_written = _leases({"lease_id": 1, "lane": "train", "tree": ["zz/**"],
                            "lane_kind": ""})
    code, out, _ = dos("arbitrate", "--json", "--lane", "serve", "--leases", hand_written)
    assert code == 1
    assert isinstance(out, dict)
    assert out["reason_class"] == "EXCLUSIVE_LIVE"


def test_kind_never_decides_exclusivity(make_dos: Callable[[str], Run]) -> None:
    dos = make_dos(RIVERFLOW)
    code, out, _ = dos("arbitrate", "--json",
                       "--lane", "ingest", "--kind", "global", "--leases", "[]")
    assert code == 0
    assert isinstance(out, dict)
    assert out["lane"] == "ingest"
    assert out["exclusive"] is False


def test_a_named_lane_with_the_default_kind_is_honoured(make_dos: Callable[[str], Run]) -> None:
    dos = make_dos(RIVERFLOW)
    code, out, _ = dos("arbitrate", "--json", "--lane", "serve", "--leases", "[]")
    assert code == 0
    assert isinstance(out, dict)
    assert out["lane"] == "serve"
    assert out["auto_picked"] is False
    assert "busy" not in out["reason"]


@pytest.mark.parametrize("tree", [["serve/x.py", "", "", ""], [""], ["  "]])
def test_blank_tree_entries_are_rejected(make_dos: Callable[[str], Run], tree: list[str]) -> None:
    dos = make_dos(RIVERFLOW)
    held = _leases({"lease_id": 1, "lane": "serve", "tree": ["serve/**"]})
    code, out, err = dos("arbitrate", "--json",
                         "--lane", "ingest", "--tree", *tree, "--leases", held)
    assert code == 2
    assert out == ""
    assert "empty glob" in err


@pytest.mark.parametrize(("requested", "held"), [
    ("./serve/x.py", "serve/**"), ("a?b/x", "axb/**"), ("serve/[xy].py", "serve/x.py"),
])
def test_glob_normalisation_and_wildcards(make_dos: Callable[[str], Run], requested: str,
                                          held: str) -> None:
    dos = make_dos(RIVERFLOW)
    live = _leases({"lease_id": 1, "lane": "serve", "tree": [held]})
    code, out, _ = dos("arbitrate", "--json",
                       "--lane", "ingest", "--tree", requested, "--leases", live)
    assert code == 1
    assert isinstance(out, dict)
    assert out["reason_class"] == "TREE_OVERLAP"


def test_self_modify_cannot_be_bypassed_with_dot_slash(tmp_path: Path) -> None:
    root = tmp_path / "kernel"
    for rel in ("src/dos/arbiter.py", "src/dos/config.py"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("", encoding="utf-8")
    config = load_workspace_config(root)
    for tree in (("./src/dos/**",), ("SRC/DOS/Arbiter.py",), ("src/d*",), ("**",)):
        decision = arbitrate(LeaseRequest(lane="main", tree=tree), [], config)
        assert decision.reason_class == "SELF_MODIFY", tree
    tokens = arbitrate(LeaseRequest(lane="main", tree=("src/dos/tokens.py",)), [], config)
    assert tokens.acquired


def test_scope_gate_accepts_dot_slash(make_dos: Callable[[str], Run]) -> None:
    dos = make_dos(RIVERFLOW)
    code, out, _ = dos("scope-gate", "--lane", "serve", "--file", "./serve/x.py", "--json")
    assert code == 0
    assert isinstance(out, dict)
    assert out["verdict"] == "IN_SCOPE"


def test_morphology_does_not_disable_declared_reasons(make_dos: Callable[[str], Run]) -> None:
    dos = make_dos(RIVERFLOW + """
[reasons.LANE_PARKED_FOR_BUDGET]
category = "OPERATOR_GATE"
[[reasons.morphology]]
substring = "budget"
category = "OPERATOR_GATE"
""")
    code, out, _ = dos("man", "wedge")
    assert code == 0
    assert isinstance(out, str)
    assert "LANE_PARKED_FOR_BUDGET" in out
    code, out, _ = dos("refuse", "over budget today", "--json")
    assert code == 1
    assert isinstance(out, dict)
    assert out["category"] == "OPERATOR_GATE"


@pytest.mark.parametrize("kind", ["cluster", "keyword", ""])
def test_an_unknown_lane_is_a_usage_error_not_given_an_empty_tree(
        make_dos: Callable[[str], Run], kind: str) -> None:
    dos = make_dos(RIVERFLOW)
    code, out, err = dos("lease-lane", "acquire", "--json", "--lane", "bogus", "--kind", kind,
                         "--owner", "A")
    assert (code, out) == (2, "")
    assert "declared lanes: ingest, serve, train" in err
    code, out, _ = dos("lease-lane", "live", "--json")
    assert out == []


def test_aliases_route_everywhere(make_dos: Callable[[str], Run]) -> None:
    dos = make_dos(RIVERFLOW)
    code, out, _ = dos("arbitrate", "--json",
                       "--lane", "frontend", "--kind", "keyword", "--leases", "[]")
    assert code == 0
    assert isinstance(out, dict)
    assert out["lane"] == "serve"
    code, out, _ = dos("scope-gate", "--lane", "frontend", "--file", "serve/a.py", "--json")
    assert code == 0
    code, out, _ = dos("man", "lane", "frontend")
    assert code == 0
    assert isinstance(out, str)
    assert "NAME        serve" in out


def test_overlap_policy_is_checked_at_load_and_cannot_admit_overlap(
        make_dos: Callable[[str], Run], tmp_path: Path) -> None:
    dos = make_dos(RIVERFLOW + '[overlap]\npolicy = "bogus"\n')
    code, _out, err = dos("arbitrate", "--json", "--leases", "[]")
    assert code == 2
    assert "bogus" in err
    (tmp_path / "ws" / "dos.toml").write_text(RIVERFLOW + "[overlap]\nratio_max = 1.0\n",
                                              encoding="utf-8")
    live = _leases({"lease_id": 1, "lane": "serve", "tree": ["serve/**"]})
    code, out, _ = dos("arbitrate", "--json", "--lane", "ingest", "--tree", "serve/a.py", "k1/**",
                       "k2/**", "k3/**", "--leases", live)
    assert code == 1
    assert isinstance(out, dict)
    assert out["reason_class"] == "TREE_OVERLAP"
    (tmp_path / "ws" / "dos.toml").write_text(RIVERFLOW + "[overlap]\nratio_max = 0\n",
                                              encoding="utf-8")
    live = _leases({"lease_id": 1, "lane": "serve", "tree": ["serve/a.pyc"]})
    code, out, _ = dos("arbitrate", "--json", "--lane", "ingest", "--tree", "serve/a.py", "k1/**",
                       "k2/**", "k3/**", "--leases", live)
    assert code == 1
    assert isinstance(out, dict)
    assert out["reason_class"] == "OVERLAP_POLICY"


def test_an_unknown_policy_built_in_python_fails_closed(tmp_path: Path) -> None:
    config = load_workspace_config(tmp_path)
    config = type(config)(**{**config.__dict__, "overlap": OverlapSettings(policy="plugin-x")})
    live = [Lease(lease_id=1, lane="other", tree=("src/a.pyc",), holder="A")]
    decision = arbitrate(LeaseRequest(lane="main", tree=("src/a.py",)), live, config)
    assert decision.reason_class == "OVERLAP_POLICY"


def test_class_budgets_work_through_the_cli(make_dos: Callable[[str], Run],
                                            tmp_path: Path) -> None:
    dos = make_dos(RIVERFLOW)
    live = _leases({"lease_id": 1, "lane": "ingest", "tree": ["ingest/**"]})
    code, out, _ = dos("arbitrate", "--json", "--class-budget", "concurrent=1", "--leases", live)
    assert code == 1
    assert isinstance(out, dict)
    assert out["reason_class"] == "CLASS_BUDGET_EXHAUSTED"
    (tmp_path / "ws" / "dos.toml").write_text(
        RIVERFLOW + "[[concurrency_class]]\nname = \"serve\"\nmax_concurrent = 0\n",
        encoding="utf-8")
    code, out, _ = dos("arbitrate", "--json", "--lane", "serve", "--leases", "[]")
    assert code == 1
    assert isinstance(out, dict)
    assert out["reason_class"] == "CLASS_BUDGET_EXHAUSTED", "a budget of 0 is not unlimited"


def test_every_refusal_carries_its_reason_class(make_dos: Callable[[str], Run]) -> None:
    dos = make_dos(RIVERFLOW)
    cases = [
        (("--lane", "bogus"), "UNKNOWN_LANE"),
        (("--lane", "train", "--leases",
          _leases({"lease_id": 1, "lane": "serve", "tree": ["serve/**"]})),
         "EXCLUSIVE_LANE_BUSY"),
    ]
    for args, expected in cases:
        code, out, _ = dos("arbitrate", "--json", *args)
        assert code == 1
        assert isinstance(out, dict)
        assert out["reason_class"] == expected


def test_scope_gate_fails_closed(make_dos: Callable[[str], Run],
                                 git_repo: Callable[..., Any]) -> None:
    repo = git_repo()
    repo.commit("base", {"dos.toml": RIVERFLOW, "serve/a.py": "x\n"})
    repo.write("ingest/b.py")
    code = main(["--workspace", str(repo.path), "scope-gate", "--lane", "serve"])
    assert code == 6, "the default mode sees the working tree, not an empty HEAD..HEAD"
    code = main(["--workspace", str(repo.path), "scope-gate", "--lane", "serve", "--base",
                 "no-such-ref"])
    assert code == 2
    code = main(["--workspace", str(repo.path), "scope-gate", "--lane", "serve", "--file",
                 "serve/a.py", "--file", "ingest/cli.py"])
    assert code == 5, "cli.py in another lane is not shared infrastructure"


def test_refusal_texts_are_truthful(make_dos: Callable[[str], Run]) -> None:
    dos = make_dos('[lanes]\nconcurrent = ["src"]\n[lanes.trees]\nsrc = ["src/**"]\n')
    code, out, _ = dos("arbitrate", "--json", "--leases", "[]")
    assert code == 1
    assert isinstance(out, dict)
    assert out["reason_class"] == "NO_AUTOPICK_LANE"
    assert "held" not in out["reason"]
    code, out, _ = dos("arbitrate", "--leases", "[]", "--output", "plain")
    assert isinstance(out, str)
    assert "busy" not in out


def test_self_modify_refusal_does_not_suggest_another_lane(tmp_path: Path) -> None:
    (tmp_path / "src" / "dos").mkdir(parents=True)
    (tmp_path / "src" / "dos" / "arbiter.py").write_text("", encoding="utf-8")
    decision = arbitrate(LeaseRequest(lane="main"), [], load_workspace_config(tmp_path))
    assert decision.reason_class == "SELF_MODIFY"
    assert "free" not in decision.reason.casefold()
    assert "held" not in decision.reason


def test_lane_names_compare_folded(make_dos: Callable[[str], Run]) -> None:
    dos = make_dos('[lanes]\nconcurrent = ["Docs", "Src"]\nautopick = ["Docs", "Src"]\n'
                   '[lanes.trees]\nDocs = ["docs/**"]\nSrc = ["src/**"]\n')
    live = _leases({"lease_id": 1, "lane": "docs", "tree": ["docs/**"]})
    code, out, _ = dos("arbitrate", "--json", "--leases", live)
    assert code == 0
    assert isinstance(out, dict)
    assert out["lane"] == "Src"
    assert out["free_clusters"] == ["Src"]
    code, out, _ = dos("arbitrate", "--json", "--lane", "DOCS", "--leases", live)
    assert code == 1
