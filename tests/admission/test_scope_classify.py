"""The pure scope classifier: containment, tolerance, and what the verdict carries."""

from __future__ import annotations

from dos.admission.scope import ScopeEvidence, ScopePolicy, classify
from dos.verdicts.scope import ScopeToken


def _judge(files: list[str], tree: tuple[str, ...] = ("src/**",),
           policy: ScopePolicy | None = None) -> tuple[ScopeToken, tuple[str, ...], str]:
    verdict = classify(ScopeEvidence("src", tuple(files), tree), policy)
    return verdict.verdict, verdict.out_of_scope_files, verdict.reason


def test_inside_outside_and_nothing_inside() -> None:
    assert _judge(["src/a.py"])[0] is ScopeToken.IN_SCOPE
    assert _judge(["src/a.py", "docs/x.md"])[:2] == (ScopeToken.SCOPE_CREEP, ("docs/x.md",))
    assert _judge(["docs/x.md"])[0] is ScopeToken.WRONG_TARGET


def test_real_glob_semantics() -> None:
    assert _judge(["src/a.py"], ("src/*.py",))[0] is ScopeToken.IN_SCOPE
    assert _judge(["src/sub/a.py"], ("src/*.py",))[0] is ScopeToken.WRONG_TARGET
    assert _judge(["src2/a.py"], ("src",))[0] is ScopeToken.WRONG_TARGET
    assert _judge(["src/a/b.py"], ("src",))[0] is ScopeToken.IN_SCOPE


def test_no_tree_is_an_unknown_blast_radius() -> None:
    token, out, reason = _judge(["src/a.py"], ())
    assert token is ScopeToken.WRONG_TARGET
    assert out == ("src/a.py",)
    assert "unknown blast radius" in reason


def test_empty_footprint_is_in_scope() -> None:
    token, _out, reason = _judge([])
    assert token is ScopeToken.IN_SCOPE
    assert "empty footprint" in reason


def test_shared_infra_only_at_root_or_in_the_lanes_directory() -> None:
    assert _judge(["src/a.py", "config.py", "CLI.PY"])[0] is ScopeToken.IN_SCOPE
    assert _judge(["src/a.py", "docs/cli.py"])[1] == ("docs/cli.py",)
    tree = ("pkg/api/handlers_*.py",)
    assert _judge(["pkg/api/handlers_a.py", "pkg/api/__init__.py"], tree)[0] \
        is ScopeToken.IN_SCOPE
    assert _judge(["pkg/api/handlers_a.py", "pkg/other/__init__.py"], tree)[0] \
        is ScopeToken.SCOPE_CREEP


def test_tolerance_can_be_switched_off_and_creep_allowed() -> None:
    strict = ScopePolicy(allow_shared_infra=False)
    assert _judge(["src/a.py", "config.py"], policy=strict)[0] is ScopeToken.SCOPE_CREEP
    lenient = ScopePolicy(creep_tolerance=1)
    assert _judge(["src/a.py", "docs/x.md"], policy=lenient)[0] is ScopeToken.IN_SCOPE


def test_reason_lists_at_most_five_files() -> None:
    files = ["src/a.py", *(f"docs/{n}.md" for n in range(7))]
    _token, out, reason = _judge(files)
    assert len(out) == 7
    assert reason.endswith(" …")
    assert reason.count("docs/") == 5


def test_to_dict_shape() -> None:
    verdict = classify(ScopeEvidence("src", ("src/b.py", "docs/x.md"), ("src/**",)))
    data = verdict.to_dict()
    assert data["allowed"] is False
    assert data["verdict"] == "SCOPE_CREEP"
    assert data["refused_files"] == ["docs/x.md"]
    assert data["scope"]["evidence"] == {"lane": "src", "touched_files": ["docs/x.md", "src/b.py"],
                                         "lane_tree": ["src/**"]}
    assert data["scope"]["in_scope_files"] == ["src/b.py"]
    assert verdict.exit_code == 5
