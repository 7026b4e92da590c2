"""Does a shell command line run arbitrary code? BOUNDED, EMPTY or GRANTS_ARBITRARY_EXEC.

Pure, from a real parse (:mod:`dos.shell_words`): every simple command of a pipeline or
list is judged, wrappers (``env``, ``timeout``, ``nice``, ``sudo`` …) are looked through,
interpreters match with any version or ``.exe`` suffix. What cannot be read fails
closed: an unclosed quote, command substitution, a program named by an expansion, a
program word that is not a plain name. With an allow-list only listed programs are
BOUNDED; without one, the built-in set of code runners (plus ``extra``) is refused.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from dos.gates.exec_programs import ARBITRARY_PROGRAMS, CODE_ENV, risky_use
from dos.shell_words import ASSIGNMENT, simple_commands, unwrap_with
from dos.structs import field, struct
from dos.verdicts.gates import ExecCapabilityToken

__all__ = ["ExecPolicy", "ExecVerdict", "classify", "program_name"]

_SUBSTITUTIONS = ("$(", "`", "<(", ">(")
_PLAIN_NAME = re.compile(r"[a-z0-9_][a-z0-9._+-]*")
_SUFFIXES = (".exe", ".cmd", ".bat", ".com")
_VERSION = re.compile(r"[0-9][0-9._-]*$")
_SPLIT_STRING = ("-S", "--split-string")


@struct
class ExecPolicy:
    extra: frozenset[str] = frozenset()  # more programs that run code
    allow: frozenset[str] = frozenset()  # when set, only these are BOUNDED


@struct
class ExecVerdict:
    capability: ExecCapabilityToken
    program: str | None
    reason: str
    programs: tuple[str, ...] = field(default=())
    compound: bool = False
    mode: str = "deny-list"

    def to_dict(self) -> dict[str, Any]:
        return {"capability": self.capability.value, "program": self.program,
                "reason": self.reason, "programs": list(self.programs),
                "compound": self.compound, "mode": self.mode}


def program_name(word: str) -> str:
    """The name a program word runs: basename (``/`` or ``\\``), lower case, no ``.exe``."""
    name = posixpath.basename(word.replace("\\", "/")).lower()
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[:-len(suffix)]
    return name


def _family(name: str) -> str:
    """``python3.12`` → ``python``, ``pip3`` → ``pip``, ``node-18`` → ``node``."""
    return _VERSION.sub("", name).rstrip("-._") or name


def classify(command: str, policy: ExecPolicy | None = None) -> ExecVerdict:
    pol = policy or ExecPolicy()
    mode = "allow-list" if pol.allow else "deny-list"
    if not command.strip():
        return ExecVerdict(ExecCapabilityToken.EMPTY, None,
                           "empty command — no program token to classify", mode=mode)
    if any(marker in command for marker in _SUBSTITUTIONS):
        return _arbitrary(None, "the command substitutes another command's output ($(…), "
                          "backquotes or <(…)) — whatever that runs is not read here", mode)
    try:
        simples, compound = simple_commands(command)
    except ValueError:
        return _arbitrary(None, "the command cannot be parsed (an unclosed quote) — fail "
                          "closed", mode)
    if not simples:
        return ExecVerdict(ExecCapabilityToken.EMPTY, None,
                           "no program token to classify (only operators)", mode=mode)
    programs: list[str] = []
    for words in simples:
        program, why = _judge(words, pol)
        programs.append(program)
        if why:
            return ExecVerdict(ExecCapabilityToken.GRANTS_ARBITRARY_EXEC, program, why,
                               tuple(programs), compound, mode)
    listed = "an allow-listed program" if pol.allow else "not a known arbitrary-exec entry point"
    shown = "', '".join(programs)
    return ExecVerdict(ExecCapabilityToken.BOUNDED, programs[0],
                       f"the command invokes '{shown}', {listed} — bounded (NOT a safety "
                       "guarantee: it says no code runner is started)", tuple(programs),
                       compound, mode)


def _arbitrary(program: str | None, reason: str, mode: str) -> ExecVerdict:
    return ExecVerdict(ExecCapabilityToken.GRANTS_ARBITRARY_EXEC, program, reason, mode=mode)


def _judge(words: list[str], pol: ExecPolicy) -> tuple[str, str]:
    """(program, why it runs arbitrary code — "" when it does not)."""
    wrappers, rest = unwrap_with(words)
    for word in words[:len(words) - len(rest)]:
        name = word.partition("=")[0]
        if ASSIGNMENT.match(word) and (name in CODE_ENV or name.startswith("DYLD_")):
            return word, f"the command sets {name}, which loads code into what it runs"
    for index, word in enumerate(wrappers):
        if word in _SPLIT_STRING or word.startswith("--split-string="):
            return "env", "env -S splits a string into a new command line — fail closed"
        if index == 0 or not word.startswith("-"):
            found = _entry_point(program_name(word), pol)
            if found:
                return program_name(word), found
    if not rest:
        return program_name(wrappers[0]) if wrappers else "", ""
    return _program(rest, pol)


def _program(words: list[str], pol: ExecPolicy) -> tuple[str, str]:
    head = words[0]
    if head.startswith("~") or any(char in head for char in "$`{}*?["):
        return head, f"the program '{head}' is named by a shell expansion — fail closed"
    name = program_name(head)
    if not _PLAIN_NAME.fullmatch(name):
        return name, f"'{head}' is not a plain program name — fail closed"
    if pol.allow and name not in pol.allow:
        return name, f"the command invokes '{name}', which is not on the [exec_capability] " \
                     "allow-list — fail closed"
    found = "" if pol.allow else _entry_point(name, pol)
    return name, found or risky_use(name, words[1:])


def _entry_point(name: str, pol: ExecPolicy) -> str:
    """Why ``name`` is a code runner (the built-in set and ``extra``), or ""."""
    for candidate in (name, _family(name)):
        if candidate in ARBITRARY_PROGRAMS or candidate in pol.extra:
            return (f"the command invokes '{name}', an arbitrary-code-execution entry point — "
                    "it can run any code it is handed")
    return ""
