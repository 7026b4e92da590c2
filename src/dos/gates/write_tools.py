"""Is a tool write-like? From a declared table first, then the words of its name.

Pure. A name is cut into words at ``_ - . / :`` and camelCase boundaries
(``mcp__github__createIssue`` → mcp, github, create, issue); the first word that is a
read verb (``get_order``) or a write stem (``create_order``) decides. Words are compared
whole: ``address_lookup`` is a read, "address" is not "add".
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable

__all__ = ["READ_VERBS", "WRITE_STEMS", "ToolTable", "name_words", "write_stem"]

_WRITE_WORDS = """
create update delete remove add send set assign insert patch put post modify edit submit
close resolve cancel approve reject schedule move rename upload share grant revoke transfer
merge link attach write drop truncate execute exec run alter replace overwrite save store
publish push commit deploy kill terminate destroy purge erase reset restore revert archive
unlink detach invite charge refund pay book order mutate apply enable disable start stop
restart trigger invoke bash shell sql upsert append clear wipe transition comment reply
label tag unassign unshare lock unlock ban block mute import install uninstall migrate
"""
WRITE_STEMS = frozenset(_WRITE_WORDS.split())
_READ_WORDS = """
get list read fetch search find query lookup show describe view count check inspect
stat head peek browse scan preview validate diff status whoami download
"""
READ_VERBS = frozenset(_READ_WORDS.split())
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_CUT = re.compile(r"[_\-./:\s]+")


def name_words(tool: str) -> list[str]:
    """The lower-case words of a tool name."""
    return [word.lower() for word in _CUT.split(_CAMEL.sub("_", tool)) if word]


def write_stem(tool: str, extra: Iterable[str] = ()) -> str:
    """The write stem that decides the tool name, or "" (a read verb came first, or none)."""
    stems = WRITE_STEMS | {stem.lower() for stem in extra}
    for word in name_words(tool):
        if word in stems:
            return word
        if word in READ_VERBS:
            return ""
    return ""


class ToolTable:
    """Declared write and read tools (exact names or globs, case-insensitive)."""

    __slots__ = ("reads", "stems", "writes")

    def __init__(self, writes: Iterable[str] = (), reads: Iterable[str] = (),
                 stems: Iterable[str] = ()) -> None:
        self.writes = tuple(name.lower() for name in writes)
        self.reads = tuple(name.lower() for name in reads)
        self.stems = tuple(stems)

    def _declared(self, tool: str, names: tuple[str, ...]) -> str:
        lowered = tool.lower()
        return next((name for name in names if fnmatch.fnmatchcase(lowered, name)), "")

    def classify(self, tool: str) -> tuple[bool, str]:
        """(write-like, why)."""
        if found := self._declared(tool, self.writes):
            return True, f"declared a write tool ({found})"
        if found := self._declared(tool, self.reads):
            return False, f"declared a read tool ({found})"
        if stem := write_stem(tool, self.stems):
            return True, f"its name has the write word '{stem}'"
        return False, ("no write word decides its name (none, or a read verb comes first) "
                       "and it is not declared a write tool")
