"""Run one program to its end and capture what it printed, without the ``subprocess`` module.

Every git call goes through here, and importing ``subprocess`` (with locale, re, signal,
threading, selectors, contextlib) costs start-up time on every short verb. :func:`run`
answers what ``subprocess.run(argv, env=env, input=input_text, capture_output=True,
text=True, encoding="utf-8", errors="replace", timeout=timeout, check=False)`` answers:

* the child is started by ``os.posix_spawn`` with the same argv and environment, with
  SIGPIPE, SIGXFZ and SIGXFSZ back at their default action (``restore_signals``) and with
  only descriptors 0, 1 and 2 open (``close_fds``): its pipes are dup2'ed onto 0-2, and
  every descriptor dos holds that exec would pass on is closed in the child; a bare
  program name is looked up on PATH;
* output is decoded as ``text=True`` decodes it: UTF-8 with replacement characters, then
  universal newlines (``\\r\\n`` and a lone ``\\r`` become ``\\n``); input is encoded
  UTF-8 with replacement and no newline translation, as ``communicate()`` does;
* a program that cannot be started raises the same ``OSError`` (class, errno, message,
  file name) as ``subprocess`` does;
* on timeout the child is killed (SIGKILL) and reaped, then :class:`ChildTimeoutError`
  is raised; on any other exception while waiting (Ctrl-C, the CLI's SIGTERM exception)
  it is killed and reaped before the exception goes on. No child and no descriptor is
  left behind.

Where it differs, on purpose:

* **No working directory.** ``posix_spawn`` cannot change directory (Python exposes no
  ``addchdir`` action), and changing dos's own directory around the call would race with
  its other threads. The child runs where dos runs; :func:`dos.git.run_git` has git move
  itself with ``git -C <dir>`` right after the executable, which git documents as "run as
  if git was started in <dir>": it changes directory before it reads any option, config
  or repository, so relative arguments and discovery resolve exactly as after a
  ``chdir``. Two edges change: a directory git cannot enter (no search permission, or
  removed after dos checked it) is git's own ``fatal: cannot change to`` (exit 128)
  instead of a ``PermissionError``/``FileNotFoundError`` from subprocess; and a relative
  executable path (from a relative PATH entry) is taken from dos's directory, where it
  was looked up, not from the repository's.
* **stdin is /dev/null** when no input is given: ``subprocess`` would hand the child dos's
  own stdin, where a git that wanted to read would block on, or take, an agent's input.

Elsewhere than POSIX, ``subprocess`` does the work (imported only there).
"""

from __future__ import annotations

import _signal  # type: ignore[import-not-found]  # the C module: `signal` builds enums
import os
import select
import time

TYPE_CHECKING = False  # typing costs start-up time on every short verb
if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["ChildTimeoutError", "Completed", "run"]

# subprocess's restore_signals: Python ignores these, and an ignored signal survives exec.
_RESTORED = tuple(getattr(_signal, name) for name in ("SIGPIPE", "SIGXFZ", "SIGXFSZ")
                  if hasattr(_signal, name))
_OPEN_FDS = "/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd"  # noqa: PTH112
_CHUNK = 65536  # a Linux pipe's capacity: one read or write empties or fills it


class Completed:
    """A finished child, with the attributes of ``subprocess.CompletedProcess[str]``."""

    __slots__ = ("args", "returncode", "stderr", "stdout")

    def __init__(self, args: list[str], returncode: int, stdout: str, stderr: str) -> None:
        self.args, self.returncode, self.stdout, self.stderr = args, returncode, stdout, stderr

    def __repr__(self) -> str:
        return f"Completed(args={self.args!r}, returncode={self.returncode})"


class ChildTimeoutError(Exception):
    """The child outlived its timeout; it has been killed and reaped."""


def run(argv: list[str], env: Mapping[str, str], input_text: str | None,
        timeout: float) -> Completed:
    """Run ``argv`` in dos's own directory with ``env``; wait at most ``timeout`` seconds."""
    if os.name != "posix":
        return _run_elsewhere(argv, env, input_text, timeout)
    data = None if input_text is None else input_text.encode("utf-8", "replace")
    deadline = time.monotonic() + timeout
    held: set[int] = set()  # every descriptor opened here, closed before returning
    pid = 0
    try:
        pid, feed, out, err = _start(argv, env, data, held)
        chunks = _exchange(feed, data or b"", (out, err), deadline, held)
        status = _reap(pid, deadline)
        pid = 0
    finally:
        try:
            if pid:
                _kill(pid)
        finally:
            for fd in held:
                os.close(fd)
    return Completed(argv, os.waitstatus_to_exitcode(status), _text(chunks[out]),
                     _text(chunks[err]))


def _start(argv: list[str], env: Mapping[str, str], data: bytes | None,
           held: set[int]) -> tuple[int, int, int, int]:
    """Spawn the child on fresh pipes: its pid, then dos's ends (stdin's is -1 when the
    child reads /dev/null or there is nothing to write)."""
    child_ends: set[int] = set()
    try:
        if data is None:
            stdin, feed = _held(os.open(os.devnull, os.O_RDONLY | os.O_CLOEXEC), child_ends), -1
        else:
            stdin, feed = _pipe(child_ends, held, reading=False)
        stdout, out = _pipe(child_ends, held, reading=True)
        stderr, err = _pipe(child_ends, held, reading=True)
        actions: list[tuple[int, ...]] = [
            (os.POSIX_SPAWN_DUP2, _off_stdio(fd, child_ends), target)
            for target, fd in enumerate((stdin, stdout, stderr))]
        actions += [(os.POSIX_SPAWN_CLOSE, fd) for fd in _inheritable_fds()]
        # A bare name is looked up on PATH (dos's, which git_env() keeps), as subprocess does.
        launch = os.posix_spawn if os.sep in argv[0] else os.posix_spawnp
        pid = launch(argv[0], argv, env, file_actions=actions, setsigdef=_RESTORED)
    finally:
        for fd in child_ends:  # the child has its copies; dos must not keep these
            os.close(fd)
    if feed >= 0 and not data:
        _release(feed, held)  # empty input: EOF at once, as communicate() closes stdin
        feed = -1
    return pid, feed, out, err


def _held(fd: int, into: set[int]) -> int:
    into.add(fd)
    return fd


def _pipe(child_ends: set[int], held: set[int], *, reading: bool) -> tuple[int, int]:
    """A close-on-exec pipe: (the child's end, dos's end)."""
    read, write = os.pipe()
    if reading:
        return _held(write, child_ends), _held(read, held)
    os.set_blocking(write, False)  # a full pipe must not stall the reads of the others
    return _held(read, child_ends), _held(write, held)


def _off_stdio(fd: int, child_ends: set[int]) -> int:
    """``fd``, or a copy of it numbered 3 or more. When dos runs with 0, 1 or 2 closed, a
    child's end may land there; dup2 onto its own number does nothing, and whether
    posix_spawn then clears close-on-exec depends on the C library (``subprocess`` takes
    the same care)."""
    while fd < 3:
        fd = _held(os.dup(fd), child_ends)
    return fd


def _inheritable_fds() -> list[int]:
    """Descriptors above 2 that exec would pass on (``subprocess``'s close_fds closes them)."""
    try:
        names = os.listdir(_OPEN_FDS)  # noqa: PTH208  # pathlib costs start-up time
    except OSError:
        return []
    found = []
    for name in names:
        fd = int(name)
        try:
            if fd > 2 and os.get_inheritable(fd):
                found.append(fd)
        except OSError:  # the listing's own descriptor, closed since
            continue
    return found


def _exchange(feed: int, data: bytes, readers: tuple[int, int], deadline: float,
              held: set[int]) -> dict[int, list[bytes]]:
    """Write ``data`` to ``feed`` and read both readers until EOF, all at once: a child
    blocked on a full stderr pipe would otherwise never finish its stdout."""
    chunks: dict[int, list[bytes]] = {fd: [] for fd in readers}
    poller = select.poll()
    for fd in readers:
        poller.register(fd, select.POLLIN)
    if feed >= 0:
        poller.register(feed, select.POLLOUT)
    sent, waiting = 0, len(readers) + (feed >= 0)
    while waiting:
        left = deadline - time.monotonic()
        if left <= 0:
            raise ChildTimeoutError
        for fd, _event in poller.poll(left * 1000):
            if fd == feed:
                sent = _write(feed, data, sent)
                done = sent >= len(data)
            else:
                chunk = os.read(fd, _CHUNK)
                chunks[fd].append(chunk)
                done = not chunk
            if done:
                poller.unregister(fd)
                _release(fd, held)
                waiting -= 1
    return chunks


def _write(feed: int, data: bytes, sent: int) -> int:
    """How much of ``data`` has gone after one more write; all of it once the child has
    closed its end (``communicate()`` ignores a broken pipe the same way)."""
    try:
        return sent + os.write(feed, memoryview(data)[sent:sent + _CHUNK])
    except BlockingIOError:
        return sent
    except BrokenPipeError:
        return len(data)


def _release(fd: int, held: set[int]) -> None:
    held.discard(fd)
    os.close(fd)


def _reap(pid: int, deadline: float) -> int:
    """The child's wait status once it has exited. Its pipes are at EOF, so it is exiting:
    poll briefly (backing off like ``subprocess``) rather than block past the deadline."""
    pause = 0.0005
    while True:
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:  # reaped elsewhere (SIGCHLD ignored): subprocess says 0
            return 0
        if done:
            return status
        left = deadline - time.monotonic()
        if left <= 0:
            raise ChildTimeoutError
        time.sleep(min(pause, left))
        pause = min(pause * 2, 0.05)


def _kill(pid: int) -> None:
    """SIGKILL the child and reap it, so no zombie outlives the call."""
    try:
        os.kill(pid, _signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):  # reaped already (SIGCHLD ignored)
        pass


def _text(chunks: list[bytes]) -> str:
    """What ``text=True, encoding="utf-8", errors="replace"`` makes of the output."""
    return b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")


def _run_elsewhere(argv: list[str], env: Mapping[str, str], input_text: str | None,
                   timeout: float) -> Completed:
    """Not POSIX (no ``posix_spawn``): ``subprocess``, with the same stdin and timeout."""
    import subprocess

    stdin = subprocess.DEVNULL if input_text is None else None
    try:
        done = subprocess.run(argv, env=dict(env), stdin=stdin, input=input_text,
                              capture_output=True, text=True, encoding="utf-8",
                              errors="replace", timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ChildTimeoutError from exc
    return Completed(argv, done.returncode, done.stdout, done.stderr)
