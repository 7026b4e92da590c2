"""Golden case files of the overlap, intervention, tool-stream and precursor harnesses,
run end to end through `dos` in a real git workspace: each ``X.expect.json`` names its case file
(``X.jsonl`` unless it says), extra flags, an optional dos.toml addition, the exit code
and a subset of the ``--json`` answer (or a piece of the error)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from tests._support.fuzz import DOS_TOML, make_workspace, run_dos

CASES = Path(__file__).resolve().parents[1] / "cases" / "eval"
VERBS = {"overlap": "overlap-eval", "intervention": "intervention-eval",
         "tool_stream": "tool-stream-eval", "precursor": "precursor-gate-eval"}
GOLDEN = sorted(path for folder in VERBS for path in (CASES / folder).glob("*.expect.json"))


def _subset(expected: Any, actual: Any, where: str = "") -> None:
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: {actual!r}"
        for key, value in expected.items():
            assert key in actual, f"{where}.{key} missing from {sorted(actual)}"
            _subset(value, actual[key], f"{where}.{key}")
    elif isinstance(expected, float):
        assert actual == pytest.approx(expected, abs=1e-4), where
    else:
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"


@pytest.mark.parametrize("golden", GOLDEN, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_golden(golden: Path, tmp_path: Path) -> None:
    spec = json.loads(golden.read_text(encoding="utf-8"))
    name = spec.get("cases", golden.name.split(".", 1)[0] + ".jsonl")
    root = tmp_path / "ws"
    root.mkdir()
    make_workspace(root)
    if "dos_toml" in spec:
        (root / "dos.toml").write_text(DOS_TOML + "\n" + spec["dos_toml"], encoding="utf-8")
    shutil.copy(golden.parent / name, root / name)
    ran = run_dos(["--workspace", str(root), "--json", VERBS[golden.parent.name],
                   "--cases", name, *spec["argv"]], cwd=root)
    assert ran.code == spec["exit"], ran.err or ran.out
    if "stderr" in spec:
        assert spec["stderr"] in ran.err
        assert ran.out == ""
        return
    _subset(spec["json"], json.loads(ran.out), golden.stem)


def test_every_case_file_is_used() -> None:
    named = {golden.parent / json.loads(golden.read_text(encoding="utf-8")).get(
        "cases", golden.name.split(".", 1)[0] + ".jsonl") for golden in GOLDEN}
    assert set(CASES.glob("*/*.jsonl")) - set(CASES.glob("judge/*.jsonl")) <= named
