"""A CLI verb's verdict is journaled under the config the verb itself loaded: the
workspace is loaded once per verb, and never from a config loaded before the verb ran."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from tests._support.git import GitRepo

from dos import cli, config
from dos.record.verdict_journal import read_events
from dos.workspace import load_config

_DOS_TOML = ('[lanes]\nconcurrent = ["api"]\nexclusive = ["global"]\n\n[lanes.trees]\n'
             'api = ["src/api/**"]\nglobal = ["**/*"]\n')


@pytest.fixture
def workspace(git_repo: Callable[..., GitRepo], monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = git_repo()
    repo.commit("AUTH1: ship it", {"dos.toml": _DOS_TOML})
    monkeypatch.chdir(repo.path)
    assert cli.main(["lease-lane", "acquire", "--lane", "api", "--owner", "s1"]) == 0
    return repo.path


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    loads: list[Path] = []
    real = config.load_workspace_config

    def counted(root: Path, **kwargs: object) -> config.SubstrateConfig:
        loads.append(root)
        return real(root, **kwargs)  # type: ignore[arg-type]
    monkeypatch.setattr(config, "load_workspace_config", counted)
    return loads


def test_a_verb_and_its_journal_record_load_the_workspace_once(
        workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = len(list(read_events(load_config(str(workspace), None))))
    loads = _counting(monkeypatch)
    assert cli.main(["arbitrate", "--lane", "api"]) == 1  # the lease s1 holds refuses it
    assert len(loads) == 1
    events = list(read_events(load_config(str(workspace), None)))
    assert len(events) == before + 1
    assert events[-1].syscall == "arbitrate"


def test_a_config_loaded_before_the_verb_is_not_the_journals(
        workspace: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A long-lived caller (a test, an embedding program) loaded a config earlier; the
    verb's journal loads its own rather than trusting one from another moment."""
    from dos.record.verdict_journal import cli_answers
    from dos.render import answered

    assert cli.main(["arbitrate", "--lane", "api", "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    load_config(None, None)  # the caller's own load, before the verb runs
    loads = _counting(monkeypatch)
    with cli_answers(None, None):
        answered(payload)  # a verb that printed a verdict without loading a config
    assert len(loads) == 1
