"""The ops journal verbs reuse the admission tests' lease workspace fixtures."""

from tests.admission.conftest import dos_argv, dos_proc, dos_run, subprocess_env, workspace

__all__ = ["dos_argv", "dos_proc", "dos_run", "subprocess_env", "workspace"]
