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
    assert (shipped["exit"], shipped["output"].split()[0]) == (0, "SHIPPED")
    assert by_command["dos verify AUTH AUTH2"]["output"].startswith("NOT_SHIPPED")
    refused = by_command["dos lease-lane acquire --lane src --owner agent-B"]["output"]
    assert refused.startswith("REFUSE (LANE_LEASE_HELD_BY_LIVE_DISPATCH_LOOP)  cannot take lane "
                              "'src'")
    redirected = by_command["dos lease-lane acquire --owner agent-B"]["output"]
    assert redirected.startswith("ACQUIRE  auto-picked free lane 'docs'")
    assert (keep / "dos.toml").is_file()
    assert (keep / ".git").is_dir()


def test_quickstart_cleans_up(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quickstart"]) == 0
    out = capsys.readouterr().out
    repo = Path(out.split("a throw-away repository at ")[1].splitlines()[0])
    assert "SHIPPED AUTH AUTH1" in out
    assert "NOT_SHIPPED AUTH AUTH2" in out
    assert not repo.exists()
