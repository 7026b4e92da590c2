"""The path and glob algebra: normalisation, glob semantics, a sound overlap test."""

from __future__ import annotations

import fnmatch
import itertools
import os
import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dos.admission.tree import (
    globs_overlap,
    literal_prefix,
    matches,
    normalize_glob,
    normalize_path,
    normalize_tree,
    prefixes_collide,
    tree_contains,
)
from dos.errors import UsageError

ROOT = Path("/work/space")


@pytest.mark.parametrize(("raw", "expected"), [
    ("./src/a.py", "src/a.py"),
    ("src//a.py", "src/a.py"),
    ("src/x/../a.py", "src/a.py"),
    ("src\\api\\a.py", "src/api/a.py"),
    ("src/api/", "src/api"),
    ("  src/a.py  ", "src/a.py"),
    ("/work/space/src/a.py", "src/a.py"),
    ("/work/space/./src/../docs/b.md", "docs/b.md"),
])
def test_normalize_path(raw: str, expected: str) -> None:
    assert normalize_path(raw, ROOT) == expected


@pytest.mark.parametrize(("raw", "fragment"), [
    ("", "empty"), ("   ", "empty"), ("../x", "escapes"), ("src/../../x", "escapes"),
    ("/elsewhere/x.py", "outside the workspace"), ("/work/spacex/a", "outside the workspace"),
    (".", "workspace root"), ("/work/space", "workspace root"),
])
def test_normalize_path_rejects_with_a_clear_message(raw: str, fragment: str) -> None:
    with pytest.raises(UsageError, match=fragment) as caught:
        normalize_path(raw, ROOT)
    assert caught.value.exit_code == 2


def test_absolute_path_through_a_symlinked_root(tmp_path: Path) -> None:
    real = tmp_path / "real"
    (real / "src").mkdir(parents=True)
    link = tmp_path / "link"
    link.symlink_to(real)
    assert normalize_path(str(real / "src" / "a.py"), link, resolve=os.path.realpath) == "src/a.py"


@pytest.mark.parametrize(("raw", "expected"), [
    ("./src/**", "src/**"), ("src/**/", "src/**"), ("src/**/**/*.py", "src/**/*.py"),
    ("docs\\UI-*", "docs/UI-*"), ("/src/**", "src/**"), ("a?b/[!x]*", "a?b/[!x]*"),
    ("src/./x/../y/*", "src/y/*"),
])
def test_normalize_glob_keeps_glob_syntax(raw: str, expected: str) -> None:
    assert normalize_glob(raw) == expected


def test_normalize_glob_relativises_under_a_root() -> None:
    assert normalize_glob("/work/space/src/**", ROOT) == "src/**"
    with pytest.raises(UsageError, match="outside the workspace"):
        normalize_glob("/etc/**", ROOT)
    with pytest.raises(UsageError, match="Windows"):
        normalize_glob("C:/src/**")
    with pytest.raises(UsageError, match="escapes"):
        normalize_glob("../**")
    with pytest.raises(UsageError, match="empty"):
        normalize_glob(" ")


def test_normalize_tree_drops_duplicates_and_rejects_blanks() -> None:
    assert normalize_tree(["src/**", "./src/**", "docs/*"]) == ("src/**", "docs/*")
    with pytest.raises(UsageError, match="empty"):
        normalize_tree(["src/x.py", "", ""])
    with pytest.raises(UsageError, match="list of globs"):
        normalize_tree("src/**")  # type: ignore[arg-type]


@pytest.mark.parametrize(("path", "glob", "expected"), [
    ("src/a.py", "src/*.py", True),
    ("src/api/a.py", "src/*.py", False),
    ("src/api/a.py", "src/**/*.py", True),
    ("src/a.py", "src/**/*.py", True),
    ("a.py", "**/*.py", True),
    ("src", "src/**", True),
    ("src/a/b/c", "src", True),
    ("src2/a", "src", False),
    ("axb/c", "a?b/**", True),
    ("ab/c", "a?b/**", False),
    ("abc", "a[bc]c", True),
    ("axc", "a[!x]c", False),
    ("ayc", "a[!x]c", True),
    ("a[b", "a[b", True),
    ("SRC/X.py", "src/**", True),
    ("docs/UI-main.md", "docs/UI-*", True),
    ("docs/SVC-main.md", "docs/UI-*", False),
    ("x/VERSION", "**/VERSION", True),
    ("x/VERSION.txt", "**/VERSION", False),
])
def test_matches(path: str, glob: str, expected: bool) -> None:
    assert matches(path, glob) is expected


@pytest.mark.parametrize(("a", "b", "expected"), [
    (["docs/UI-*"], ["docs/SVC-*"], False),
    (["**/VERSION"], ["src/**"], True),
    (["**/VERSION"], ["VERSION"], True),
    (["app/**/*"], ["service/**/*"], False),
    (["src/**"], ["src2/**"], False),
    (["src/**"], ["src"], True),
    (["src/api/**"], ["src/**"], True),
    (["Src/**"], ["src/**"], True),
    (["./src/**"], ["src/**"], True),
    (["a?b/**"], ["axb/**"], True),
    (["a[bc]/d"], ["ab/d"], True),
    (["a[bc]/d"], ["ad/d"], False),
    (["[a-c]x"], ["[d-f]x"], False),
    (["[a-c]x"], ["[c-f]x"], True),
    (["a[!x]c"], ["axc"], False),
    (["*.py"], ["*.md"], False),
    (["src/a.py"], ["src/a.pyc"], False),
    (["**"], ["anything/at/all"], True),
    ([], ["src/**"], True),
])
def test_globs_overlap_examples(a: list[str], b: list[str], expected: bool) -> None:
    left = [normalize_glob(g) for g in a]
    right = [normalize_glob(g) for g in b]
    assert globs_overlap(left, right) is expected
    assert globs_overlap(right, left) is expected


@pytest.mark.parametrize(("outer", "inner", "expected"), [
    (["src/**"], ["src/api/**"], True),
    (["src/**"], ["src/api/*.py"], True),
    (["src/api/**"], ["src/**"], False),
    (["src/*.py"], ["src/a.py"], True),
    (["src/**"], ["src/**"], True),
    (["docs/**"], ["src/**"], False),
    (["**"], ["a/b", "c/*"], True),
    (["src/**"], [], False),
])
def test_tree_contains(outer: list[str], inner: list[str], expected: bool) -> None:
    assert tree_contains(outer, inner) is expected


def test_literal_prefix_cuts_at_every_wildcard() -> None:
    assert literal_prefix("Docs/UI-*") == "docs/ui-"
    assert literal_prefix("a?b/**") == "a"
    assert literal_prefix("a[bc]/d") == "a"
    assert literal_prefix("**/VERSION") == ""
    assert prefixes_collide("src/", "")
    assert not prefixes_collide("src/", "src2/")


# ---- properties ----

_SEGMENT_CHARS = "abAB.-_"
literal_segments = st.text(alphabet=_SEGMENT_CHARS, min_size=1, max_size=4).filter(
    lambda s: s not in (".", ".."))
glob_pieces = st.one_of(
    st.sampled_from(["*", "?", "[ab]", "[!a]", "[a-b]", "[", "]"]),
    st.text(alphabet=_SEGMENT_CHARS, min_size=1, max_size=2),
)
glob_segments = st.one_of(
    st.just("**"),
    st.lists(glob_pieces, min_size=1, max_size=3).map("".join).filter(
        lambda s: s not in (".", "..")),
)
globs = st.lists(glob_segments, min_size=1, max_size=4).map("/".join)
paths = st.lists(literal_segments, min_size=1, max_size=5).map("/".join)
trees = st.lists(globs, min_size=1, max_size=3)


@given(trees, trees)
def test_overlap_is_symmetric(a: list[str], b: list[str]) -> None:
    assert globs_overlap(a, b) == globs_overlap(b, a)


@st.composite
def _glob_matching(draw: st.DrawFn, path: str) -> str:
    """A random glob that owns ``path``: wildcards, classes, ``**`` runs, an ancestor."""
    segments = path.split("/")
    keep = draw(st.integers(min_value=1, max_value=len(segments)))
    out: list[str] = []
    index = 0
    while index < keep:
        choice = draw(st.integers(0, 5))
        if choice == 0:  # '**' standing for one or more segments
            index += draw(st.integers(1, keep - index))
            out.append("**")
            continue
        if choice == 1 and (not out or out[-1] != "**"):  # '**' standing for none
            out.append("**")
        out.append(draw(_segment_matching(segments[index])))
        index += 1
    return "/".join(out)


@st.composite
def _segment_matching(draw: st.DrawFn, segment: str) -> str:
    choice = draw(st.integers(0, 5))
    if choice == 0:
        return "*"
    if choice == 1:
        return segment[0] + "*"
    position = draw(st.integers(0, len(segment) - 1))
    char = segment[position]
    replacement = {2: "?", 3: f"[{char}z]", 4: "[!z]"}.get(choice, char.swapcase())
    return segment[:position] + replacement + segment[position + 1:]


@settings(max_examples=300)
@given(st.data(), paths)
@example(data=None, path="ab/b")
def test_a_path_matched_by_both_sides_implies_overlap(data: st.DataObject | None,
                                                       path: str) -> None:
    if data is None:
        a, b = "a[b]/*", "*/[!a]"
    else:
        a, b = data.draw(_glob_matching(path)), data.draw(_glob_matching(path))
    assert all((matches(path, a), matches(path, b))), (path, a, b)
    assert globs_overlap([a], [b])
    assert globs_overlap([b], [a])


@given(paths, trees, trees)
def test_overlap_is_sound_for_trees(path: str, a: list[str], b: list[str]) -> None:
    if any(matches(path, g) for g in a) and any(matches(path, g) for g in b):
        assert globs_overlap(a, b)


@given(globs)
def test_a_glob_overlaps_itself(glob: str) -> None:
    assert globs_overlap([glob], [glob])


@given(st.text(alphabet="ab/.\\ *?", min_size=1, max_size=12))
def test_normalisation_is_idempotent(raw: str) -> None:
    try:
        once = normalize_glob(raw)
    except UsageError:
        return
    assert normalize_glob(once) == once
    try:
        path_once = normalize_path(raw, ROOT)
    except UsageError:
        return
    assert normalize_path(path_once, ROOT) == path_once


plain_globs = st.lists(
    st.lists(st.one_of(st.sampled_from(["*", "?"]), st.text(alphabet=_SEGMENT_CHARS,
                                                          min_size=1, max_size=2)),
             min_size=1, max_size=3).map("".join).filter(lambda s: s not in (".", "..", "**")),
    min_size=1, max_size=4).map("/".join)


@given(paths, plain_globs)
def test_matching_agrees_with_a_segment_wise_fnmatch(path: str, glob: str) -> None:
    segments, parts = path.split("/"), glob.split("/")
    # the glob owns the path when it matches the path's leading segments
    expected = len(parts) <= len(segments) and all(
        re.fullmatch(fnmatch.translate(part), seg, re.IGNORECASE | re.DOTALL)
        for part, seg in zip(parts, segments, strict=False))
    assert matches(path, glob) is bool(expected)


@given(trees, trees)
def test_containment_implies_overlap(outer: list[str], inner: list[str]) -> None:
    if tree_contains(outer, inner):
        assert globs_overlap(outer, inner)


@given(paths, trees, trees)
def test_containment_is_sound(path: str, outer: list[str], inner: list[str]) -> None:
    if tree_contains(outer, inner) and any(matches(path, g) for g in inner):
        assert any(matches(path, g) for g in outer)


def test_exhaustive_overlap_soundness_on_a_small_universe() -> None:
    universe = ["/".join(p) for n in (1, 2, 3) for p in itertools.product(["a", "b", "ab"],
                                                                              repeat=n)]
    patterns = ["a", "b", "*", "**", "a*", "*b", "?", "[a]", "[!a]*", "a/**", "**/b",
                "*/b", "a/*/b", "**/a/**", "a?", "[ab]*"]
    for a, b in itertools.product(patterns, repeat=2):
        witness = any(matches(p, a) and matches(p, b) for p in universe)
        if witness:
            assert globs_overlap([a], [b]), (a, b)


# An ASCII literal segment is matched without a regex (hooks start faster without
# `re`); it must answer exactly as the case-insensitive regex would, non-ASCII
# look-alikes included (the Kelvin sign matches "k", the long s matches "s").
_LOOKALIKES = "aAsSkKiI._-[]!*?x\u017f\u212a\u0130\u0131\u00df\u1e9e"


@settings(max_examples=400)
@given(st.text(alphabet="aAsSkKiI._-[]!x", min_size=1, max_size=4),
       st.text(alphabet=_LOOKALIKES, max_size=4))
def test_a_literal_segment_matches_as_its_regex(pattern: str, text: str) -> None:
    from dos.admission._tree_segments import compile_segment

    segment = compile_segment(pattern)
    assert segment.matches(text) == (segment.regex.fullmatch(text) is not None)


def test_a_literal_tree_is_matched_without_re() -> None:
    import subprocess
    import sys

    probe = ("import sys; before = set(sys.modules); from dos.admission.tree import matches; "
             "assert matches('SRC/Api/a.py', 'src/api/**'); "
             "assert not matches('src/ui/a.py', 'src/api/**'); "
             "print('re' in set(sys.modules) - before)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"
