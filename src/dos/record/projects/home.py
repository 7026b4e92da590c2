"""Where this user's project registry lives, and who "this user" is.

DOS_HOME (or the reference's DISPATCH_HOME), else the platform's data directory for ``dos``
(platformdirs). A workspace whose store is PostgreSQL keeps its registry there instead,
in a schema of its own, so the machines sharing that store share one registry per user.
"""

from __future__ import annotations

import os
from pathlib import Path

from dos.config import SubstrateConfig
from dos.user_paths import expand_user

__all__ = ["HOME_ENVS", "explicit_home", "home_dir", "owner", "registry_target", "throwaway"]

HOME_ENVS = ("DOS_HOME", "DISPATCH_HOME")
_REGISTRY_FILE = "registry.db"


def explicit_home() -> str:
    """DOS_HOME, else DISPATCH_HOME, else ""."""
    return next((os.environ[name] for name in HOME_ENVS if os.environ.get(name, "").strip()), "")


def home_dir() -> Path:
    from platformdirs import user_data_dir

    chosen = explicit_home()
    return expand_user(chosen, what="DOS_HOME").resolve() if chosen \
        else Path(user_data_dir("dos"))


def registry_target(config: SubstrateConfig) -> str:
    """The workspace's PostgreSQL store URL, else the registry file under DOS_HOME."""
    from dos.store import store_url
    from dos.store.urls import is_postgres_url

    url = store_url(config)
    return url if is_postgres_url(url) else str(home_dir() / _REGISTRY_FILE)


def owner() -> str:
    """``user@host``: whose rows these are in a registry many users may share."""
    import getpass
    import socket

    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name and no passwd entry (a bare container)
        user = f"uid{os.getuid()}" if hasattr(os, "getuid") else "user"
    return f"{user}@{socket.gethostname()}"


def throwaway(root: Path) -> bool:
    """A root under the temp directory is not registered unless a home is named: test
    and demo repositories (`dos quickstart`) would otherwise fill the registry."""
    if explicit_home():
        return False
    return any(root == temp or temp in root.parents for temp in _temp_roots())


def _temp_roots() -> set[Path]:
    """Where temporary directories live, as ``tempfile`` would look first, without its
    import (it drags ``shutil``, ``bz2`` and ``lzma`` into every writing verb)."""
    named = [os.environ.get(key) for key in ("TMPDIR", "TEMP", "TMP")]
    # only compared against, never written to
    places = [name for name in named if name] + ["/tmp", "/var/tmp", "/usr/tmp"]  # noqa: S108
    return {Path(place).resolve() for place in places}
