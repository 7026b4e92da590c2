"""The pretool verdict: another holder's lease denies, the holder passes, paths are
resolved as the tool will see them (./, a cwd below the root, symlinks, escapes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dos.admission.lease import Lease
from dos.hooks.dialects.claude_code import parse
from dos.hooks.events import ALLOW, DENY, WARN, HookEvent
from dos.hooks.pretool import decide

API = Lease(lease_id=7, lane="api", tree=("src/api/**",), holder="A")


def _write(path: str, *, session: str = "B", cwd: str = "", tool: str = "Write") -> HookEvent:
    return parse("pretool", {"session_id": session, "cwd": cwd, "hook_event_name": "PreToolUse",
                             "tool_name": tool, "tool_input": {"file_path": path}})


def _bash(command: str, *, session: str = "B", cwd: str = "") -> HookEvent:
    return parse("pretool", {"session_id": session, "cwd": cwd, "tool_name": "Bash",
                             "tool_input": {"command": command}})


def _action(event: HookEvent, root: Path, leases: tuple[Lease, ...] = (API,),
            mine: tuple[str, ...] = ("B",)) -> str:
    return decide(event, root=root, leases=leases, mine=frozenset(mine)).action


@pytest.mark.parametrize("path", ["src/api/a.py", "./src/api/a.py", "src/ui/../api/a.py",
                                  "SRC/API/A.PY", "src//api/a.py"])
def test_spellings_of_a_leased_path_are_denied(path: str, tmp_path: Path) -> None:
    assert _action(_write(path, cwd=str(tmp_path)), tmp_path) == DENY


def test_absolute_path_and_cwd_below_the_root(tmp_path: Path) -> None:
    assert _action(_write(str(tmp_path / "src/api/a.py")), tmp_path) == DENY
    assert _action(_write("api/a.py", cwd=str(tmp_path / "src")), tmp_path) == DENY
    assert _action(_write("ui/a.py", cwd=str(tmp_path / "src")), tmp_path) == ALLOW


def test_holder_and_dos_owner_may_write(tmp_path: Path) -> None:
    event = _write("src/api/a.py", session="A", cwd=str(tmp_path))
    assert _action(event, tmp_path, mine=("A",)) == ALLOW
    assert _action(_write("src/api/a.py", session="x"), tmp_path, mine=("x", "A")) == ALLOW


def test_symlink_into_a_leased_tree_is_denied(tmp_path: Path) -> None:
    (tmp_path / "src" / "api").mkdir(parents=True)
    (tmp_path / "shortcut").symlink_to(tmp_path / "src" / "api")
    assert _action(_write("shortcut/a.py", cwd=str(tmp_path)), tmp_path) == DENY


def test_symlink_out_of_the_workspace_is_denied(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    root.mkdir()
    (root / "escape").symlink_to(tmp_path)
    assert _action(_write("escape/x.py", cwd=str(root)), root, leases=()) == DENY
    assert _action(_write("../x.py", cwd=str(root)), root, leases=()) == DENY
    assert _action(_write("/etc/passwd", cwd=str(root)), root, leases=()) == DENY


def test_writes_outside_every_lease_pass(tmp_path: Path) -> None:
    assert _action(_write("docs/readme.md", cwd=str(tmp_path)), tmp_path) == ALLOW
    assert _action(_bash("echo > /dev/null; npm test", cwd=str(tmp_path)), tmp_path) == ALLOW


def test_reads_and_unknown_tools_pass_even_with_leases(tmp_path: Path) -> None:
    for tool in ("Read", "Grep", "Glob", "mcp__github__get_issue", "WebFetch"):
        assert _action(_write("src/api/a.py", tool=tool, cwd=str(tmp_path)), tmp_path) == ALLOW


def test_a_write_verb_in_an_mcp_tool_counts_as_a_write(tmp_path: Path) -> None:
    event = _write("src/api/a.py", tool="mcp__fs__write_file", cwd=str(tmp_path))
    assert _action(event, tmp_path) == DENY


def test_recursive_delete_of_a_parent_is_denied(tmp_path: Path) -> None:
    assert _action(_bash("rm -rf src", cwd=str(tmp_path)), tmp_path) == DENY
    assert _action(_bash("rm src", cwd=str(tmp_path)), tmp_path) == ALLOW
    assert _action(_bash("rm src/api/*.py", cwd=str(tmp_path)), tmp_path) == DENY


def test_unresolved_target_warns_only_when_others_hold_leases(tmp_path: Path) -> None:
    event = _bash("echo > $OUT", cwd=str(tmp_path))
    assert _action(event, tmp_path) == WARN
    assert _action(event, tmp_path, leases=()) == ALLOW
    assert _action(_bash("echo > $OUT", session="A", cwd=str(tmp_path)), tmp_path,
                   mine=("A",)) == ALLOW


def test_shared_leases_let_fellow_holders_write(tmp_path: Path) -> None:
    shared_a = Lease(lease_id=1, lane="docs", tree=("docs/**",), holder="A", mode="shared")
    shared_b = Lease(lease_id=2, lane="docs", tree=("docs/**",), holder="B", mode="shared")
    event = _write("docs/x.md", cwd=str(tmp_path))
    assert _action(event, tmp_path, leases=(shared_a, shared_b)) == ALLOW
    assert _action(event, tmp_path, leases=(shared_a,)) == DENY


def test_a_lease_without_a_tree_covers_everything(tmp_path: Path) -> None:
    whole = Lease(lease_id=3, lane="global", tree=(), holder="A")
    assert _action(_write("anything.txt", cwd=str(tmp_path)), tmp_path, leases=(whole,)) == DENY


@pytest.mark.parametrize("cwd", ["\x00", "a\x00b", "src/\x00"])
def test_a_cwd_no_file_system_holds_leaves_relative_targets_unresolved(
        tmp_path: Path, cwd: str) -> None:
    """Found by the long fuzz run: a NUL in the payload's cwd crashed the path resolution
    (and the hook fell back to its on_error answer). A relative target under it has no
    place to resolve to: advisory when another session holds a lease; an absolute one is
    judged as ever, and so is a shell command naming .dos/ from there."""
    assert _action(_write("src/api/a.py", cwd=cwd), tmp_path) == WARN
    assert _action(_write(str(tmp_path / "src/api/a.py"), cwd=cwd), tmp_path) == DENY
    assert _action(_bash("echo x > .dos/dos.db", cwd=cwd), tmp_path) == DENY
