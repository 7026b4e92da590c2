"""git runs through dos.git.spawn (os.posix_spawn, pipes, poll), not `subprocess`: what each
git call answers is what `subprocess.run` answered, byte for byte after decoding, and no
call leaves a child process or an open descriptor behind, on timeout or on an exception."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

import pytest
from tests._support.git import GitRepo

from dos.errors import GitError
from dos.git import _executable, git_argv, git_env, run_git, spawn


def _today(args: list[str], cwd: Path, input_text: str | None = None
           ) -> subprocess.CompletedProcess[str]:
    """What run_git's spawn answered before dos.git.spawn: subprocess.run in ``cwd``."""
    return subprocess.run(
        git_argv(_executable(), args), cwd=cwd, env=git_env(), input=input_text,
        capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=120,
        check=False)


def _assert_same(done: spawn.Completed, today: subprocess.CompletedProcess[str]) -> None:
    assert isinstance(done, spawn.Completed)
    assert done.returncode == today.returncode
    assert done.stdout == today.stdout
    assert done.stderr == today.stderr


def _open_fds() -> list[str]:
    return sorted(path.name for path in Path("/proc/self/fd").iterdir())


def _children() -> set[int]:
    """Processes whose parent is this one, zombies included."""
    found = set()
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text(encoding="utf-8")
        except OSError:  # not a process, or gone
            continue
        if int(stat.rpartition(")")[2].split()[1]) == os.getpid():
            found.add(int(entry.name))
    return found


@pytest.fixture
def clean() -> Iterator[None]:
    """The test must end with the descriptors and child processes it started with."""
    fds, children = _open_fds(), _children()
    yield
    assert _children() - children == set()
    assert _open_fds() == fds


@pytest.fixture
def repo(git_repo: Callable[..., GitRepo]) -> GitRepo:
    made = git_repo()
    made.commit("first", {"a.txt": "a\n"})
    return made


def _commit_raw(repo: GitRepo, message: bytes, content: bytes) -> None:
    """A commit of ``raw.txt`` with these bytes, its message kept verbatim."""
    (repo.path / "raw.txt").write_bytes(content)
    path = repo.path.parent / "message"
    path.write_bytes(message)
    repo.git("add", "raw.txt")
    repo.git("commit", "-q", "--cleanup=verbatim", "-F", str(path))


def test_log_decodes_as_text_mode_does(repo: GitRepo, clean: None) -> None:
    """git re-encodes a message that is not UTF-8, but prints a diff's bytes as they are."""
    _commit_raw(repo, b"windows line\r\nold mac\rline\r\r\n",
                b"latin-1 caf\xe9 \xff\xfe\r\nlone \xc3 lead\rend\n")
    _commit_raw(repo, "utf-8 caf\u00e9 \u2603\n".encode(), "caf\u00e9 \u2603\r\n".encode())
    args = ["log", "-p", "--format=%H%n%B%x00"]
    done = run_git(args, repo.path)
    _assert_same(done, _today(args, repo.path))
    assert "\ufffd" in done.stdout  # the bytes that are not UTF-8, replaced
    assert "\u2603" in done.stdout
    assert "\r" not in done.stdout
    assert "windows line\nold mac\nline\n\n" in done.stdout


def test_megabytes_on_both_pipes_and_stdin_at_once(repo: GitRepo, clean: None) -> None:
    """git apply reads 5 MB, then writes over 1 MiB to stderr and to stdout: a reader that
    drained one pipe before the other would hang on the first full pipe."""
    names = [f"d/file-{i:05d}-with-a-name-long-enough-to-fill-pipes.txt" for i in range(24000)]
    patch = "".join(f"diff --git a/{n} b/{n}\nnew file mode 100644\n--- /dev/null\n"
                    f"+++ b/{n}\n@@ -0,0 +1 @@\n+line\n" for n in names)
    args = ["apply", "--check", "--numstat", "-v"]
    done = run_git(args, repo.path, input_text=patch)
    _assert_same(done, _today(args, repo.path, patch))
    assert len(done.stdout) > 2**20
    assert len(done.stderr) > 2**20


def test_stdin_is_written_while_stdout_is_read(repo: GitRepo, clean: None) -> None:
    """cat-file --batch answers each line as it comes: 160 kB in, megabytes out."""
    lines = "HEAD\nHEAD:a.txt\n" * 10000
    done = run_git(["cat-file", "--batch"], repo.path, input_text=lines)
    _assert_same(done, _today(["cat-file", "--batch"], repo.path, lines))
    assert len(done.stdout) > 2**20


def test_input_text_round_trips_as_utf8(repo: GitRepo, clean: None) -> None:
    text = "caf\u00e9 \u2603\r\nline\rlast\n\udcff"  # a lone surrogate is replaced, as today
    done = run_git(["hash-object", "--stdin"], repo.path, input_text=text)
    _assert_same(done, _today(["hash-object", "--stdin"], repo.path, text))
    data = text.encode("utf-8", "replace")
    blob = hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()
    assert done.stdout == blob + "\n"


def test_empty_input_is_an_empty_stdin(repo: GitRepo, clean: None) -> None:
    done = run_git(["hash-object", "--stdin"], repo.path, input_text="")
    _assert_same(done, _today(["hash-object", "--stdin"], repo.path, ""))


def test_a_failing_git_reports_its_exit_and_stderr(repo: GitRepo, clean: None) -> None:
    args = ["rev-parse", "--verify", "no-such-ref"]
    done = run_git(args, repo.path, check=False)
    _assert_same(done, _today(args, repo.path))
    assert done.returncode == 128
    assert "fatal: Needed a single revision" in done.stderr
    with pytest.raises(GitError, match=r"git rev-parse --verify failed in .*: fatal: Needed"):
        run_git(args, repo.path)


def test_relative_arguments_resolve_in_the_repository(repo: GitRepo, clean: None,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """``git -C`` stands for the chdir: a relative pathspec and a relative cwd mean what
    they meant when subprocess changed directory."""
    repo.commit("nested", {"sub/b.txt": "b\n"})
    monkeypatch.chdir(repo.path.parent)
    args = ["ls-files", "--", "sub", "./a.txt"]
    done = run_git(args, repo.path.name)
    _assert_same(done, _today(args, Path(repo.path.name)))
    assert done.stdout == "a.txt\nsub/b.txt\n"
    assert run_git(["rev-parse", "--show-prefix"], repo.path / "sub").stdout == "sub/\n"


def test_the_child_holds_only_stdin_stdout_and_stderr(tmp_path: Path, clean: None) -> None:
    """Like subprocess's close_fds: a descriptor dos holds open, even an inheritable one,
    never reaches the child."""
    probe = ("import os\n"
             "def is_open(fd):\n"
             "    try:\n        os.fstat(fd)\n    except OSError:\n        return False\n"
             "    return True\n"
             "print([fd for fd in range(3, 1024) if is_open(fd)])\n")
    with (tmp_path / "held").open("w", encoding="utf-8") as held:
        os.set_inheritable(held.fileno(), True)
        done = spawn.run([sys.executable, "-c", probe], os.environ, None, 30)
    assert (done.returncode, done.stdout, done.stderr) == (0, "[]\n", "")


def test_the_child_gets_default_sigpipe(clean: None) -> None:
    """Python ignores SIGPIPE and an ignored signal survives exec; subprocess restores it."""
    argv = ["sh", "-c", "kill -PIPE $$; echo survived"]
    done = spawn.run(argv, os.environ, None, 30)
    today = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert done.returncode == today.returncode == -signal.SIGPIPE
    assert done.stdout == today.stdout == ""


def test_stdin_is_devnull_without_input(clean: None) -> None:
    """Not dos's own stdin (here a pipe with text waiting), which subprocess would pass on."""
    saved, (read, write) = os.dup(0), os.pipe()
    try:
        os.write(write, b"dos's own input\n")
        os.close(write)
        os.dup2(read, 0)
        done = spawn.run(["sh", "-c", "cat; readlink /proc/$$/fd/0"], os.environ, None, 30)
    finally:
        os.dup2(saved, 0)
        os.close(saved)
        os.close(read)
    assert done.stdout == os.devnull + "\n"


@pytest.mark.parametrize("closed", [(0,), (1,), (2,), (0, 1, 2)])
def test_a_dos_with_closed_stdio_still_wires_the_child(tmp_path: Path,
                                                       closed: tuple[int, ...]) -> None:
    """A pipe may land on 0, 1 or 2 when dos runs with them closed; the child still reads
    its input and writes its own stdout and stderr."""
    result = tmp_path / "result"
    script = (f"import os\nfor fd in {closed!r}:\n    os.close(fd)\n"
              "from dos.git import spawn\n"
              "done = spawn.run(['sh', '-c', 'cat; echo out; echo err >&2'], os.environ,"
              " 'in\\n', 30)\n"
              f"open({str(result)!r}, 'w').write(repr((done.stdout, done.stderr)))\n")
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    assert result.read_text(encoding="utf-8") == repr(("in\nout\n", "err\n"))


def test_a_timeout_kills_and_reaps_the_child(clean: None) -> None:
    start = time.monotonic()
    with pytest.raises(spawn.ChildTimeoutError):
        spawn.run(["sleep", "30"], os.environ, None, 0.3)
    assert time.monotonic() - start < 5


def test_a_child_that_closes_its_pipes_still_times_out(clean: None) -> None:
    """EOF on both pipes is not the end: the wait for the exit keeps the deadline too."""
    start = time.monotonic()
    with pytest.raises(spawn.ChildTimeoutError):
        spawn.run(["sh", "-c", "exec sleep 30 >&- 2>&-"], os.environ, None, 0.3)
    assert time.monotonic() - start < 5


def test_a_git_timeout_is_the_same_git_error(repo: GitRepo, tmp_path: Path, clean: None,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    slow = tmp_path / "bin" / "git"
    slow.parent.mkdir()
    slow.write_text("#!/bin/sh\nexec sleep 30\n", encoding="utf-8")
    slow.chmod(0o755)
    monkeypatch.setenv("PATH", f"{slow.parent}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(GitError) as caught:
        run_git(["rev-parse", "HEAD"], repo.path, timeout=0.3)
    assert str(caught.value) == "git rev-parse HEAD took longer than 0s"
    assert caught.value.hint == "check the repository is not on a hung file system"
    assert isinstance(caught.value.__cause__, spawn.ChildTimeoutError)


class _Interrupted(BaseException):
    """Raised by a signal handler, as the CLI raises one on SIGTERM."""


def test_an_exception_while_waiting_kills_and_reaps_the_child(clean: None) -> None:
    before = _children()

    def interrupt(_signum: int, _frame: FrameType | None) -> None:
        if _children() - before:  # the child is running: interrupt the wait for it
            raise _Interrupted
        signal.setitimer(signal.ITIMER_REAL, 0.05)

    previous = signal.signal(signal.SIGALRM, interrupt)
    start = time.monotonic()
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.2)
        with pytest.raises(_Interrupted):
            spawn.run(["sleep", "30"], os.environ, None, 60)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert time.monotonic() - start < 5


@pytest.mark.parametrize("kind", ["missing", "not executable", "directory", "bare name",
                                  "not a program"])
def test_a_program_that_cannot_start_raises_what_subprocess_raises(
        tmp_path: Path, kind: str, clean: None) -> None:
    program = {"missing": str(tmp_path / "nope"), "not executable": str(tmp_path / "plain"),
               "directory": str(tmp_path), "bare name": "dos-no-such-program",
               "not a program": str(tmp_path / "garbage")}[kind]
    (tmp_path / "plain").write_text("#!/bin/sh\n", encoding="utf-8")
    (tmp_path / "garbage").write_bytes(b"\x00\x01 not a program\n")
    (tmp_path / "garbage").chmod(0o755)
    with pytest.raises(OSError) as today:
        subprocess.run([program], capture_output=True, check=False)
    with pytest.raises(OSError) as caught:
        spawn.run([program], os.environ, None, 30)
    assert type(caught.value) is type(today.value)
    assert (caught.value.errno, caught.value.filename, str(caught.value)) == (
        today.value.errno, today.value.filename, str(today.value))


def test_a_git_that_cannot_start_raises_what_run_git_raised(
        repo: GitRepo, tmp_path: Path, clean: None, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "bin" / "git"
    broken.parent.mkdir()
    broken.write_bytes(b"\x00\x01 not a program\n")
    broken.chmod(0o755)
    monkeypatch.setenv("PATH", str(broken.parent))
    with pytest.raises(OSError) as today:
        _today(["rev-parse", "HEAD"], repo.path)
    with pytest.raises(OSError) as caught:
        run_git(["rev-parse", "HEAD"], repo.path)
    assert type(caught.value) is type(today.value)
    assert str(caught.value) == str(today.value)


def test_without_posix_spawn_subprocess_runs_it(repo: GitRepo, clean: None,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    today = _today(["hash-object", "--stdin"], repo.path, "a\r\nb")
    monkeypatch.delattr(os, "posix_spawn")
    monkeypatch.setattr(os, "name", "nt")
    done = run_git(["hash-object", "--stdin"], repo.path, input_text="a\r\nb")
    with pytest.raises(spawn.ChildTimeoutError):
        spawn.run(["sleep", "30"], os.environ, None, 0.3)
    monkeypatch.undo()
    _assert_same(done, today)


def test_importing_dos_git_imports_neither_subprocess_nor_pathlib() -> None:
    probe = "import sys, dos.git; print('subprocess' in sys.modules, 'pathlib' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    assert done.stdout == "False False\n"
