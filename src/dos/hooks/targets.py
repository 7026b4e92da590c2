"""What a tool call would write, from the tool's name and input: file tools, patch
tools and shell commands. Reads and unknown tools write nothing we can name."""

from __future__ import annotations

from dos.hooks.events import as_str
from dos.hooks.writes import ShellWrites

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dos.hooks.events import HookEvent

__all__ = ["PATH_KEYS", "writes_of"]

PATH_KEYS = ("file_path", "path", "notebook_path", "absolute_path", "target_file",
             "filename", "destination", "new_path")
_FILE_WRITERS = frozenset({
    "write", "edit", "multiedit", "notebookedit", "write_file", "replace", "edit_file",
    "create_file", "delete_file", "search_replace", "str_replace", "str_replace_editor",
    "str_replace_based_edit_tool", "delete", "create",
})
_PATCHERS = frozenset({"apply_patch", "applypatch"})
_SHELLS = frozenset({
    "bash", "shell", "run_shell_command", "shell_command", "exec_command", "local_shell",
    "run_terminal_cmd", "terminal", "execute_command", "run_command", "container.exec",
})
# verbs that mark an unknown (e.g. MCP) tool as one that changes the files it names
_WRITE_VERBS = ("write", "edit", "create", "delete", "remove", "move", "rename", "patch",
                "replace", "save", "append", "mkdir", "upload")


def _short_name(tool_name: str) -> str:
    """``mcp__server__write_file`` → ``write_file``, lower-cased."""
    return tool_name.rsplit("__", 1)[-1].strip().lower()


def _named_paths(tool_input: dict[str, object] | object) -> list[str]:
    if not isinstance(tool_input, dict):
        return []
    named = [as_str(tool_input.get(key)).strip() for key in PATH_KEYS]
    return [path for path in named if path]


def _patch_text(tool_input: dict[str, object]) -> str:
    texts = [as_str(tool_input.get(key)) for key in ("patch", "input", "command", "content")]
    return "\n".join(text for text in texts if text)


def writes_of(event: HookEvent) -> ShellWrites | None:
    """The paths the call writes, or None when the tool reads or is not known to write."""
    name = _short_name(event.tool_name)
    tool_input = dict(event.tool_input)
    writes = ShellWrites()
    if name in _SHELLS or (event.command and not event.tool_name):
        from dos.hooks.shell import shell_writes

        return shell_writes(event.command) if event.command else None
    if name in _PATCHERS:
        from dos.hooks.shell import patch_paths

        paths = patch_paths(_patch_text(tool_input))
        if not paths:
            writes.unresolved.append(event.tool_name)
    elif name in _FILE_WRITERS or any(verb in name for verb in _WRITE_VERBS):
        paths = _named_paths(tool_input)
        if not paths and name in _FILE_WRITERS:
            writes.unresolved.append(event.tool_name)
    else:
        return None
    for path in paths:
        writes.add("", path)
    return writes if writes.targets or writes.unresolved else None
