"""The shared case reader: strict labels, errors naming the line, one line at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

from dos.errors import UsageError
from dos.evals.cases import label, min_rate, rate, read_cases


def _write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("value", "expected"), [
    (True, True), (False, False), ("false", False), ("FALSE ", False), ("true", True)])
def test_labels_are_parsed(value: object, expected: bool) -> None:
    assert label(value, "x") is expected


@pytest.mark.parametrize("value", ["no", "0", "yes", 0, 1, None, [], {}, 0.0])
def test_anything_else_is_an_error(value: object) -> None:
    with pytest.raises(UsageError, match="must be true or false"):
        label(value, "cases.jsonl:3: truth")


def test_cases_skip_comments_and_blanks_and_name_their_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "# a comment", "", '{"claim_text": "a", "truth": "false"}',
                  '{"claim_text": "b", "truth": "nope"}')
    cases = read_cases(path, required=("claim_text", "truth"),
                       known=("claim_text", "truth"))
    first = next(cases)
    assert first.where == f"{path}:3"
    assert first.label("truth") is False
    with pytest.raises(UsageError, match=r"cases.jsonl:4: truth must be true or false"):
        next(cases).label("truth")


def test_reading_is_lazy(tmp_path: Path) -> None:
    path = _write(tmp_path, '{"k": 1}', "not json at all")
    cases = read_cases(path, required=("k",), known=("k",))
    assert next(cases).raw == {"k": 1}  # the bad second line is not read yet
    with pytest.raises(UsageError, match=r":2: not valid JSON"):
        next(cases)


@pytest.mark.parametrize(("line", "message"), [
    ('"str"', "a case must be a JSON object, got str"),
    ('{"other": 1}', r"needs k \(missing: k\)"),
    ('{"k": 1, "kk": 2}', "unknown key 'kk'"),
    ('{"k": ' + "[" * 40 + "]" * 40 + "}", "not valid JSON"),
])
def test_bad_lines_are_usage_errors(tmp_path: Path, line: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        list(read_cases(_write(tmp_path, line), required=("k",), known=("k",)))


def test_invalid_utf8_and_missing_and_empty_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"k": "\xff"}\n')
    with pytest.raises(UsageError, match="not valid UTF-8"):
        list(read_cases(bad, required=("k",), known=("k",)))
    with pytest.raises(UsageError, match="cannot read the cases file"):
        list(read_cases(tmp_path / "absent.jsonl", required=(), known=()))
    with pytest.raises(UsageError, match="no cases found"):
        list(read_cases(_write(tmp_path, "# only a comment"), required=(), known=()))


def test_rates_and_min_rate() -> None:
    assert rate(1, 4) == 0.25
    assert rate(3, 0) == 0.0
    assert min_rate("0.95") == 0.95
    assert min_rate(None) is None
    for text in ("nan", "inf", "-0.1", "1.5", "high"):
        with pytest.raises(UsageError, match="--min-rate"):
            min_rate(text)
