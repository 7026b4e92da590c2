"""`dos store copy` streams the journal in batches and reports its progress."""

from __future__ import annotations

from pathlib import Path

import pytest

from dos.commands.store import _progress_printer
from dos.store import open_store
from dos.store.journal import JournalEntry
from dos.store.transfer import copy_store


def test_copy_reports_each_batch_and_verifies(tmp_path: Path) -> None:
    source = open_store(f"sqlite:///{tmp_path / 'a.db'}")
    with source.transaction(write=True) as tx:
        tx.append_many((JournalEntry("SPAWN", lane=f"l{n}") for n in range(4500)), ts_ms=1)
    destination = open_store(f"sqlite:///{tmp_path / 'b.db'}")
    seen: list[int] = []
    try:
        report = copy_store(source, destination, progress=seen.append)
    finally:
        source.close()
        destination.close()
    assert report.journal_records == 4500
    assert seen == [2000, 4000, 4500]


def test_progress_lines_go_to_stderr_once_per_step(capsys: pytest.CaptureFixture[str]) -> None:
    report = _progress_printer(quiet=False, every=1000)
    for copied in (400, 999, 1000, 1500, 2600, 2700):
        report(copied)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "dos store copy: 1,000 journal records copied…",
        "dos store copy: 2,600 journal records copied…",
    ]
    quiet = _progress_printer(quiet=True, every=1)
    quiet(5)
    assert capsys.readouterr().err == ""
