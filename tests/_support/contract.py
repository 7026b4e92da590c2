"""The output contract every verb keeps: text for people, plain without colour or glyphs,
one JSON line tagged with the verb's schema family."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from dos.cli import main


@dataclass(frozen=True)
class Forms:
    """One question asked in all three output forms: stdout and exit code of each."""

    text: str
    plain: str
    json: str
    codes: tuple[int, int, int]

    @property
    def payload(self) -> Any:
        return json.loads(self.json)


def ask_in_every_form(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                      argv: Sequence[str]) -> Forms:
    """``dos <argv>`` as text (colour forced on), plain and json, in-process."""
    monkeypatch.setenv("DOS_COLOR", "always")
    outs, codes = [], []
    for form in ("text", "plain", "json"):
        capsys.readouterr()
        codes.append(main(["--output", form, *argv]))
        outs.append(capsys.readouterr().out)
    return Forms(outs[0], outs[1], outs[2], (codes[0], codes[1], codes[2]))


def _is_json(text: str) -> bool:
    """A JSON object or array (a bare number such as `dos journal seq`'s is plain text)."""
    try:
        value = json.loads(text)
    except ValueError:
        return False
    return isinstance(value, dict | list)


def assert_output_contract(forms: Forms, family: str, *, quotes_other_verbs: bool = False
                           ) -> Any:
    """Text is not JSON (nor is any line of it, unless the verb quotes other verbs' output
    verbatim), plain is ASCII without escape codes, json is one tagged line; every form
    gives the same exit code. Returns the parsed JSON payload."""
    assert forms.text.strip(), "text output is empty"
    assert not _is_json(forms.text), forms.text
    if not quotes_other_verbs:
        assert not any(_is_json(line) for line in forms.text.splitlines()), forms.text
    assert "\x1b" not in forms.plain, forms.plain
    assert forms.plain.isascii(), [ch for ch in forms.plain if not ch.isascii()]
    assert forms.plain.strip()
    assert forms.json.endswith("\n"), forms.json
    assert forms.json.count("\n") == 1, forms.json
    payload = forms.payload
    tagged = payload if isinstance(payload, list) else [payload]
    for item in tagged:
        assert item["schema"]["family"] == family, item
        assert isinstance(item["schema"]["version"], int)
    assert len(set(forms.codes)) == 1, forms.codes
    return payload
