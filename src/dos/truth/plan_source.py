"""Plan documents: which phases a markdown plan declares, what it claims, what it names.

One grammar serves both the plan board and the oracle's artifact rung:

* a heading ``## 3. AUTH AUTH3 — title`` (levels 2 to 4; the separator is an em or
  en dash, ``:`` or a spaced `` - ``) declares phase AUTH3 of plan AUTH;
* a bullet ``- **AUTH3.1 — …`` or ``- **AUTH3.1** …`` under it declares a sub-phase.

A phase id has a letter and a digit. The section of a heading runs to the next
heading; a bullet's section is its own line and its continuation lines.
"""

from __future__ import annotations

from pathlib import Path

from dos.errors import ConfigError
from dos.lazy_pattern import LazyPattern
from dos.pattern_cache import DOTALL, IGNORECASE, MULTILINE
from dos.pattern_cache import compile as compile_pattern
from dos.settings.policy import StampGrammar
from dos.structs import struct

__all__ = ["PlanPhase", "distinctive_files", "harvest", "harvest_text", "plan_documents",
           "section_files"]

_PHASE = r"[A-Za-z0-9][A-Za-z0-9_\-./']*"
_SEPARATOR = r"(?:\s*[\u2014\u2013:]|\s+-(?:\s|$))"
_HEADING = LazyPattern(rf"^#{{2,4}}\s+\d+\.\s+([A-Za-z][A-Za-z0-9_\-]*)\s+({_PHASE}?){_SEPARATOR}")
_ANY_HEADING = LazyPattern(r"^#{1,6}\s")
_BULLET = LazyPattern(rf"^\s*[-*]\s+\*\*({_PHASE}?)(?:{_SEPARATOR}|\s*\*\*)")
_DOC_ID = LazyPattern(r"^\s*id:\s*([A-Za-z0-9_\-]+)\s*$", MULTILINE)
_COMMENT = LazyPattern(r"<!--.*?-->", DOTALL)
# Prose says "not shipped yet"; a claim is the capital word, a check mark or a status field.
_SHIPPED = LazyPattern(r"\bSHIPPED\b|\u2705")
_STATUS_DONE = LazyPattern(r"\bstatus\s*[:=]\s*\**\s*(?:shipped|done|complete)\b", IGNORECASE)
_BLOCKED = LazyPattern(r"\b(?:soak|soaking|blocked|awaiting|gated|deferred)\b", IGNORECASE)
_PATH = LazyPattern(
    r"(?<![\w./\-])((?:\.\.?/)?[A-Za-z0-9_][A-Za-z0-9_\-]*/[\w./\-]*\.[A-Za-z0-9]+)")
_BINARY = (".tar", ".tar.gz", ".tgz", ".zip", ".gz", ".bz2", ".xz", ".whl", ".egg", ".git",
           ".png", ".jpg", ".jpeg", ".gif", ".pdf", ".bin", ".so", ".dll", ".dylib", ".exe",
           ".o", ".a", ".jar", ".class")
_SHARED_INFRA = frozenset({"config.py", "__init__.py", "models.py", "cli.py", "utils.py",
                           "constants.py", "settings.py", "conftest.py"})


@struct
class PlanPhase:
    """A phase a plan declares: its claim (``shipped``/``blocked``/``open``) and the
    files its section names."""

    plan: str
    phase: str
    doc_path: str
    claimed: str
    files: tuple[str, ...] = ()
    doc_id: str = ""


def _is_phase_id(token: str) -> bool:
    return any(c.isalpha() for c in token) and any(c.isdigit() for c in token)


def _claim(text: str) -> str:
    visible = _COMMENT.sub(" ", text)
    if _SHIPPED.search(visible) or _STATUS_DONE.search(visible):
        return "shipped"
    if _BLOCKED.search(visible):
        return "blocked"
    return "open"


def section_files(text: str) -> tuple[str, ...]:
    """The repository paths a section names (``src/auth/login.py``), in order."""
    found = []
    for match in _PATH.finditer(_COMMENT.sub(" ", text)):
        path = compile_pattern(r"^(?:\.\.?/)+").sub("", match.group(1)).rstrip(".")
        if not path.lower().endswith(_BINARY):
            found.append(path)
    return tuple(dict.fromkeys(found))


def distinctive_files(files: tuple[str, ...], grammar: StampGrammar) -> tuple[str, ...]:
    """``files`` minus shared infrastructure every phase touches (``__init__.py`` …)."""
    shared = _SHARED_INFRA | {b.lower() for b in grammar.infra_basenames}
    docs = {b.lower() for b in grammar.infra_doc_basenames}
    kept = []
    for path in files:
        base = path.rsplit("/", 1)[-1].lower()
        if base in shared or base in docs:
            continue
        if path.lower().startswith("docs/") and base.endswith((".mmd", ".png")):
            continue
        if grammar.code_dirs and path.split("/", 1)[0] not in grammar.code_dirs:
            continue
        kept.append(path)
    return tuple(kept)


def _sections(lines: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, kind) for every heading or bullet line; kind is 'heading'/'bullet'."""
    marks = []
    for index, line in enumerate(lines):
        if _ANY_HEADING.match(line):
            marks.append((index, "heading"))
        elif _BULLET.match(line):
            marks.append((index, "bullet"))
    spans = []
    next_heading = len(lines)
    for position in range(len(marks) - 1, -1, -1):
        start, kind = marks[position]
        next_mark = marks[position + 1][0] if position + 1 < len(marks) else len(lines)
        spans.append((start, next_heading if kind == "heading" else next_mark, kind))
        if kind == "heading":
            next_heading = start
    return spans[::-1]


def harvest_text(text: str, doc_path: str) -> list[PlanPhase]:
    """The phases one plan document declares, in document order, first one wins."""
    lines = text.splitlines()
    doc_id_match = _DOC_ID.search(text)
    doc_id = doc_id_match.group(1) if doc_id_match else ""
    bullet_lines = {i for i, line in enumerate(lines) if _BULLET.match(line)}
    current_plan = ""
    found: dict[tuple[str, str], PlanPhase] = {}
    for start, end, kind in _sections(lines):
        line = lines[start]
        heading = _HEADING.match(line) if kind == "heading" else None
        if kind == "heading":
            if heading is None or not _is_phase_id(heading.group(2)):
                current_plan = ""
                continue
            plan, phase = heading.group(1), heading.group(2)
            current_plan = plan
            own = "\n".join(x for i, x in enumerate(lines[start:end], start)
                            if i not in bullet_lines)
        else:
            bullet = _BULLET.match(line)
            if not current_plan or bullet is None or not _is_phase_id(bullet.group(1)):
                continue
            plan, phase, own = current_plan, bullet.group(1), line
        key = (plan.lower(), phase.lower())
        if key not in found:
            section = "\n".join(lines[start:end])
            found[key] = PlanPhase(plan, phase, doc_path, _claim(own), section_files(section),
                                   doc_id)
    return list(found.values())


def plan_documents(root: Path, plans_glob: str) -> list[Path]:
    """The files matching ``plans_glob`` under ``root``, sorted."""
    if Path(plans_glob).is_absolute():  # pathlib refuses absolute patterns
        import glob  # only when plans are listed by a glob: start-up time for the rest

        paths = [Path(p) for p in glob.glob(plans_glob, recursive=True)]  # noqa: PTH207
    elif not _literal_head(root, plans_glob).is_dir():
        return []  # nothing under a directory that is not there (and no pattern compiled)
    else:
        paths = list(root.glob(plans_glob))
    return [path for path in sorted(paths) if path.is_file()]


def _literal_head(root: Path, plans_glob: str) -> Path:
    """The directory the pattern's leading literal parts name (``docs`` of
    ``docs/**/*-plan.md``; ``root`` itself when the first part is a wildcard): every
    match lies under it."""
    head = root
    for part in plans_glob.split("/")[:-1]:
        if any(char in part for char in "*?["):
            break
        head = head / part
    return head


def harvest(root: Path, plans_glob: str) -> tuple[PlanPhase, ...]:
    """Every phase declared by the plan documents matching ``plans_glob`` under ``root``."""
    found: dict[tuple[str, str], PlanPhase] = {}
    for path in plan_documents(root, plans_glob):
        try:
            text = path.read_bytes().decode("utf-8", "replace")
        except OSError as exc:
            raise ConfigError(f"cannot read plan document: {exc.strerror}", path=str(path),
                              hint="fix its permissions, or narrow [paths] plans_glob") from exc
        rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
        for phase in harvest_text(text, rel):
            found.setdefault((phase.plan.lower(), phase.phase.lower()), phase)
    return tuple(found.values())
