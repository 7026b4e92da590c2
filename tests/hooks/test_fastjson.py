"""`dos._fastjson` runs the json package's own C codec without importing the package (its
regexes pull in `re` and `enum`, which cost hook start-up time): for every document
and every value it answers exactly as `json.loads` / `json.dumps` do."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dos import _fastjson as jsonc

_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(),
                     st.text(), st.just("\ud800"), st.just("é\x00\u2028"))
_values = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=16)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


@settings(max_examples=300)
@given(_values, st.booleans())
def test_dumps_is_json_dumps(value: Any, sort_keys: bool) -> None:
    assert jsonc.dumps(value, sort_keys=sort_keys) == json.dumps(value, sort_keys=sort_keys)


@settings(max_examples=300)
@given(_values, st.sampled_from(["", " ", "\n\t ", "\r\n"]))
def test_loads_reads_what_json_writes(value: Any, space: str) -> None:
    text = space + json.dumps(value, ensure_ascii=False) + space
    assert _same(jsonc.loads(text), json.loads(text))


@settings(max_examples=500)
@given(st.one_of(st.text(alphabet='{}[]",:0123456789.eE+-tfnrul aNIy\\\ufeff\t', max_size=12),
                 st.text(max_size=12)))
def test_loads_accepts_and_refuses_what_json_does(text: str) -> None:
    ours, theirs = _outcome(jsonc.loads, text), _outcome(json.loads, text)
    assert ours[0] == theirs[0]
    assert _same(ours[1], theirs[1])


def _outcome(loads: Any, text: str) -> tuple[str, Any]:
    """("value", the value), or the error's class name and message."""
    try:
        return "value", loads(text)
    except ValueError as error:
        return type(error).__name__, str(error)


def test_bytes_and_other_types_behave_as_in_json() -> None:
    assert jsonc.loads(b'{"a": [1]}') == {"a": [1]}
    with pytest.raises(TypeError):
        jsonc.loads(5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not JSON serializable"):
        jsonc.dumps({"a": object()})
    with pytest.raises(json.JSONDecodeError, match="Nesting too deep"):
        jsonc.loads("[" * 100_000)  # json.loads: RecursionError, not a ValueError


def test_importing_it_imports_neither_json_nor_re() -> None:
    probe = ("import sys; before = set(sys.modules); from dos import _fastjson as jsonc; "
             "jsonc.dumps(jsonc.loads('[1, {\"a\": 2}]')); "
             "print(sorted({'json', 're', 'enum'} & (set(sys.modules) - before)))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_the_private_json_codec_is_the_one_the_shim_was_written_for() -> None:
    """CPython's ``_json`` is private: if a release changes what the shim relies on, this
    fails loudly instead of the shim quietly falling back to the slower package."""
    import _json

    assert sys.implementation.name == "cpython"
    assert jsonc._scan is not None, "dos._fastjson could not build its scanner"
    read: list[str] = []

    class Recording:
        def __getattribute__(self, name: str) -> Any:
            read.append(name)
            return getattr(json.JSONDecoder(), name)

    _json.make_scanner(Recording())  # type: ignore[arg-type]
    assert tuple(read) == jsonc.SCANNER_CONTEXT
    decoder = json.JSONDecoder()
    defaults = jsonc._Defaults()
    for name in jsonc.SCANNER_CONTEXT[:-1]:
        assert getattr(decoder, name) == getattr(defaults, name), name
    assert json.scanner.c_make_scanner is _json.make_scanner
    # the scanner's call protocol: (text, index) -> (value, end); no value: StopIteration(index)
    assert jsonc._scan('[1, {"a": NaN}] tail', 0)[1] == 15
    with pytest.raises(StopIteration) as stop:
        jsonc._scan("  x", 2)
    assert stop.value.value == 2
    # make_encoder takes json.encoder's nine positional arguments, and only those
    assert json.encoder.c_make_encoder is _json.make_encoder
    args = ({}, str, _json.encode_basestring_ascii, None, ": ", ", ", True, False, True)
    assert "".join(_json.make_encoder(*args)({"b": 1, "a": [None]}, 0)) == (
        '{"a": [null], "b": 1}')
    with pytest.raises(TypeError):
        _json.make_encoder(*args[:-1])
