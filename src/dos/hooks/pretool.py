"""``dos hook pretool``: refuse a write into a tree leased by another holder, outside
the workspace, or into what the referee itself runs on (:mod:`dos.hooks.guard`:
``.dos/``, the store, ``dos.toml``), and any call of a tool ``[precursor]`` gates before
the lookups it needs (:mod:`dos.hooks.precursor_check`). The holder itself may write
inside its own lease; reads and calls that write nothing pass quietly.

The holder is matched against the payload's session id, or ``DOS_OWNER`` in the
hook's environment. Paths are resolved the way the tool will see them: relative to
the event's ``cwd`` (and any ``cd`` in a shell command), ``.``/``..`` collapsed,
symlinks followed; both the spelled and the resolved path must stay clear.
"""

from __future__ import annotations

import os

from dos.hooks.events import ALLOW, DENY, WARN, Outcome
from dos.hooks.guard import Guard
from dos.hooks.targets import writes_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Protocol

    from dos.admission.lease import Lease
    from dos.hooks.events import HookEvent
    from dos.hooks.store_view import StoreView
    from dos.hooks.writes import ShellWrites, Target

    class Loader(Protocol):
        def store_view(self) -> StoreView: ...

        def precursor_view(self) -> StoreView | None: ...

__all__ = ["OWNER_ENV", "decide", "identities", "run"]

OWNER_ENV = "DOS_OWNER"
_PREFIX = "DOS PRE-admission: "
_SHOWN = 200  # characters of a path or command quoted back to the agent


def identities(event: HookEvent) -> frozenset[str]:
    """Who is writing: the session id, and ``DOS_OWNER`` when the hook's env sets it."""
    names = {event.session_id.strip(), os.environ.get(OWNER_ENV, "").strip()}
    return frozenset(name for name in names if name)


def _shown(text: str) -> str:
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def _join(base: str, path: str) -> str:
    # string paths: pathlib costs start-up time on every hook call
    return path if path.startswith("/") else f"{base.rstrip('/')}/{path}" if path else base


def _inside(path: str, root: str) -> str | None:
    """``path`` relative to ``root`` ("" for the root itself), or None when outside."""
    relative = os.path.relpath(path, root)
    if relative == ".":
        return ""
    if relative == ".." or relative.startswith(("../", "/")):
        return None
    return relative


def _resolve(target: Target, cwd: str, root: str) -> list[str] | None:
    """The workspace-relative spellings of ``target`` (as written, and with symlinks
    followed), or None when either lies outside the workspace."""
    spelled = os.path.normpath(_join(cwd, target.path))
    real_root = os.path.realpath(root)
    lexical = _inside(spelled, root)
    if lexical is None:
        lexical = _inside(spelled, real_root)
    resolved = _inside(os.path.realpath(spelled), real_root)
    if lexical is None or resolved is None:
        return None
    return list(dict.fromkeys((lexical, resolved)))


def _covers(lease: Lease, relative: str, whole_tree: bool) -> bool:
    """Whether a write to ``relative`` (and below it, when ``whole_tree``) touches the
    lease's tree. A lease with no tree claims an unknown blast radius: everything."""
    from dos.admission.tree import globs_overlap, is_glob, matches

    if not lease.tree:
        return True
    if whole_tree:
        return globs_overlap([f"{relative}/**" if relative else "**"], lease.tree)
    if not relative:
        return False  # the root directory itself, not a file in it
    return any(matches(relative, glob) for glob in lease.tree) or (
        is_glob(relative) and globs_overlap([relative], lease.tree))


def _blocking(relative: str, whole_tree: bool, leases: Sequence[Lease],
              mine: frozenset[str]) -> Lease | None:
    """The first other holder's lease over ``relative``; a shared lease over it does not
    block a writer that holds a lease over the same path."""
    own = [lease for lease in leases if lease.holder in mine]
    for lease in leases:
        if lease.holder in mine or not _covers(lease, relative, whole_tree):
            continue
        if lease.mode == "shared" and any(_covers(o, relative, whole_tree) for o in own):
            continue
        return lease
    return None


def _deny_lease(relative: str, lease: Lease) -> Outcome:
    tree = ", ".join(lease.tree) or "(no tree: the whole workspace)"
    return Outcome(DENY, f"{_PREFIX}{_shown(relative or '.')} is inside lane '{lease.lane}' "
                   f"(tree {tree}), leased by {lease.holder} (lease #{lease.lease_id}). "
                   f"Only the holder may write there: work inside a lane you hold "
                   f"(`dos lease-lane acquire`), or wait until it is released.",
                   facts={"reason": "LANE_HELD", "target": relative or ".",
                          "holder": lease.holder, "lane": lease.lane})


def _warn_unresolved(texts: Iterable[str], leases: Sequence[Lease]) -> Outcome:
    lanes = ", ".join(sorted({f"'{lease.lane}' ({lease.holder})" for lease in leases}))
    unique = list(dict.fromkeys(texts))
    quoted = ", ".join(f'"{_shown(text)}"' for text in unique)
    return Outcome(WARN, context=(
        f"DOS PRE-admission (advisory): cannot tell where {quoted} writes without running "
        f"a shell, and lane(s) {lanes} are leased by other sessions. Keep this call out of "
        f"their trees."), facts={"reason": "UNRESOLVED_TARGET", "target": unique[0]})


def _spellings(writes: ShellWrites, cwd: str, root: str,
               guard: Guard) -> list[tuple[str, bool]] | Outcome:
    """Each target's workspace-relative spellings (and whether the whole tree below
    it is written), or the deny for one outside the workspace or on a guarded spot."""
    spelled: list[tuple[str, bool]] = []
    for target in writes.targets:
        if "\x00" in _join(cwd, target.path):  # in the path, or in the cwd it is under:
            writes.unresolved.append(target.path.replace("\x00", "\\0"))  # no such file
            continue
        spellings = _resolve(target, cwd, root)
        if spellings is None:
            return Outcome(DENY, f"{_PREFIX}{_shown(target.path)} is outside the workspace "
                           f"{root}. Write inside the workspace.",
                           facts={"reason": "OUTSIDE_WORKSPACE", "target": target.path})
        for relative in spellings:
            refused = guard.refusal(relative, target.recursive)
            if refused is not None:
                return refused
            spelled.append((relative, target.recursive))
    return spelled


def _guarded(event: HookEvent, writes: ShellWrites, cwd: str, root: str,
             guard: Guard) -> list[tuple[str, bool]] | Outcome:
    if writes.words:  # a shell command (a patch tool's text is judged by its paths)
        opened = guard.opener(event.command, [(_join(cwd, where), word)
                                              for where, word in writes.words])
        if opened is not None:
            return opened
    return _spellings(writes, cwd, root, guard)


def _judge(writes: ShellWrites, spelled: list[tuple[str, bool]], leases: Sequence[Lease],
           mine: frozenset[str]) -> Outcome:
    for relative, whole_tree in spelled:
        blocking = _blocking(relative, whole_tree, leases, mine)
        if blocking is not None:
            return _deny_lease(relative, blocking)
    others = [lease for lease in leases if lease.holder not in mine]
    if writes.unresolved and others:
        return _warn_unresolved(writes.unresolved, others)
    target = (spelled[0][0] or ".") if spelled else (writes.unresolved or [""])[0]
    return Outcome(ALLOW, facts={"target": target})


def decide(event: HookEvent, *, root: os.PathLike[str] | str, leases: Sequence[Lease],
           mine: frozenset[str], guard: Guard | None = None) -> Outcome:
    """The pretool verdict for ``event`` against the live ``leases`` (pure but for
    following symlinks on disk). ``guard`` defaults to the workspace's own state and
    its ``dos.toml``."""
    writes = writes_of(event)
    if writes is None:
        return Outcome(ALLOW)
    base = os.fspath(root)
    spelled = _guarded(event, writes, _join(base, event.cwd), base, guard or Guard(base))
    return spelled if isinstance(spelled, Outcome) else _judge(writes, spelled, leases, mine)


def _admitted(event: HookEvent, load: Loader) -> Outcome:
    """Decide ``event`` against the guarded spots, then the workspace's live leases."""
    writes = writes_of(event)
    if writes is None:
        return Outcome(ALLOW)  # reads never load the config or touch the store
    view = load.store_view()
    guard = Guard(view.root, store_file=view.store_file,
                  allow_config_edits=view.allow_config_edits)
    spelled = _guarded(event, writes, _join(view.root, event.cwd), view.root, guard)
    if isinstance(spelled, Outcome):
        return spelled  # refused before the store is read
    if view.store_absent():
        return _judge(writes, spelled, (), identities(event))  # no store yet: no leases
    from dos.admission._lease_read import live_leases_in

    leases = live_leases_in(view.open_store())
    return _judge(writes, spelled, leases, identities(event))


def run(event: HookEvent, load: Loader) -> Outcome:
    """The lease check's outcome, then — when ``[precursor]`` gates the tool — the
    precursor check (:mod:`dos.hooks.precursor_check`); a deny stands as it is."""
    admitted = _admitted(event, load)
    if admitted.action == DENY:
        return admitted
    view = load.precursor_view()
    if view is None:
        return admitted  # no [precursor] table: nothing more is read or imported
    from dos.hooks.precursor_check import judge

    return judge(event, view, admitted, owners=identities(event))
