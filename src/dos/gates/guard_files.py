"""The one file ``dos guard`` writes: Gemini's system settings for one launch.

Nothing goes into the repository. The file lives in a directory private to this user
under the system's temporary directory (0700, checked to be ours and not a link), is
written whole and then renamed into place (0600), and is named by a digest of its
content: the same launch reuses the same file, so launches do not pile files up. Gemini
is pointed at it through ``GEMINI_CLI_SYSTEM_SETTINGS_PATH``; the settings in force
before (that variable's file, else the platform's system settings file) are read first
so an administrator's overrides stay in force.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dos.errors import UsageError
from dos.gates.guard_hosts import GEMINI_SETTINGS_ENV

__all__ = ["read_system_settings", "settings_path", "settings_text", "write_settings"]

_MAX_BYTES = 1 << 20


def _system_path(env: Mapping[str, str]) -> Path:
    named = env.get(GEMINI_SETTINGS_ENV, "").strip()
    if named:
        return Path(named)
    if sys.platform == "darwin":
        return Path("/Library/Application Support/GeminiCli/settings.json")
    if os.name == "nt":
        return Path("C:/ProgramData/gemini-cli/settings.json")
    return Path("/etc/gemini-cli/settings.json")


def read_system_settings(env: Mapping[str, str]) -> tuple[dict[str, Any] | None, str]:
    """The Gemini system settings in force and their path (None: there are none)."""
    path = _system_path(env)
    try:
        with path.open("rb") as handle:
            data = handle.read(_MAX_BYTES + 1)
    except FileNotFoundError:
        return None, str(path)
    except OSError as error:
        raise UsageError(f"cannot read the Gemini system settings {path}: {error.strerror}",
                         hint=f"make {path} readable, or unset {GEMINI_SETTINGS_ENV}") from None
    try:
        value = json.loads(data.decode("utf-8-sig")) if len(data) <= _MAX_BYTES else None
    except (ValueError, RecursionError):
        value = None
    if not isinstance(value, dict):
        raise UsageError(f"the Gemini system settings {path} are not a JSON object of at most "
                         "1 MiB (dos keeps them in force and adds its own)",
                         hint=f"fix {path}, or drop the options that configure Gemini")
    return value, str(path)


def settings_text(settings: Mapping[str, Any]) -> str:
    return json.dumps(settings, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _directory() -> Path:
    uid = getattr(os, "getuid", lambda: None)()
    return Path(tempfile.gettempdir()) / (f"dos-guard-{uid}" if uid is not None else "dos-guard")


def settings_path(settings: Mapping[str, Any]) -> str:
    """Where these settings are written: named by their digest."""
    digest = hashlib.sha256(settings_text(settings).encode("utf-8")).hexdigest()[:20]
    return str(_directory() / f"gemini-settings-{digest}.json")


def _private(directory: Path) -> None:
    with contextlib.suppress(FileExistsError):
        directory.mkdir(mode=0o700)
    found = os.lstat(directory)
    uid = getattr(os, "getuid", lambda: None)()
    if not stat.S_ISDIR(found.st_mode) or (uid is not None and (
            found.st_uid != uid or found.st_mode & 0o077)):
        raise UsageError(f"{directory} is not a directory private to this user",
                         hint=f"remove {directory} and launch again")


def write_settings(path: str, settings: Mapping[str, Any]) -> None:
    """Write the file whole, 0600, then rename it into place."""
    target = Path(path)
    try:
        _private(target.parent)
        handle, scratch = tempfile.mkstemp(dir=target.parent, prefix=".gemini-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(settings_text(settings))
            Path(scratch).chmod(0o600)
            Path(scratch).replace(target)
        except BaseException:
            Path(scratch).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise UsageError(f"cannot write the Gemini settings file {target}: {error.strerror}",
                         hint="free space or fix the permissions of the temporary "
                         "directory") from None
