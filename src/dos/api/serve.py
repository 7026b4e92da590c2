"""Is a web server configured for this workspace (``dos doctor``), and is a host this
machine only (``dos serve``)? Reads ``[serve]`` and the filesystem; starts nothing."""

from __future__ import annotations

import ipaddress
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from dos.config import SubstrateConfig
from dos.user_paths import expand_user

__all__ = ["WEB_HINT", "is_loopback", "serve_status", "token_path", "web_available"]

WEB_HINT = "pip install 'dispatch-os[web]'"
_LOOPBACK_NAMES = ("localhost", "localhost.")


def is_loopback(host: str) -> bool:
    """``host`` names this machine only: localhost or a loopback address."""
    if host.strip().lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False  # any other name may resolve anywhere


def web_available() -> bool:
    """Starlette and uvicorn (the ``[web]`` extra) can be imported."""
    try:
        return all(find_spec(name) is not None for name in ("starlette", "uvicorn"))
    except (ImportError, ValueError):  # a broken or blocked install is not there
        return False


def token_path(path: str, base: Path) -> Path:
    where = expand_user(path, what="the token file")
    return where if where.is_absolute() else base / where


def serve_status(config: SubstrateConfig) -> dict[str, Any]:
    """``[serve]`` as ``dos doctor`` shows it, and the problem with it, if any."""
    table = config.table("serve")
    host, port, token_file = str(table["host"]), int(table["port"]), str(table["token_file"])
    problem = ""
    if token_file and not token_path(token_file, config.root).is_file():
        problem = f"[serve] token_file {token_file} does not exist"
    elif not token_file and not is_loopback(host):
        problem = f"[serve] host {host} is not loopback and no token_file is set"
    shown = f"[{host}]" if ":" in host else host
    return {"configured": "serve" in config.tables, "host": host, "port": port,
            "url": f"http://{shown}:{port}/", "token_file": token_file or None,
            "web_extra": web_available(), "problem": problem}
