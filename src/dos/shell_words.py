"""Shell command lines read as words with :mod:`shlex` (never by a shell).

Shared by the hooks (which paths does a command write?) and the loop gates (which
programs does a command run?): here-documents are dropped, ``2>`` fd digits are kept
off the words, and operators (``;``, ``&&``, ``|``, parentheses, redirections) come
out as words of their own.
"""

from __future__ import annotations

import posixpath
import re
import shlex

__all__ = ["ASSIGNMENT", "OPERATOR_CHARS", "REDIRECT_IN", "REDIRECT_OUT", "SEPARATORS",
           "WRAPPERS", "is_operator", "simple_commands", "strip_heredocs", "tokens",
           "unwrap", "unwrap_with"]

SEPARATORS = frozenset({";", "&&", "||", "|", "&", "(", ")", ";;", "|&", "{", "}", "!"})
REDIRECT_OUT = frozenset({">", ">>", ">|", "&>", "&>>", "<>", ">&", "&>|"})
REDIRECT_IN = frozenset({"<", "<<", "<<<", "<&", "<<-"})
OPERATOR_CHARS = frozenset(";&|()<>")
# wrapper → its options that take a value; the wrapped command follows them
WRAPPERS: dict[str, frozenset[str]] = {
    "sudo": frozenset({"-u", "-g", "-U", "-C", "-h", "-p", "-D", "-r", "-t"}),
    "doas": frozenset({"-u", "-C"}), "env": frozenset({"-u", "-C", "-S"}),
    "nice": frozenset({"-n"}), "ionice": frozenset({"-c", "-n", "-p"}),
    "timeout": frozenset({"-s", "-k"}), "stdbuf": frozenset({"-i", "-o", "-e"}),
    "command": frozenset(), "builtin": frozenset(), "exec": frozenset({"-a"}),
    "nohup": frozenset(), "time": frozenset({"-f", "-o"}), "chronic": frozenset(),
    "setsid": frozenset(), "nocache": frozenset(),
}
ASSIGNMENT = re.compile(r"^[A-Za-z_]\w*=")
_HEREDOC = re.compile(r"(?<!<)<<-?\s*(['\"]?)([A-Za-z_][\w.-]*)\1")
_FD_DIGITS = re.compile(r"(?:(?<=^)|(?<=[\s;&|(]))\d+(?=[<>])")


def strip_heredocs(command: str) -> str:
    """``command`` without the bodies of its here-documents."""
    out: list[str] = []
    waiting: list[str] = []
    for line in command.split("\n"):
        if waiting:
            if line.strip() == waiting[0]:
                waiting.pop(0)
            continue
        out.append(line)
        waiting.extend(match.group(2) for match in _HEREDOC.finditer(line))
    return "\n".join(out)


def tokens(command: str) -> list[str]:
    """The words and operators of ``command``; ValueError when quotes do not close."""
    # ';' after each newline ends the line's command even when a '#' comment ate it
    text = _FD_DIGITS.sub("", strip_heredocs(command)).replace("\n", "\n;")
    lexer = shlex.shlex(text, posix=True, punctuation_chars=";&|()<>")
    lexer.whitespace_split = True
    return list(lexer)


def is_operator(word: str) -> bool:
    return word in SEPARATORS or (bool(word) and set(word) <= OPERATOR_CHARS)


def simple_commands(command: str) -> tuple[list[list[str]], bool]:
    """Each simple command's words (redirection targets left out), and whether the line
    joins several with operators, subshells or groups. ValueError when unparseable."""
    found: list[list[str]] = []
    words: list[str] = []
    compound = False
    parts = tokens(command)
    index = 0
    while index < len(parts):
        word = parts[index]
        if word in REDIRECT_OUT or word in REDIRECT_IN:
            index += 2
            continue
        if is_operator(word):
            compound = True
            found.append(words)
            words = []
        else:
            words.append(word)
        index += 1
    found.append(words)
    return [simple for simple in found if simple], compound


def unwrap_with(words: list[str]) -> tuple[list[str], list[str]]:
    """The wrappers (``sudo``, ``env``, ``nice -n 5``, …) before the command, and the
    command's own words, assignments skipped."""
    seen: list[str] = []
    while words:
        head = posixpath.basename(words[0])
        if ASSIGNMENT.match(words[0]):
            words = words[1:]
            continue
        if head not in WRAPPERS:
            return seen, words
        seen.append(words[0])
        takes_value, words = WRAPPERS[head], words[1:]
        while words and (words[0].startswith("-") or words[0][:1].isdigit()):
            seen.extend(words[:2] if words[0] in takes_value else words[:1])
            words = words[2:] if words[0] in takes_value else words[1:]
    return seen, words


def unwrap(words: list[str]) -> list[str]:
    """The command a chain of assignments and wrappers (``sudo -u x env A=1 …``) runs."""
    return unwrap_with(words)[1]
