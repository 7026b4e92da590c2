"""The dos process defers ``urllib.parse`` (which pathlib imports for ``as_uri``) until
something uses it; every use answers as the real module does, and a program that
imports dos as a library keeps its own ``urllib.parse``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def _run(code: str, cwd: Path | None = None) -> list[str]:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_pathlib_imports_without_loading_url_parsing() -> None:
    out = _run("import sys\nfrom dos.deferred_url_parsing import defer, is_deferred\n"
               "print(defer())\nimport pathlib\n"
               "print(is_deferred(), 'ipaddress' in sys.modules)\n"
               "print(pathlib.Path('/a b/c').as_uri())\n"
               "import urllib.parse\n"
               "print(is_deferred(), sys.modules['urllib.parse'] is urllib.parse)\n")
    assert out == ["True", "True", "False", "file:///a%20b/c", "False", "True"]


@pytest.mark.parametrize(("use", "expected"), [
    ("import urllib.parse as p\nprint(p.urlsplit('http://[::1]:8/x').hostname)", "::1"),
    ("from urllib.parse import quote\nprint(quote('a b'))", "a%20b"),
    ("import urllib.parse\nprint(urllib.parse.unquote('a%20b') == 'a b')", "True"),
    ("from urllib.parse import *\nprint(urlunsplit(('https', 'h', '/p', '', '')))",
     "https://h/p"),
])
def test_every_use_answers_from_the_real_module(use: str, expected: str) -> None:
    out = _run("import sys\nfrom dos.deferred_url_parsing import defer, is_deferred\n"
               "defer()\nimport pathlib\n" + use + "\n"
               "import urllib.parse, urllib\n"
               "print(is_deferred(), urllib.parse is sys.modules['urllib.parse'],"
               " urllib.parse.__name__)\n")
    assert out == [expected, "False", "True", "urllib.parse"]


def test_a_reference_to_the_stand_in_keeps_working_after_the_load() -> None:
    out = _run("from dos.deferred_url_parsing import defer\ndefer()\n"
               "import urllib.parse as kept\nimport urllib.parse\n"
               "print(urllib.parse.quote_from_bytes(b'x y'))\n"
               "print(kept.urljoin('http://h/a/b', 'c'), kept.quote is urllib.parse.quote)\n")
    assert out == ["x%20y", "http://h/a/c", "True"]


def test_nothing_is_deferred_once_pathlib_or_url_parsing_is_loaded() -> None:
    assert _run("import pathlib\nfrom dos.deferred_url_parsing import defer\n"
                "print(defer())") == ["False"]
    assert _run("import urllib.parse\nfrom dos.deferred_url_parsing import defer\n"
                "print(defer())") == ["False"]


def test_only_the_dos_process_defers(tmp_path: Path) -> None:
    """`dos` (main() reading sys.argv) defers; a program calling main(argv) does not."""
    own = _run("import sys\nsys.argv = ['dos', '--version']\nfrom dos.cli import main\n"
               "main()\nfrom dos.deferred_url_parsing import is_deferred\n"
               "print(is_deferred())", cwd=tmp_path)
    library = _run("from dos.cli import main\nmain(['--version'])\n"
                   "from dos.deferred_url_parsing import is_deferred\nprint(is_deferred())",
                   cwd=tmp_path)
    assert own[-1] == "True"
    assert library[-1] == "False"
