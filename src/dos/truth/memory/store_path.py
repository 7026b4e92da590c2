"""Where Claude Code keeps a project's memory notes, on Linux, macOS and Windows (pure).

``<config>/projects/<slug>/memory`` where ``<config>`` is ``$CLAUDE_CONFIG_DIR``, else
``.claude`` in the home directory (``%USERPROFILE%`` on Windows), and ``<slug>`` is the
project path with every character but an ASCII letter or digit turned into ``-``
(``/home/u/repo`` → ``-home-u-repo``, ``C:\\Users\\u\\repo`` → ``C--Users-u-repo``). A
slug longer than 200 characters keeps its first 200 and gains ``-<hash>``. The project is
the repository's main working tree (every worktree shares its notes); older hosts keyed
it by the working directory, so that is tried next. An ``autoMemoryDirectory`` setting
replaces all of this.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePath, PurePosixPath, PureWindowsPath

__all__ = ["MAX_SLUG", "config_directory", "home_directory", "project_slug", "slug_prefix",
           "store_candidates"]

MAX_SLUG = 200
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _flavour(platform: str) -> type[PurePath]:
    return PureWindowsPath if platform.startswith(("win", "cygwin")) else PurePosixPath


def _utf16_units(text: str) -> list[int]:
    data = text.encode("utf-16-le", "surrogatepass")
    return [int.from_bytes(data[i:i + 2], "little") for i in range(0, len(data), 2)]


def _base36(number: int) -> str:
    digits = ""
    while True:
        number, digit = divmod(number, 36)
        digits = _DIGITS[digit] + digits
        if not number:
            return digits


def _path_hash(text: str) -> str:
    """The host's 32-bit string hash of ``text`` (over UTF-16 units), in base 36."""
    value = 0
    for unit in _utf16_units(text):
        value = (value * 31 + unit) & 0xFFFFFFFF
    signed = value - (1 << 32) if value & 0x80000000 else value
    return _base36(abs(signed))


def project_slug(project: str) -> str:
    """The directory name the host gives ``project`` under ``projects/``."""
    units = _utf16_units(project)
    slug = "".join(chr(u) if chr(u).isascii() and chr(u).isalnum() else "-" for u in units)
    if len(slug) <= MAX_SLUG:
        return slug
    return f"{slug[:MAX_SLUG]}-{_path_hash(project)}"


def slug_prefix(slug: str) -> str | None:
    """For a shortened slug, the part any host's hash suffix follows; else None."""
    return slug[:MAX_SLUG + 1] if len(slug) > MAX_SLUG else None


def home_directory(platform: str, env: Mapping[str, str], home: str) -> str:
    """The home directory the host uses: ``%USERPROFILE%`` on Windows, ``$HOME`` elsewhere."""
    if _flavour(platform) is PureWindowsPath:
        drive_path = env.get("HOMEDRIVE", "") + env.get("HOMEPATH", "")
        return env.get("USERPROFILE") or drive_path or home
    return env.get("HOME") or home


def _expand(path: str, home: str, flavour: type[PurePath]) -> PurePath:
    if path == "~" or path.startswith(("~/", "~\\")):
        return flavour(home, path[2:]) if len(path) > 1 else flavour(home)
    return flavour(path)


def _drive_variants(project: str, flavour: type[PurePath]) -> list[str]:
    """A Windows path as given and with its drive letter in the other case."""
    if flavour is PureWindowsPath and len(project) > 1 and project[1] == ":":
        return [project, project[0].swapcase() + project[1:]]
    return [project]


def config_directory(platform: str, env: Mapping[str, str], home: str) -> str:
    """The host's configuration directory: ``$CLAUDE_CONFIG_DIR``, else ``~/.claude``."""
    flavour = _flavour(platform)
    home = home_directory(platform, env, home)
    configured = env.get("CLAUDE_CONFIG_DIR")
    return str(_expand(configured, home, flavour) if configured else flavour(home, ".claude"))


def store_candidates(*, platform: str, env: Mapping[str, str], home: str, workspace: str,
                     git_root: str | None = None,
                     auto_memory_directory: str | None = None) -> tuple[str, ...]:
    """The memory directories to try, in order, for ``workspace`` on ``platform``
    (``sys.platform``), given the environment and the home directory."""
    flavour = _flavour(platform)
    home = home_directory(platform, env, home)
    if auto_memory_directory:
        return (str(_expand(auto_memory_directory, home, flavour)),)
    base = flavour(config_directory(platform, env, home))
    projects = [variant for project in (git_root, workspace) if project
                for variant in _drive_variants(project, flavour)]
    found = [str(base / "projects" / project_slug(project) / "memory")
             for project in projects]
    return tuple(dict.fromkeys(found))
