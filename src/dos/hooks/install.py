"""``dos init --hooks HOST``: wire dos into a host's own hook config, idempotently and
reversibly; and the WIRED / DRIFTED / NOT_WIRED check ``dos doctor --wiring`` shows.

The merge is pure (:mod:`install_json`, :mod:`install_toml`); this module reads the
file, writes it atomically, and keeps the file's pre-dos bytes under
``.dos/hooks/`` so an uninstall gives them back exactly when nothing else changed.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from dos.errors import UsageError
from dos.hooks import install_json, install_toml
from dos.hooks.confine import confined
from dos.hooks.install_hosts import HOSTS, HostSpec, spec_for
from dos.hooks.install_program import hook_program, program_problem

__all__ = ["HOSTS", "Plan", "Wiring", "apply", "plan_install", "plan_uninstall", "wiring"]


class Plan:
    """What installing or uninstalling would do. ``after`` None deletes the file;
    ``sidecar`` is what to do with the saved original: save, absent, keep or drop.
    ``path`` is the file as the host names it, ``target`` where it really is."""

    __slots__ = ("action", "after", "before", "fail_closed", "path", "sidecar", "spec",
                 "target")

    def __init__(self, spec: HostSpec, path: Path, before: str | None, after: str | None,
                 action: str, *, sidecar: str = "keep", fail_closed: bool = False,
                 target: Path | None = None) -> None:
        self.spec, self.path, self.before, self.after = spec, path, before, after
        self.action, self.sidecar, self.fail_closed = action, sidecar, fail_closed
        self.target = target or path

    @property
    def changes(self) -> bool:
        return self.after != self.before

    def to_dict(self) -> dict[str, Any]:
        return {"host": self.spec.name, "path": str(self.path), "action": self.action,
                "events": [event for event, _ in self.spec.events],
                "fail_closed": self.fail_closed, "notes": list(self.spec.notes)}


class Wiring:
    """One host's wiring as found on disk; ``program`` is what its hooks run."""

    __slots__ = ("detail", "fail_closed", "host", "path", "program", "status")

    def __init__(self, host: str, path: Path, status: str, detail: str = "", *,
                 fail_closed: bool = False, program: str | None = None) -> None:
        self.host, self.path, self.status = host, path, status
        self.detail, self.fail_closed, self.program = detail, fail_closed, program

    def to_dict(self) -> dict[str, Any]:
        return {"host": self.host, "path": str(self.path), "status": self.status,
                "detail": self.detail, "fail_closed": self.fail_closed,
                "program": self.program}


def _read(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not UTF-8 text", hint="fix or remove the file") from None
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}",
                         hint="check the file's permissions") from None


def _json_object(text: str | None, path: Path) -> dict[str, Any]:
    if text is None or not text.strip():
        return {}
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:  # RecursionError: nested too deeply
        why = "nested too deeply to read" if isinstance(error, RecursionError) else error
        raise UsageError(f"{path} is not valid JSON ({why})",
                         hint="fix the file by hand; dos never overwrites a file it cannot "
                         "read") from None
    if not isinstance(data, dict):
        raise UsageError(f"{path} does not hold a JSON object", hint="fix the file by hand")
    return data


def _status(spec: HostSpec, text: str, path: Path) -> tuple[str, bool, str, str | None]:
    if spec.layout == "toml":
        return install_toml.status(text, spec)
    return install_json.status(_json_object(text, path), spec)


def _merged(spec: HostSpec, text: str | None, path: Path, fail_closed: bool,
            program: str) -> str:
    if spec.layout == "toml":
        return install_toml.merged(text or "", spec, fail_closed=fail_closed, program=program)
    data = install_json.merged(_json_object(text, path), spec, fail_closed=fail_closed,
                               program=program)
    return install_json.dumps_like(data, text)


def _has_ours(spec: HostSpec, text: str | None, path: Path) -> bool:
    if text is None:
        return False
    if spec.layout == "toml":
        return install_toml.stripped(text)[1] > 0
    return bool(install_json.ours_by_event(_json_object(text, path), spec))


def plan_install(root: Path, host: str, *, fail_closed: bool = False) -> Plan:
    """Our canonical entries merged into the host's config; unchanged when already wired."""
    spec = spec_for(host)
    path, target = _located(root, spec)
    program = hook_program()
    before = _read(target)
    found = _status(spec, before, path) if before is not None else (
        "NOT_WIRED", False, "", None)
    if found[:2] == ("WIRED", fail_closed) and found[3] == program:
        return Plan(spec, path, before, before, "unchanged", fail_closed=fail_closed,
                    target=target)
    after = _merged(spec, before, path, fail_closed, program)
    # the Codex block comes out byte for byte by itself; JSON needs the original kept
    pristine = spec.layout != "toml" and not _has_ours(spec, before, path)
    sidecar = "absent" if before is None else ("save" if pristine else "keep")
    action = "repaired" if found[0] != "NOT_WIRED" else "wired"
    return Plan(spec, path, before, after, action, sidecar=sidecar, fail_closed=fail_closed,
                target=target)


def _located(root: Path, spec: HostSpec) -> tuple[Path, Path]:
    """The host's config file as named and as it really is, and the sidecars' place:
    all inside the workspace (a symlink leading out is refused, exit 2)."""
    path = root / spec.path
    target = confined(root, path)
    for sidecar in _sidecars(root, spec.name):
        confined(root, sidecar)
    return path, target


def _sidecars(root: Path, host: str) -> tuple[Path, Path]:
    base = root / ".dos" / "hooks"
    return base / f"{host}.orig", base / f"{host}.absent"


def _restorable(spec: HostSpec, original: str, current: str, path: Path) -> bool:
    """Whether ``current`` holds exactly what installing into ``original`` gave."""
    if spec.layout == "toml":
        return False  # the block comes out byte for byte by itself
    try:
        before, now = _json_object(original, path), _json_object(current, path)
    except UsageError:
        return False
    program = install_json.status(now, spec)[3] or hook_program()
    return any(install_json.merged(before, spec, fail_closed=closed, program=program) == now
               for closed in (False, True))


def plan_uninstall(root: Path, host: str) -> Plan:
    """Our entries removed; the pre-dos bytes back when nothing else changed since."""
    spec = spec_for(host)
    path, target = _located(root, spec)
    before = _read(target)
    if before is None or not _has_ours(spec, before, path):
        return Plan(spec, path, before, before, "absent" if before is None else "none",
                    target=target)
    original_path, absent_path = _sidecars(root, host)
    original = _read(original_path)
    if original is not None and _restorable(spec, original, before, path):
        return Plan(spec, path, before, original, "restored", sidecar="drop", target=target)
    if spec.layout == "toml":
        after = install_toml.stripped(before)[0]
        empty = not after
    else:
        data = install_json.stripped(_json_object(before, path), spec)[0]
        after, empty = install_json.dumps_like(data, before), data in ({}, {"version": 1})
    if empty and absent_path.exists():
        return Plan(spec, path, before, None, "deleted", sidecar="drop", target=target)
    return Plan(spec, path, before, after, "removed", sidecar="drop", target=target)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        Path(temp).chmod(mode if mode is not None else 0o666 & ~_umask())
        Path(temp).replace(path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _keep_sidecar(root: Path, plan: Plan) -> None:
    original, absent = _sidecars(root, plan.spec.name)
    if plan.sidecar in ("save", "absent"):
        dot_dos = root / ".dos"
        if not (dot_dos / ".gitignore").exists():
            _write_atomically(dot_dos / ".gitignore", "*\n!.gitignore\n")
        if plan.sidecar == "save" and plan.before is not None:
            _write_atomically(original, plan.before)
            absent.unlink(missing_ok=True)
        else:
            _write_atomically(absent, "")
            original.unlink(missing_ok=True)
    elif plan.sidecar == "drop":
        original.unlink(missing_ok=True)
        absent.unlink(missing_ok=True)
        if original.parent.is_dir() and not any(original.parent.iterdir()):
            original.parent.rmdir()


def apply(root: Path, plan: Plan) -> None:
    """Carry out ``plan``: the saved original first, then the host's file."""
    if not plan.changes:
        return
    _keep_sidecar(root, plan)
    if plan.after is not None:
        _write_atomically(plan.target, plan.after)
        return
    plan.target.unlink(missing_ok=True)
    folder = plan.path.parent  # (a linked folder stays: dos did not make it)
    if not folder.is_symlink() and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()


def wiring(root: Path, host: str) -> Wiring:
    """WIRED, DRIFTED (ours but not canonical, not runnable — its program does not
    resolve to an executable —, outside the workspace, or unreadable) or NOT_WIRED."""
    spec = spec_for(host)
    path = root / spec.path
    try:
        text = _read(confined(root, path))
        if text is None:
            return Wiring(host, path, "NOT_WIRED", "no config file")
        status, closed, detail, program = _status(spec, text, path)
    except UsageError as error:
        return Wiring(host, path, "DRIFTED", error.message)
    broken = program_problem(program) if status == "WIRED" and program else ""
    if broken:
        return Wiring(host, path, "DRIFTED", f"{broken}; repair with `dos init --hooks {host}`",
                      fail_closed=closed, program=program)
    return Wiring(host, path, status, detail, fail_closed=closed, program=program)
