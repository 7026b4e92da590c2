"""The pre-effect gates against their golden tables (tests/cases/gates/*.toml): every row
through the api function and through the CLI verb (in-process), which must agree; the
answer-shape rows also within the issue's 100 ms per pattern."""

from __future__ import annotations

import json
import time
import tomllib
from pathlib import Path
from typing import Any

import pytest
from tests.gates.conftest import Dos

from dos.api import gates_classify
from dos.config import SubstrateConfig, load_workspace_config
from dos.gates.regex_budget import search_timed

CASE_DIR = Path(__file__).resolve().parents[1] / "cases" / "gates"
PATTERN_LIMIT_S = 0.100  # the issue's contract: each hostile pattern done within 100 ms
CLI_TEXT_LIMIT = 10_000  # longer outputs go through the api only


def _cases(stem: str) -> list[Any]:
    data = tomllib.loads((CASE_DIR / f"{stem}.toml").read_text(encoding="utf-8"))
    return [pytest.param(case, id=case.get("name") or repr(case["command"]))
            for case in data["case"]]


def test_the_tables_are_as_large_as_the_issue_asks() -> None:
    assert len(_cases("exec_capability")) >= 40
    assert len(_cases("arg_provenance")) >= 20
    commands = {case.values[0]["command"] for case in _cases("exec_capability")}
    listed = {"ls; python -c 1", "cat x | bash", "echo $(python -c 1)", "node.exe app.js",
              "C:\\Python\\python.exe -c 1", '"bash" -c x', "(bash -c x)", "env -i python",
              "nice -n 5 bash", "timeout 5 bash", "FOO-BAR=1 python", "uv run script.py",
              "pip install evil", "make all", "docker run --rm alpine sh",
              "git -c core.pager=sh log", "java -jar tool.jar", "sudo"}
    assert listed <= commands  # loops.md §14's list, each of §22 item 21's kinds


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> SubstrateConfig:
    return load_workspace_config(tmp_path_factory.mktemp("gate-tables"))


def _cli(dos: Dos, config: SubstrateConfig, *argv: str) -> tuple[int, dict[str, Any]]:
    ran = dos("--workspace", str(config.root), "--json", *argv)
    assert ran.err == "", ran.err
    return ran.code, ran.json


@pytest.mark.parametrize("case", _cases("exec_capability"))
def test_exec_capability(case: dict[str, Any], config: SubstrateConfig, dos: Dos) -> None:
    extra, allow = case.get("extra", []), case.get("allow", [])
    verdict = gates_classify.exec_capability(config, command=case["command"], extra=extra,
                                             allow=allow)
    assert verdict.capability.value == case["expect"], verdict.reason
    if "program" in case:
        assert verdict.program == case["program"], verdict.reason
    flags = [word for name in extra for word in ("--extra", name)] + [
        word for name in allow for word in ("--allow", name)]
    code, payload = _cli(dos, config, "exec-capability", "--command", case["command"], *flags)
    assert (code, payload["capability"]) == (verdict.capability.exit_code, case["expect"])
    assert payload["reason"] == verdict.reason


def _provenance_args(case: dict[str, Any]) -> dict[str, Any]:
    return json.loads(case["args_json"]) if "args_json" in case else case["args"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("case", _cases("arg_provenance"))
def test_arg_provenance(case: dict[str, Any], config: SubstrateConfig, dos: Dos) -> None:
    args = _provenance_args(case)
    verdict = gates_classify.arg_provenance(
        config, tool=case["tool"], args=args, priors=case.get("priors", []),
        task_text=case.get("task_text", ""), new_keys=case.get("new_keys", []),
        read=case.get("read", False), write=case.get("write", False))
    payload = verdict.to_dict()
    assert payload["verdict"] == case["expect"], payload
    if "mutating" in case:
        assert payload["mutating"] is case["mutating"], payload["mutating_reason"]
    if "unsupported" in case:
        assert payload["unsupported"] == case["unsupported"], payload
    stances = {row["arg_name"]: row["stance"] for row in payload["args"]}
    for name, stance in case.get("stances", {}).items():
        assert stances[name] == stance, payload
    argv = ["arg-provenance", "--tool", case["tool"], "--args", json.dumps(args),
            "--task-text", case.get("task_text", "")]
    argv += [word for prior in case.get("priors", []) for word in ("--prior", prior)]
    argv += [word for key in case.get("new_keys", []) for word in ("--new-key", key)]
    argv += ["--read"] * case.get("read", False) + ["--write"] * case.get("write", False)
    code, cli = _cli(dos, config, *argv)
    assert code == verdict.verdict.exit_code
    assert cli["verdict"] == case["expect"]
    assert cli["unsupported"] == payload["unsupported"]


def _output(case: dict[str, Any]) -> str:
    return str(case.get("text", "") + case.get("unit", "") * case.get("repeat", 0)
               + case.get("tail", ""))


@pytest.mark.parametrize("case", _cases("answer_shape"))
def test_answer_shape(case: dict[str, Any], config: SubstrateConfig, dos: Dos) -> None:
    text = _output(case)
    non_answer, markers = case.get("non_answer", []), case.get("markers", [])
    budget_ms = case.get("budget_ms", 50)
    started = time.perf_counter()
    verdict = gates_classify.answer_shape(config, text=text, non_answer=non_answer,
                                          markers=markers, budget_ms=budget_ms)
    elapsed = time.perf_counter() - started
    assert verdict.state.value == case["expect"], verdict.reason
    assert set(verdict.timed_out) == set(case.get("timed_out", [])), verdict.reason
    if "matched" in case:
        assert verdict.matched == case["matched"], verdict.reason
    if not non_answer and not markers:  # built-ins only: no worker, the whole call counts
        assert elapsed < PATTERN_LIMIT_S, f"{elapsed * 1000:.0f} ms"
    else:  # each pattern's own time, the worker's start-up excluded
        timed = search_timed([*non_answer, *markers], text, budget_ms / 1000)
        slow = {p: f"{s * 1000:.0f} ms" for p, (_, s) in timed.items() if s >= PATTERN_LIMIT_S}
        assert not slow, slow
        assert {p for p, (got, _) in timed.items() if got == "timeout"} == set(
            verdict.timed_out)
    if len(text) <= CLI_TEXT_LIMIT:
        argv = ["answer-shape", "--text", text, "--budget-ms", str(budget_ms)]
        argv += [word for p in non_answer for word in ("--non-answer", p)]
        argv += [word for p in markers for word in ("--markers", p)]
        code, payload = _cli(dos, config, *argv)
        assert (code, payload["state"]) == (verdict.state.exit_code, case["expect"])
        assert payload["timed_out"] == list(verdict.timed_out)
