"""The dos process defers ``urllib.parse``, ``ntpath`` and ``re`` (which pathlib imports
for what no short verb calls) until something uses them; every use answers as the real
module does, and a program that imports dos as a library keeps its own modules."""

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
    out = _run("import sys\nfrom dos.deferred_imports import defer, is_deferred\n"
               "print('urllib.parse' in defer())\nimport pathlib\n"
               "print(is_deferred('urllib.parse'), 'ipaddress' in sys.modules)\n"
               "print(pathlib.Path('/a b/c').as_uri())\n"
               "import urllib.parse\n"
               "print(is_deferred('urllib.parse'), sys.modules['urllib.parse'] is urllib.parse)\n")
    assert out == ["True", "True", "False", "file:///a%20b/c", "False", "True"]


@pytest.mark.parametrize(("use", "expected"), [
    ("import urllib.parse as p\nprint(p.urlsplit('http://[::1]:8/x').hostname)", "::1"),
    ("from urllib.parse import quote\nprint(quote('a b'))", "a%20b"),
    ("import urllib.parse\nprint(urllib.parse.unquote('a%20b') == 'a b')", "True"),
    ("from urllib.parse import *\nprint(urlunsplit(('https', 'h', '/p', '', '')))",
     "https://h/p"),
])
def test_every_use_answers_from_the_real_module(use: str, expected: str) -> None:
    out = _run("import sys\nfrom dos.deferred_imports import defer, is_deferred\n"
               "defer()\nimport pathlib\n" + use + "\n"
               "import urllib.parse, urllib\n"
               "print(is_deferred('urllib.parse'), urllib.parse is sys.modules['urllib.parse'],"
               " urllib.parse.__name__)\n")
    assert out == [expected, "False", "True", "urllib.parse"]


def test_a_reference_to_the_stand_in_keeps_working_after_the_load() -> None:
    out = _run("from dos.deferred_imports import defer\ndefer()\n"
               "import urllib.parse as kept\nimport urllib.parse\n"
               "print(urllib.parse.quote_from_bytes(b'x y'))\n"
               "print(kept.urljoin('http://h/a/b', 'c'), kept.quote is urllib.parse.quote)\n")
    assert out == ["x%20y", "http://h/a/c", "True"]


def test_nothing_is_deferred_once_loaded() -> None:
    assert _run("import pathlib\nfrom dos.deferred_imports import defer\n"
                "print(defer() == ())") == ["True"]
    assert _run("import urllib.parse\nfrom dos.deferred_imports import defer\n"
                "print('urllib.parse' in defer(), 're' in defer())") == ["False", "False"]


def test_only_the_dos_process_defers(tmp_path: Path) -> None:
    """`dos` (main() reading sys.argv) defers; a program calling main(argv) does not."""
    own = _run("import sys\nsys.argv = ['dos', '--version']\nfrom dos.cli import main\n"
               "main()\nfrom dos.deferred_imports import is_deferred\n"
               "print(is_deferred('urllib.parse'))", cwd=tmp_path)
    library = _run("from dos.cli import main\nmain(['--version'])\n"
                   "from dos.deferred_imports import is_deferred\n"
                   "print(is_deferred('urllib.parse'))",
                   cwd=tmp_path)
    assert own[-1] == "True"
    assert library[-1] == "False"


def test_pathlib_loads_none_of_the_deferred_modules() -> None:
    out = _run("import sys\nfrom dos.deferred_imports import DEFERRED, defer, is_deferred\n"
               "print(len(defer()) == len(DEFERRED))\nimport pathlib, fnmatch\n"
               "p = pathlib.Path('/tmp/x.txt')\nprint(p.suffix, p.parent, p.exists() in (1, 0))\n"
               "print(*[is_deferred(name) for name in DEFERRED])\n")
    assert out == ["True", ".txt", "/tmp", "True", "True", "True", "True"]


@pytest.mark.parametrize(("use", "expected"), [
    ("import re\nprint(re.sub(r'a+', '-', 'baaad'))", "b-d"),
    ("from re import IGNORECASE, compile\nprint(bool(compile('X', IGNORECASE).match('x')))",
     "True"),
    ("import re._parser\nprint(re._parser.__name__)", "re._parser"),  # a submodule
    ("import fnmatch\nprint(fnmatch.fnmatch('a.py', '*.py'))", "True"),
    ("import pathlib\nprint(pathlib.PurePath('a/b.py').match('*.py'))", "True"),
    ("import pathlib\nprint(pathlib.PureWindowsPath('C:/a').drive)", "C:"),
    ("import ntpath\nprint(ntpath.join('a', 'b') == 'a' + chr(92) + 'b')", "True"),
    ("import pickle, re\nprint(pickle.loads(pickle.dumps(re.compile('x+'))).pattern)", "x+"),
])
def test_re_and_ntpath_answer_as_the_real_modules(use: str, expected: str) -> None:
    out = _run("from dos.deferred_imports import defer, is_deferred\ndefer()\n"
               "import pathlib\n" + use + "\n")
    assert out == [expected]


def test_a_kept_reference_reads_the_real_names_once_loaded() -> None:
    out = _run("import sys\nfrom dos.deferred_imports import defer\ndefer()\n"
               "import re as kept\nimport pathlib\n"
               "print(kept.escape('a.b'))\n"
               "print(sys.modules['re'] is not kept, kept.compile is sys.modules['re'].compile)\n"
               "print(vars(kept)['compile'] is sys.modules['re'].compile)\n")
    assert out == ["a\\.b", "True", "True", "True"]


def test_the_switch_turns_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOS_NO_DEFERRED_IMPORTS", "1")
    assert _run("from dos.deferred_imports import defer\nprint(defer() == ())") == ["True"]
