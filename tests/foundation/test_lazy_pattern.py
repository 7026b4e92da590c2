"""LazyPattern answers what the compiled pattern answers, and compiles only when used."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from dos.lazy_pattern import LazyPattern


def test_each_method_answers_as_re_does() -> None:
    lazy = LazyPattern(r"(\w+)-(\d+)", re.IGNORECASE)
    real = re.compile(r"(\w+)-(\d+)", re.IGNORECASE)
    text = "Auth-1 and UI-22, then x-"
    assert lazy.match(text).group(0) == real.match(text).group(0)  # type: ignore[union-attr]
    assert lazy.search(text, 3).span() == real.search(text, 3).span()  # type: ignore[union-attr]
    assert lazy.fullmatch("ab-3") is not None
    assert lazy.fullmatch(text) is None
    assert lazy.findall(text) == real.findall(text)
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in real.finditer(text)]
    assert lazy.sub(r"\2", text) == real.sub(r"\2", text)
    assert lazy.sub(lambda m: m.group(1).upper(), text, 1) == real.sub(
        lambda m: m.group(1).upper(), text, 1)
    assert lazy.split(text) == real.split(text)
    assert (lazy.pattern, lazy.flags) == (real.pattern, real.flags & ~re.UNICODE)


def test_it_compiles_on_first_use_only() -> None:
    lazy = LazyPattern(r"x+")
    assert lazy._compiled is None
    assert lazy.search("axxb") is not None
    first = lazy._compiled
    assert first is not None
    lazy.match("x")
    assert lazy._compiled is first


def test_a_bad_pattern_fails_where_it_is_used() -> None:
    lazy = LazyPattern(r"(unclosed")
    with pytest.raises(re.error, match=r"missing \)"):
        lazy.search("x")


def test_importing_the_settings_loader_compiles_no_pattern() -> None:
    # (the standard library's own module-level patterns compile before the spy is set)
    probe = ("import re, sys, pathlib, urllib.parse, fnmatch\ncompiled = []\nreal = re._compile\n"
             "def spy(pattern, flags):\n    compiled.append(pattern)\n"
             "    return real(pattern, flags)\nre._compile = spy\n"
             "import dos.config, dos.settings.locate, dos.settings.lifecycle\n"
             "import dos.truth.stamp, dos.truth.plan_source, dos.truth.ship_rules\n"
             "print(len(compiled))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "0", done.stdout
