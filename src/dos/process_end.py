"""How the ``dos`` command's process ends: with the verb's exit code, and without the
interpreter's teardown when nothing is left for it to do.

A short verb spends a twentieth of its instructions after its answer is written: the
interpreter clears every module it imported and frees every object one by one, work the
operating system does at once when the process ends. :func:`end_process` does what the
ordinary exit does first — waits for nothing (see below), runs the ``atexit`` callbacks
(the PostgreSQL store's polite close of its idle connections, coverage's data file,
``logging``'s flush), flushes standard output and standard error — and then leaves
through ``os._exit`` with the same code, skipping only the freeing of objects.

It takes the ordinary ``sys.exit(code)`` instead when a thread other than the main one
is alive that the interpreter would wait for, when a flush fails (a closed pipe: the
ordinary exit reports it as before), and with ``DOS_FULL_TEARDOWN=1``. Everything dos
writes (stores, journals, files) is committed and closed by the verb itself before it
returns, never by an object's finaliser, so both ways out leave the same bytes behind;
the tests run the verbs both ways and compare.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing costs start-up time
if TYPE_CHECKING:
    from typing import NoReturn

__all__ = ["end_process", "teardown_needed"]


def teardown_needed() -> bool:
    """True when the interpreter's teardown must run: asked for, or a thread to wait for."""
    if os.environ.get("DOS_FULL_TEARDOWN"):
        return True
    threading = sys.modules.get("threading")
    if threading is not None:
        main = threading.main_thread()
        if any(t is not main and t.is_alive() and not t.daemon
               for t in threading.enumerate()):
            return True
    return False


def _flushed() -> bool:
    for stream in (sys.stdout, sys.stderr):
        if stream is None:
            continue
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: the ordinary exit decides
            return False
    return True


def end_process(code: int) -> NoReturn:
    """Leave the process with ``code``, skipping the teardown when it has nothing to do."""
    if not teardown_needed():
        import atexit

        atexit._run_exitfuncs()  # private, yet the one way (since Python 3.0); clears them
        if _flushed():
            os._exit(code)
    sys.exit(code)
