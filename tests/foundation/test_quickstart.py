"""dos quickstart runs the real verbs in a throw-away repository."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dos.cli import main


def test_quickstart_shows_each_verdict(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    keep = tmp_path / "demo"
    assert main(["quickstart", "--keep", str(keep), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True
    by_command = {step["command"]: step for step in report["steps"]}
    shipped = by_command["dos verify AUTH AUTH1"]
    assert (shipped["exit"], json.loads(shipped["output"])["shipped"]) == (0, True)
    assert json.loads(by_command["dos verify AUTH AUTH2"]["output"])["shipped"] is False
    assert report["schema"] == {"family": "quickstart", "version": 1}
    refused = json.loads(by_command["dos lease-lane acquire --lane src --owner agent-B"]["output"])
    assert (refused["outcome"], refused["lane"]) == ("refuse", "src")
    redirected = json.loads(by_command["dos lease-lane acquire --owner agent-B"]["output"])
    assert (redirected["outcome"], redirected["lane"]) == ("acquire", "docs")
    assert (keep / "dos.toml").is_file()
    assert (keep / ".git").is_dir()


def test_quickstart_cleans_up(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quickstart"]) == 0
    out = capsys.readouterr().out
    repo = Path(out.split("a throw-away repository at ")[1].splitlines()[0])
    assert "SHIPPED AUTH AUTH1" in out
    assert "NOT_SHIPPED AUTH AUTH2" in out
    assert not repo.exists()


def test_keep_refuses_a_non_empty_directory(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    mine = tmp_path / "project"
    mine.mkdir()
    (mine / "notes.md").write_text("my notes\n", encoding="utf-8")
    (mine / ".env").write_text("API_KEY=secret\n", encoding="utf-8")
    assert main(["quickstart", "--keep", str(mine)]) == 2
    err = capsys.readouterr().err
    assert "is not empty" in err
    assert sorted(p.name for p in mine.iterdir()) == [".env", "notes.md"]
    assert (mine / "notes.md").read_text(encoding="utf-8") == "my notes\n"


def test_keep_refuses_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x\n", encoding="utf-8")
    assert main(["quickstart", "--keep", str(target)]) == 2
    assert target.read_text(encoding="utf-8") == "x\n"


def test_keep_accepts_an_empty_directory(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["quickstart", "--keep", str(empty), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True
    assert (empty / ".git").is_dir()
