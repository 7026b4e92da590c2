"""Gathering what the working tree and git say about a note's claims (the I/O edge of
``dos memory``); the verdicts themselves are pure (:mod:`dos.truth.memory`)."""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path

from dos.errors import GitError
from dos.truth.memory.claims import Claim, Kind
from dos.truth.memory.code_hits import count_hits
from dos.truth.memory.judge import Check, CommitFacts, Facts, FileFacts, TokenFacts, judge_claim

__all__ = ["MAX_NAMESAKES", "MAX_SOURCE_BYTES", "TreeFacts", "read_bounded"]

MAX_SOURCE_BYTES = 4 * 1024 * 1024  # a cited file larger than this is not searched
MAX_NAMESAKES = 20  # a bare file name matching more files than this decides nothing


def read_bounded(path: Path, limit: int) -> str | None:
    """The text of the regular file ``path`` (not a FIFO or device), or None when it is
    not one, cannot be read, or is over ``limit`` bytes."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        return handle.read(limit + 1).decode("utf-8", errors="replace")


class TreeFacts:
    """One workspace's files and history, read once per sweep."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._listed: tuple[str, ...] | None = None
        self._git = True

    def _files(self) -> tuple[str, ...]:
        if self._listed is None:
            from dos.git.objects import listed_files

            try:
                self._listed = listed_files(self.root)
            except GitError:
                self._git, self._listed = False, ()  # not a repository: the tree alone
        return self._listed

    def _inside(self, rel: str) -> Path | None:
        path = (self.root / rel).resolve()
        return path if path.is_relative_to(self.root) and path.exists() else None

    def file(self, name: str) -> FileFacts:
        if self._inside(name) is not None:
            return FileFacts(found=(name,))
        matches = tuple(f for f in self._files() if f.endswith("/" + name))
        if matches or not self._git or "/" not in name:
            return FileFacts(found=matches)
        from dos.git.objects import removal_of

        return FileFacts(removed_by=removal_of(self.root, name))

    def token(self, claim: Claim) -> TokenFacts:
        facts = self.file(claim.target_file or "")
        if not facts.found:
            return TokenFacts(facts)
        if len(facts.found) > MAX_NAMESAKES:
            return TokenFacts(facts, readable=False)
        code = comment = holding = 0
        for rel in facts.found:
            path = self._inside(rel)
            text = read_bounded(path, MAX_SOURCE_BYTES) if path is not None else None
            if path is None or text is None:
                return TokenFacts(facts, readable=False)
            hits = count_hits(text, path.name, claim.raw)
            code, comment, holding = code + hits.code, comment + hits.comment, \
                holding + bool(hits.code)
        return TokenFacts(facts, code, comment, files_with_code=holding)

    def commits(self, claims: Sequence[Claim]) -> dict[str, CommitFacts]:
        names = [claim.raw for claim in claims if claim.kind is Kind.SHA]
        self._files()
        if not names or not self._git:
            return {}
        from dos.git.objects import resolve_shas

        try:
            found = resolve_shas(self.root, names)
        except GitError:
            return {}
        facts = {name: CommitFacts() for name in names}
        for name, (commit, in_head, touched) in found.items():
            facts[name] = CommitFacts(commit.sha, commit.subject, in_head, touched)
        return facts

    def check(self, claims: Sequence[Claim]) -> tuple[Check, ...]:
        """Each claim judged against this tree and its history, in order."""
        commits = self.commits(claims)
        checks = []
        for claim in claims:
            facts: Facts = None
            if claim.kind is Kind.PATH:
                facts = self.file(claim.raw)
            elif claim.kind is Kind.CODE_TOKEN:
                facts = self.token(claim)
            else:
                facts = commits.get(claim.raw)
            checks.append(judge_claim(claim, facts))
        return tuple(checks)
