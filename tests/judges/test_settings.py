"""[judges] in dos.toml: validated like every table; its values reach the judges."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from dos.errors import ConfigError
from dos.workspace import load_config


@pytest.mark.parametrize(("toml", "message"), [
    ('[judges.llm]\nurl = "file:///etc/passwd"\n', "url must be an http(s) URL"),
    ('[judges.llm]\ncommand = "my-model --json"\n', "command must be an array of strings"),
    ('[judges.llm]\ncomand = ["x"]\n', "unknown key 'comand'"),
    ('[judges.similarity]\nthreshold = 1.5\n', "threshold must be a number"),
    ('[judges.similarity]\ntimeout_s = 0\n', "timeout_s must be a number"),
    ('[judges.simlarity]\nthreshold = 0.5\n', "unknown key 'simlarity'"),
    ('[judges.llm]\ncommand = [""]\n', "names no program"),
])
def test_a_bad_judges_table_stops_the_load(toml: str, message: str,
                                          git_repo: Callable[..., Any]) -> None:
    repo = git_repo()
    repo.commit("init", {"dos.toml": toml})
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_config(str(repo.path), None)


def test_defaults_and_values(git_repo: Callable[..., Any]) -> None:
    repo = git_repo()
    repo.commit("init", {"dos.toml": '[judges.llm]\ncommand = ["m", "-q"]\n'})
    table = load_config(str(repo.path), None).table("judges")
    assert table["llm"]["command"] == ("m", "-q")
    assert table["llm"]["max_output_bytes"] == 65536
    assert table["similarity"]["threshold"] == 0.82
