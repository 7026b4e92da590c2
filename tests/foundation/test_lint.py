"""`dos lint`: escaping trees are errors, and the overlap check is linear in the lanes."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest
from tests._support.truth import run_cli

from dos import lint as lint_module
from dos import structs
from dos.config import LaneTaxonomy, SubstrateConfig, default_config
from dos.lint import lint


def _config(root: Path, trees: dict[str, tuple[str, ...]]) -> SubstrateConfig:
    lanes = LaneTaxonomy(concurrent=tuple(trees), exclusive=(), autopick=(), trees=trees,
                         aliases={})
    return structs.replace(default_config(root), lanes=lanes)


@pytest.mark.parametrize("glob", ["../**", "/etc/**", "src/../../outside/**"])
def test_a_tree_escaping_the_workspace_is_an_error(
        glob: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "dos.toml").write_text(
        f'[lanes]\nconcurrent = ["src"]\n[lanes.trees]\nsrc = ["{glob}"]\n', encoding="utf-8")
    code, out, _ = run_cli(capsys, ["--workspace", str(tmp_path), "lint"])
    assert code == 1
    assert out.startswith("[error] TREE_ESCAPES_WORKSPACE 'src':")


def test_a_tree_inside_the_workspace_is_not_flagged(tmp_path: Path) -> None:
    config = _config(tmp_path, {"src": ("src/../lib/**", f"{tmp_path}/src/**")})
    assert [f.kind for f in lint(config)] == []


_TRICKY = {
    "py": ("**/*.py",), "src": ("src/**",), "srcdocs": ("src/docs/**",),
    "shout": ("SRC/x/**",), "klass": ("[s]rc/**",), "docs": ("docs",), "md": ("docs/*.md",),
    "deep": ("a/b/c/**",), "mid": ("a/**/c",), "other": ("other/**", "b/**"),
}


def _all_pairs(config: SubstrateConfig) -> list[tuple[str, str, str]]:
    trees = {lane: tuple(globs) for lane, globs in config.lanes.trees.items()}
    found = []
    for first, second in combinations(sorted(trees), 2):
        finding = lint_module._overlap_finding(first, second, trees[first], trees[second])
        if finding is not None:
            found.append((finding.kind, finding.subject, finding.detail))
    return sorted(found)


def test_the_index_finds_exactly_what_all_pairs_find(tmp_path: Path) -> None:
    config = _config(tmp_path, _TRICKY)
    indexed = sorted((f.kind, f.subject, f.detail) for f in lint_module._overlap_findings(config))
    assert indexed == _all_pairs(config)
    assert len(indexed) >= 8  # the table really overlaps


def test_two_thousand_disjoint_lanes_need_no_pairwise_check(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = lint_module.globs_overlap
    monkeypatch.setattr(lint_module, "globs_overlap",
                        lambda a, b: calls.append(1) or real(a, b))
    trees = {f"lane{i}": (f"pkg/lane{i}/**", f"docs/lane{i}.md") for i in range(2000)}
    trees["shared"] = ("pkg/lane7/sub/**",)
    assert [f.kind for f in lint(_config(tmp_path, trees))] == ["LANE_REGION_SHADOWED"]
    assert len(calls) == 1  # only the one pair whose heads nest


@pytest.mark.parametrize(("table", "found"), [
    ("repeat_n = 3\nstall_n = 5\n", []),
    ("repeat_n = 4\nstall_n = 4\n", ["TOOL_STREAM_STALL_NOT_AFTER_REPEAT"]),
    ("repeat_n = 6\n", ["TOOL_STREAM_STALL_NOT_AFTER_REPEAT"]),  # over the default stall_n 5
], ids=["ordered", "equal", "repeat-over-default-stall"])
def test_a_stall_threshold_not_above_the_repeat_threshold_is_a_warning(
        table: str, found: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "dos.toml").write_text(f"[tool_stream]\n{table}", encoding="utf-8")
    code, out, _ = run_cli(capsys, ["--workspace", str(tmp_path), "lint", "--strict"])
    kinds = [line.split()[1] for line in out.splitlines() if line.startswith("[")]
    assert kinds == found
    assert code == (1 if found else 0)
