"""Reading the command lines out of a SKILL.md: every ```bash block, each `dos …` line
with its `# exit: CODE meaning, CODE-CODE meaning` annotation."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dos.skills import skill_names, skill_text

_ITEM = re.compile(r"^\s*(\d+)(?:-(\d+))?\s+(\S.*?)\s*$")
_NEXT_ITEM = re.compile(r",\s*(?=\d)")  # a comma inside a meaning does not start an item
_PLACEHOLDER = re.compile(r"<([A-Z][A-Z_]*)>")


@dataclass(frozen=True)
class SkillLine:
    """One command line of a skill and the exit codes the skill says it may give."""

    skill: str
    command: str
    codes: frozenset[int]

    def placeholders(self) -> set[str]:
        return set(_PLACEHOLDER.findall(self.command))


def bash_blocks(text: str) -> list[list[str]]:
    """The lines of every ```bash fenced block, continuation lines joined."""
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for line in text.split("\n"):
        if current is None:
            if line.strip() == "```bash":
                current = []
            continue
        if line.strip() == "```":
            blocks.append(current)
            current = None
        elif current and current[-1].endswith("\\"):
            current[-1] = current[-1][:-1].rstrip() + " " + line.strip()
        else:
            current.append(line)
    assert current is None, "a ```bash block is never closed"
    return blocks


def exit_codes(annotation: str) -> frozenset[int]:
    """``0 shipped, 1 not shipped, 20-25 held`` → {0, 1, 20, …, 25}: an item starts with a
    code (or a range) and its meaning; a comma followed by a digit starts the next one."""
    codes: set[int] = set()
    for item in _NEXT_ITEM.split(annotation):
        found = _ITEM.match(item)
        assert found, f"malformed exit annotation item {item!r}"
        low, high = int(found.group(1)), int(found.group(2) or found.group(1))
        assert low <= high, f"backwards range in {item!r}"
        codes.update(range(low, high + 1))
    return frozenset(codes)


def skill_lines(name: str) -> list[SkillLine]:
    """Every command line of skill ``name``, in document order."""
    lines = []
    for block in bash_blocks(skill_text(name)):
        for raw in block:
            stripped = raw.strip()
            if not stripped or stripped.startswith("#"):
                continue
            command, marker, annotation = stripped.rpartition("# exit:")
            assert marker, f"{name}: a command line without `# exit:`: {stripped!r}"
            assert command.startswith("dos "), f"{name}: not a dos command: {stripped!r}"
            lines.append(SkillLine(name, command.strip(), exit_codes(annotation)))
    return lines


def every_line() -> list[SkillLine]:
    return [line for name in skill_names() for line in skill_lines(name)]
