"""The dos process skips the interpreter's teardown only when the teardown has nothing
observable to do: exit codes and output are the same either way, an atexit callback or
a running thread sends it the ordinary way, and no verb leaves its store to a finaliser."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from tests._support.git import GitRepo

# An object whose finaliser says so, kept where the teardown frees it (the builtins):
# the teardown runs the finaliser, os._exit does not.
_FINALISED = """\
import builtins, os
class _Noisy:
    def __del__(self):
        os.write(2, b"finalised-by-teardown\\n")
builtins.dos_test_noisy = _Noisy()
"""


def _dos(args: list[str], *, cwd: Path, site: Path | None = None,
         teardown: bool = False, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "DOS_FULL_TEARDOWN"}
    if site is not None:
        env["PYTHONPATH"] = str(site)
    if teardown:
        env["DOS_FULL_TEARDOWN"] = "1"
    return subprocess.run([sys.executable, "-m", "dos", *args], cwd=cwd, env=env,
                          input=stdin, capture_output=True, check=False)


def _site(tmp_path: Path, code: str) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(_FINALISED + code, encoding="utf-8")
    return site


def test_the_teardown_is_skipped_when_nothing_needs_it(tmp_path: Path) -> None:
    site = _site(tmp_path, "")
    quick = _dos(["exit-codes", "verify"], cwd=tmp_path, site=site)
    full = _dos(["exit-codes", "verify"], cwd=tmp_path, site=site, teardown=True)
    assert quick.returncode == full.returncode == 0
    assert quick.stdout == full.stdout
    assert quick.stdout
    assert b"finalised-by-teardown" not in quick.stderr
    assert b"finalised-by-teardown" in full.stderr


@pytest.mark.parametrize("args", [["no-such-verb"], ["verify"], ["exit-codes", "--json"]])
def test_exit_code_and_output_are_the_same_both_ways(tmp_path: Path, args: list[str]) -> None:
    quick, full = _dos(args, cwd=tmp_path), _dos(args, cwd=tmp_path, teardown=True)
    assert (quick.returncode, quick.stdout, quick.stderr) == (
        full.returncode, full.stdout, full.stderr)


def test_atexit_callbacks_run_once_either_way(tmp_path: Path) -> None:
    marker = tmp_path / "atexit-ran"
    site = _site(tmp_path, f"import atexit\natexit.register(lambda: open({str(marker)!r}, "
                           "'a').write('ran\\n'))\n")
    for teardown in (False, True):
        marker.unlink(missing_ok=True)
        done = _dos(["no-such-verb"], cwd=tmp_path, site=site, teardown=teardown)
        assert done.returncode == 2
        assert marker.read_text(encoding="utf-8") == "ran\n"
        assert (b"finalised-by-teardown" in done.stderr) is teardown


def test_a_running_thread_is_waited_for(tmp_path: Path) -> None:
    marker = tmp_path / "thread-finished"
    site = _site(tmp_path, "import threading, time\n"
                           "def _late():\n    time.sleep(0.3)\n"
                           f"    open({str(marker)!r}, 'w').close()\n"
                           "threading.Thread(target=_late).start()\n")
    done = _dos(["exit-codes", "verify"], cwd=tmp_path, site=site)
    assert done.returncode == 0
    assert marker.exists()


def test_a_daemon_thread_does_not_hold_it(tmp_path: Path) -> None:
    site = _site(tmp_path, "import threading, time\n"
                           "threading.Thread(target=time.sleep, args=(30,), daemon=True)"
                           ".start()\n")
    done = _dos(["exit-codes", "verify"], cwd=tmp_path, site=site)
    assert done.returncode == 0
    assert b"finalised-by-teardown" not in done.stderr


def test_a_closed_standard_output_still_gets_its_code(tmp_path: Path) -> None:
    """Output bigger than a pipe's buffer into a pipe nobody reads: the documented code."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run([sys.executable, "-m", "dos", "exit-codes"], cwd=tmp_path,
                              stdout=write_end, stderr=subprocess.PIPE, check=False)
    finally:
        os.close(write_end)
    codes = _dos(["exit-codes"], cwd=tmp_path).stdout.decode().split()
    assert done.returncode == int(codes[codes.index("closed_pipe") - 1])


def test_no_verb_leaves_its_store_to_a_finaliser(
        tmp_path: Path, git_repo: Callable[..., GitRepo]) -> None:
    """Every connection is closed by the verb itself: no write-ahead log is left behind
    for a teardown to checkpoint, after each of the short verbs."""
    repo = git_repo()
    repo.commit("AUTH1: ship it", {"src/api/a.py": "x\n"})
    (repo.path / "dos.toml").write_text(
        '[lanes]\nconcurrent = ["api"]\n[lanes.trees]\napi = ["src/api/**"]\n',
        encoding="utf-8")
    (repo.path / ".dos").mkdir()
    owner = ["--owner", "t"]
    for args in (["lease-lane", "acquire", "--lane", "api", *owner], ["verify", "AUTH", "AUTH1"],
                 ["arbitrate", "--lane", "api"], ["lease-lane", "release", "--lane", "api", *owner],
                 ["journal", "verify"]):
        done = _dos(args, cwd=repo.path)
        assert done.returncode in (0, 1), done.stderr
        left = sorted(p.name for p in (repo.path / ".dos").iterdir()
                      if p.name.endswith(("-wal", "-journal")))
        assert left == [], (args, left)


@pytest.mark.parametrize("args", [["no-such-verb"], ["verify", "AUTH", "AUTH1"],
                                  ["lease-lane", "acquire", "--lane", "nowhere"],
                                  ["status", "RID-NOT-A-RUN"]])
def test_a_closed_standard_error_keeps_the_exit_code(tmp_path: Path, args: list[str]) -> None:
    """Messages to a standard error nobody reads are lost; the verdict's code is not."""
    heard = _dos(args, cwd=tmp_path)
    assert heard.stderr  # each of these has something to say there
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        deaf = subprocess.run([sys.executable, "-m", "dos", *args], cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=write_end, check=False)
    finally:
        os.close(write_end)
    assert deaf.returncode == heard.returncode
    assert deaf.stdout == heard.stdout
