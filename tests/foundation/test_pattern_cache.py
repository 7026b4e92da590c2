"""Patterns rebuilt from the cache behave as re.compile's, on generated text; a second
dos verify rebuilds every stamp pattern without importing re; a torn, foreign or
tampered cache file changes no answer; the file stays bounded."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests._support.git import GitRepo

from dos import pattern_cache
from dos.truth.plan_source import plan_documents

# Patterns of the kinds dos compiles: stamps (flags, lookarounds, lazy repeats), reverts
# (groups), plan documents (named groups, MULTILINE, DOTALL), Unicode classes.
PATTERNS = [
    (r"^(?:[A-Za-z0-9_][\w.\-]*/)?(?:AUTH)\s*:\s*(?:(?:phase\s*)?[A-Za-z]*\d[\w.'\-]*"
     r"\s*(?:[,+&]|\band\b)\s*)*?(?:Phase\s*1|AUTH\s*1|AUTH1|1)"
     r"(?![A-Za-z0-9_]|[.'\-][A-Za-z0-9])", re.IGNORECASE | re.ASCII),
    (r"(?<![A-Za-z0-9_.\-'])(?:AUTH\s*:?\s*1|AUTH1)(?![A-Za-z0-9_])", re.IGNORECASE | re.ASCII),
    (r"this reverts commit ([0-9a-f]{7,64})", re.IGNORECASE),
    (r'^(Revert|Reapply) "(.*)"\s*$', 0),
    (r"^\s*id:\s*(?P<id>[A-Za-z0-9_\-]+)\s*$", re.MULTILINE),
    (r"<!--.*?-->", re.DOTALL),
    (r"\bSHIPPED\b|\u2705", 0),
    (r"[a-z0-9]+", 0),
    (r"[\s\-_]+", 0),
    (r"(?P<a>x)(?P<b>y)?(?P=a)", 0),
]

# ASCII stamp text, and letters that fold onto ASCII under IGNORECASE (long s, Kelvin).
_TEXT = st.text(alphabet=st.sampled_from([*"AUTHauth1 2:.-_'/,&\"\n<!->xyzRevr\t", "\u00e9",
                                          "\u2705", "\u017f", "\u212a"]), max_size=60)


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache file under ``tmp_path``, fresh process state, restored afterwards."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("DOS_NO_PATTERN_CACHE", raising=False)
    for name, value in (("_ON", [False]), ("_FILE", []), ("_KEPT", []), ("_NEW", {}),
                        ("_MEMO", {})):
        monkeypatch.setattr(pattern_cache, name, value)
    return tmp_path / "cache" / "dos"


def _fresh_process_state() -> None:
    """What a new process starts with (the file stays)."""
    pattern_cache._MEMO.clear()
    pattern_cache._KEPT.clear()
    pattern_cache._NEW.clear()


def test_flag_values_and_escape_are_re_s() -> None:
    assert (pattern_cache.IGNORECASE, pattern_cache.MULTILINE, pattern_cache.DOTALL,
            pattern_cache.ASCII) == (re.IGNORECASE, re.MULTILINE, re.DOTALL, re.ASCII)


@settings(max_examples=300)
@given(st.text())
def test_escape_is_re_escape(text: str) -> None:
    assert pattern_cache.escape(text) == re.escape(text)


def _rebuilt_pair(cache_dir: Path) -> list[tuple[re.Pattern[str], re.Pattern[str]]]:
    pattern_cache.use_file()
    for source, flags in PATTERNS:
        pattern_cache.compile(source, flags)
    pattern_cache.save()
    assert len(pattern_cache._entries()) == len(PATTERNS)
    _fresh_process_state()
    pairs = []
    for source, flags in PATTERNS:
        entry = pattern_cache._entries()[pattern_cache._key(source, flags)]
        rebuilt = pattern_cache._rebuilt(source, entry)
        assert rebuilt is not None
        pairs.append((rebuilt, re.compile(source, flags)))
    return pairs


def test_a_rebuilt_pattern_is_the_compiled_one(cache_dir: Path) -> None:
    for rebuilt, compiled in _rebuilt_pair(cache_dir):
        assert (rebuilt.pattern, rebuilt.flags, rebuilt.groups, dict(rebuilt.groupindex)) \
            == (compiled.pattern, compiled.flags, compiled.groups, dict(compiled.groupindex))


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(_TEXT, min_size=1, max_size=5))
def test_a_rebuilt_pattern_matches_as_the_compiled_one(
        tmp_path_factory: pytest.TempPathFactory, texts: list[str]) -> None:
    base = tmp_path_factory.mktemp("rebuilt")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(base))
        for name, value in (("_ON", [False]), ("_FILE", []), ("_KEPT", []), ("_NEW", {}),
                            ("_MEMO", {})):
            patch.setattr(pattern_cache, name, value)
        pairs = _rebuilt_pair(base)
    for rebuilt, compiled in pairs:
        for text in texts:
            for method in ("match", "search", "fullmatch"):
                ours, theirs = getattr(rebuilt, method)(text), getattr(compiled, method)(text)
                assert (ours and (ours.span(), ours.groups(), ours.groupdict())) == (
                    theirs and (theirs.span(), theirs.groups(), theirs.groupdict()))
            assert rebuilt.findall(text) == compiled.findall(text)
            assert rebuilt.sub("_", text) == compiled.sub("_", text)


@pytest.mark.parametrize("damage", [
    lambda _: "",
    lambda text: text[: len(text) // 2],
    lambda text: text.replace("dos-patterns 1", "dos-patterns 9"),
    lambda text: text.replace("3.", "2.", 1),
    lambda text: "\n".join(line.replace(",", ",99999,", 1) for line in text.split("\n")),
    lambda text: "\n".join(line.replace("\t", "\tx", 1) for line in text.split("\n")),
    lambda text: "\n".join(line.replace(",", ",4294967296,", 1) for line in text.split("\n")),
    lambda text: text + "\n\x00\t\t\t\n" + "\t" * 5000,
])
def test_a_damaged_cache_answers_as_re_compile(
        cache_dir: Path, damage: Callable[[str], str]) -> None:
    pattern_cache.use_file()
    for source, flags in PATTERNS:
        pattern_cache.compile(source, flags)
    pattern_cache.save()
    (path,) = cache_dir.iterdir()
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    _fresh_process_state()
    for source, flags in PATTERNS:
        got = pattern_cache.compile(source, flags)
        want = re.compile(source, flags)
        assert (got.pattern, got.flags, got.groups) == (want.pattern, want.flags, want.groups)
        for text in ("AUTH1: x", "auth: 1 and 2", 'Revert "x"', "id: a-b\n", "<!-- a -->",
                     "This Reverts Commit abcdef0"):
            ours, theirs = got.search(text), want.search(text)
            assert (ours and ours.group(0)) == (theirs and theirs.group(0))


def test_the_file_keeps_the_newest_entries_only(
        cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pattern_cache, "MAX_ENTRIES", 5)
    pattern_cache.use_file()
    for index in range(8):
        pattern_cache.compile(f"a{index}b")
    pattern_cache.save()
    _fresh_process_state()
    assert sorted(pattern_cache._entries()) == sorted(
        pattern_cache._key(f"a{index}b", 0) for index in range(3, 8))


def test_no_file_without_use_file_or_when_switched_off(
        cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pattern_cache.compile("x+y")
    pattern_cache.save()
    assert not cache_dir.exists()
    monkeypatch.setenv("DOS_NO_PATTERN_CACHE", "1")
    pattern_cache.use_file()
    pattern_cache.compile("x+z")
    pattern_cache.save()
    assert not cache_dir.exists()


# Reports, as the process ends, whether re was ever really loaded.
_PROBE_SITE = """\
import atexit, os, sys
def _report():
    deferred = sys.modules.get("dos.deferred_imports")
    loaded = deferred is None or not deferred.is_deferred("re")
    os.write(2, ("\\nRE-LOADED %s\\n" % loaded).encode())
atexit.register(_report)
"""


def test_a_second_verify_rebuilds_its_patterns_without_re(
        git_repo: Callable[..., GitRepo], tmp_path: Path) -> None:
    repo = git_repo()
    repo.commit("AUTH1: ship it", {"src/a.py": "x\n"})
    repo.commit('Revert "nothing"', {"src/b.py": "y\n"}, body="This reverts commit 0000000.")
    (repo.path / ".dos").mkdir()
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(_PROBE_SITE, encoding="utf-8")
    cache = tmp_path / "cache"
    env = {**os.environ, "PYTHONPATH": str(site), "XDG_CACHE_HOME": str(cache)}

    def verify() -> tuple[int, str, bool]:
        done = subprocess.run([sys.executable, "-m", "dos", "verify", "AUTH", "AUTH1"],
                              cwd=repo.path, env=env, capture_output=True, text=True,
                              check=False)
        return done.returncode, done.stdout, "RE-LOADED True" in done.stderr

    first = verify()
    assert first[0] == 0
    assert first[2]  # compiled afresh: re was needed, and the patterns were kept
    assert list((cache / "dos").iterdir())
    second = verify()
    assert second == (first[0], first[1], False)
    (path,) = (cache / "dos").iterdir()
    path.write_text("dos-patterns 1 torn", encoding="utf-8")
    assert verify()[:2] == first[:2]  # a torn file: re compiles, the answer stands


@pytest.mark.parametrize("layout", [
    [], ["docs/a-plan.md"], ["docs/x/y/b-plan.md", "docs/c.md"], ["docs"],
    ["plans/a-plan.md"], ["docs/.hidden-plan.md"],
])
@pytest.mark.parametrize("pattern", [
    "docs/**/*-plan.md", "docs/*-plan.md", "**/*-plan.md", "*/x/*-plan.md",
    "docs/x/y/*-plan.md", "plans/a-plan.md",
])
def test_plan_documents_list_what_pathlib_globs(
        tmp_path: Path, layout: list[str], pattern: str) -> None:
    for name in layout:
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("x\n", encoding="utf-8")
    expected = sorted(p for p in tmp_path.glob(pattern) if p.is_file())
    assert plan_documents(tmp_path, pattern) == expected
