"""Properties of the stamp grammar: boundaries, case, and the prefilter never losing a hit."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from dos.settings.policy import StampGrammar
from dos.truth.stamp import PhaseQuery, compile_stamp, match_subject

series_names = st.from_regex(r"[A-Z]{2,6}", fullmatch=True)
numbers = st.integers(min_value=1, max_value=999).map(str)
tails = st.sampled_from([": ship it", ": x", " — done", ":", ":nospace"])
grammar = StampGrammar()


def _flip_case(text: str, mask: int) -> str:
    return "".join(c.swapcase() if mask >> i & 1 else c for i, c in enumerate(text))


@given(series_names, numbers, tails, st.integers(min_value=0, max_value=2**16))
def test_a_stamp_matches_in_any_case(series: str, number: str, tail: str, mask: int) -> None:
    stamp = compile_stamp(PhaseQuery(series, f"{series}{number}"), grammar)
    assert match_subject(stamp, _flip_case(f"{series}{number}", mask) + tail) == "direct"


@given(series_names, numbers, st.sampled_from(["0", "7", ".1", "-port", "a", "_x", "'b"]), tails)
def test_a_longer_id_never_matches(series: str, number: str, extra: str, tail: str) -> None:
    stamp = compile_stamp(PhaseQuery(series, f"{series}{number}"), grammar)
    assert match_subject(stamp, f"{series}{number}{extra}{tail}") is None
    assert match_subject(stamp, f"{series}: {series}{number}{extra} more") is None


@given(series_names, series_names, numbers, tails)
def test_another_plan_never_matches(series: str, other: str, number: str, tail: str) -> None:
    if other.startswith(series) or series.startswith(other):
        return
    stamp = compile_stamp(PhaseQuery(other, f"{series}{number}"), grammar)
    assert match_subject(stamp, f"{series}{number}{tail}") is None


subjects = st.one_of(
    st.builds(lambda s, n, t: f"{s}{n}{t}", series_names, numbers, tails),
    st.builds(lambda s, n: f"{s}: {s}{n} thing", series_names, numbers),
    st.builds(lambda s, n: f"{s}: {n} numeric", series_names, numbers),
    st.builds(lambda s, n: f"{s}: Phase {n} done", series_names, numbers),
    st.builds(lambda s, n: f"v1.2.3: {s}{n} bundled", series_names, numbers),
    st.builds(lambda s, n, m: f"{s}{m}, {s}{n}: pair", series_names, numbers, numbers),
    st.text(max_size=30),
)
phases = st.one_of(numbers, st.builds(lambda n: f"Phase {n}", numbers))


@given(series_names, phases, subjects)
def test_prefilter_and_needles_never_lose_a_hit(series: str, phase: str, subject: str) -> None:
    """The git --grep prefilter and the needle index only ever skip non-matches."""
    query = PhaseQuery(series, phase if phase.startswith("Phase") else f"{series}{phase}")
    for candidate in (query, PhaseQuery(series, phase)):
        stamp = compile_stamp(candidate, grammar)
        if match_subject(stamp, subject) is None:
            continue
        assert re.search("|".join(stamp.prefilter), subject, re.IGNORECASE)
        runs = set(re.findall(r"[a-z0-9]+", subject.lower()))
        assert not stamp.needles or runs & set(stamp.needles)
