"""Which paths a shell command writes, read with :mod:`shlex` (never a shell).

Redirections (``>``, ``>>``, ``&>``, ``tee``), ``cp``/``mv``/``ln``/``install``
targets, ``sed -i``/``perl -i``, ``touch``/``rm``/``mkdir``/``truncate``, ``chmod``
and friends, ``dd of=``, ``cd`` within the command, ``sh -c '…'`` and ``apply_patch``
are understood. A target whose text needs the shell to expand it (``$VAR``, ``~``,
backquotes, braces) is reported as unresolved rather than guessed.
"""

from __future__ import annotations

import posixpath
import re

from dos.hooks.writes import ShellWrites, needs_shell
from dos.shell_words import OPERATOR_CHARS, REDIRECT_IN, REDIRECT_OUT, is_operator, unwrap
from dos.shell_words import tokens as shell_tokens

__all__ = ["patch_paths", "shell_writes"]

_SHELLS = frozenset({"sh", "bash", "zsh", "dash", "ksh", "busybox"})
_OPTION_VALUES = {  # options that take the next word as their value
    "cp": {"-t", "-S", "--target-directory", "--suffix"},
    "mv": {"-t", "-S", "--target-directory", "--suffix"},
    "ln": {"-t", "-S", "--target-directory", "--suffix"},
    "install": {"-t", "-S", "-m", "-o", "-g", "--target-directory", "--suffix", "--mode"},
    "mkdir": {"-m", "--mode"}, "touch": {"-d", "-t", "-r", "--date", "--reference"},
    "truncate": {"-s", "-r", "--size", "--reference"}, "shred": {"-n", "-s"},
    "sed": {"-e", "-f", "-l", "--expression", "--file", "--line-length"},
    "perl": {"-e", "-E", "-M", "-I"}, "tee": set(), "rm": set(), "chmod": set(),
    "chown": set(), "chgrp": set(),
}
_PLAIN_WRITERS = frozenset({"tee", "touch", "rm", "rmdir", "unlink", "mkdir", "truncate",
                            "shred"})
_PATCH_FILE = re.compile(
    r"^\*\*\* (?:Add|Update|Delete) File: (.+?)\s*$|^\*\*\* Move to: (.+?)\s*$", re.MULTILINE)
_MAX_DEPTH = 3


def patch_paths(text: str) -> list[str]:
    """The files an ``apply_patch`` body adds, updates, deletes or moves to."""
    return [(match.group(1) or match.group(2)) for match in _PATCH_FILE.finditer(text)]


def shell_writes(command: str) -> ShellWrites:
    """The paths ``command`` writes. An unparseable command is one unresolved entry."""
    writes = ShellWrites()
    _walk(command, writes, "", 0)
    return writes


def _walk(command: str, writes: ShellWrites, cwd: str | None, depth: int) -> str | None:
    try:
        tokens = shell_tokens(command)
    except ValueError:
        writes.unresolved.append(command[:200])
        return cwd
    words: list[str] = []
    index = 0
    while index < len(tokens):
        word = tokens[index]
        if word in REDIRECT_OUT or word in REDIRECT_IN:
            target = tokens[index + 1] if index + 1 < len(tokens) else ""
            is_fd = word == ">&" and (target.isdigit() or target == "-")
            writes.mention(cwd, target)
            if word in REDIRECT_OUT and not is_fd and not set(target) <= OPERATOR_CHARS:
                writes.add(cwd, target)
            index += 2
            continue
        if is_operator(word):
            cwd = _simple(words, writes, cwd, depth, command)
            words = []
        else:
            words.append(word)
        index += 1
    return _simple(words, writes, cwd, depth, command)


def _simple(words: list[str], writes: ShellWrites, cwd: str | None, depth: int,
            whole: str) -> str | None:
    words = unwrap(words)
    for word in words:
        writes.mention(cwd, word)
    if not words:
        return cwd
    program, args = posixpath.basename(words[0]), words[1:]
    if program == "cd":
        return _cd(cwd, args)
    if program in _SHELLS and "-c" in args[:-1] and depth < _MAX_DEPTH:
        _walk(args[args.index("-c") + 1], writes, cwd, depth + 1)
    elif program in ("apply_patch", "applypatch"):
        for path in patch_paths(whole):
            writes.add(cwd, path)
    else:
        _writer(program, args, writes, cwd)
    return cwd


def _cd(cwd: str | None, args: list[str]) -> str | None:
    operands = [arg for arg in args if not arg.startswith("-")]
    if len(operands) != 1 or cwd is None or needs_shell(operands[0]):
        return None  # `cd`, `cd -`, `cd ~`: the shell's directory is unknown from here
    return posixpath.join(cwd, operands[0]) if cwd or operands[0].startswith("/") else (
        operands[0])


def _split_options(program: str, args: list[str]) -> tuple[set[str], dict[str, str], list[str]]:
    """Flags seen, option values, and operands (``--`` ends the options)."""
    takes_value = _OPTION_VALUES.get(program, set())
    flags: set[str] = set()
    values: dict[str, str] = {}
    operands: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            operands.extend(args[index + 1:])
            break
        name, eq, value = arg.partition("=")
        if arg.startswith("-") and len(arg) > 1:
            if name in takes_value and not eq:
                values[name] = args[index + 1] if index + 1 < len(args) else ""
                index += 1
            elif name in takes_value:
                values[name] = value
            flags.add(arg)
        else:
            operands.append(arg)
        index += 1
    return flags, values, operands


class _Call:
    """One simple command: its flags, option values and operands."""

    __slots__ = ("args", "flags", "operands", "program", "values")

    def __init__(self, program: str, args: list[str]) -> None:
        self.program, self.args = program, args
        self.flags, self.values, self.operands = _split_options(program, args)

    @property
    def recursive(self) -> bool:
        return any(flag in ("--recursive", "-a", "--archive") or (
            not flag.startswith("--") and ("r" in flag or "R" in flag)) for flag in self.flags)

    @property
    def in_place(self) -> bool:
        return any(flag.startswith("--in-place") or (not flag.startswith("--") and "i" in flag)
                   for flag in self.flags)


def _plain(call: _Call, writes: ShellWrites, cwd: str | None) -> None:
    recursive = call.program == "rmdir" or (call.program == "rm" and call.recursive)
    for operand in call.operands:
        writes.add(cwd, operand, recursive=recursive)


def _in_place(call: _Call, writes: ShellWrites, cwd: str | None) -> None:
    if not call.in_place:
        return
    scripted = any(key in call.values for key in ("-e", "-f", "--expression", "--file", "-E"))
    for operand in call.operands[0 if scripted else 1:]:
        writes.add(cwd, operand)


def _mode_change(call: _Call, writes: ShellWrites, cwd: str | None) -> None:
    referenced = any(flag.startswith("--reference") for flag in call.flags)
    for operand in call.operands[0 if referenced else 1:]:
        writes.add(cwd, operand, recursive=call.recursive)


def _dd(call: _Call, writes: ShellWrites, cwd: str | None) -> None:
    for arg in call.args:
        if arg.startswith("of="):
            writes.add(cwd, arg[3:])


def _find(call: _Call, writes: ShellWrites, cwd: str | None) -> None:
    if "-delete" not in call.args:
        return
    for operand in call.args:
        if operand.startswith(("-", "(", "!")):
            break
        writes.add(cwd, operand, recursive=True)


def _copy_like(call: _Call, writes: ShellWrites, cwd: str | None) -> None:
    directory = call.values.get("-t") or call.values.get("--target-directory")
    if directory is None:
        if len(call.operands) < 2:
            return
        *sources, target = call.operands
    else:
        sources, target = call.operands, directory
    recursive = call.program == "mv" or (call.program == "cp" and call.recursive)
    # a lone source may be renamed to the target itself, a whole tree when recursive
    renamed = recursive and len(sources) == 1 and not target.endswith("/")
    writes.add(cwd, target, recursive=renamed)
    for source in sources:
        if not needs_shell(target):
            writes.add(cwd, posixpath.join(target, posixpath.basename(source.rstrip("/"))),
                       recursive=recursive)
        if call.program == "mv":
            writes.add(cwd, source, recursive=True)


def _git(call: _Call, writes: ShellWrites, cwd: str | None) -> None:
    # `git clean -x` also deletes ignored files: .dos/ among them
    ignored = any(not flag.startswith("--") and ("x" in flag or "X" in flag)
                  for flag in call.flags)
    if call.operands[:1] == ["clean"] and ignored:
        writes.add(cwd, ".", recursive=True)


_HANDLERS = {
    **dict.fromkeys(_PLAIN_WRITERS, _plain),
    **dict.fromkeys(("cp", "mv", "ln", "install"), _copy_like),
    **dict.fromkeys(("sed", "perl"), _in_place),
    **dict.fromkeys(("chmod", "chown", "chgrp"), _mode_change),
    "dd": _dd, "find": _find, "git": _git,
}


def _writer(program: str, args: list[str], writes: ShellWrites, cwd: str | None) -> None:
    handler = _HANDLERS.get(program)
    if handler is not None:
        handler(_Call(program, args), writes, cwd)
