"""The live precursor classifier (dos.gates.precursor) and its [precursor] settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from dos.config import load_workspace_config
from dos.errors import ConfigError
from dos.gates.precursor import PrecursorToken, classify, policy_of

GRAMMAR = {"requires": {"Update-Ticket": ("get_ticket",),
                        "close_ticket": ("get_ticket", "get_comments")},
           "aliases": {"get.ticket": ("fetch_ticket",)}}


@pytest.mark.parametrize(("calls", "tool", "token", "missing"), [
    ([], "update_ticket", PrecursorToken.MISSING_PRECURSOR, ("get_ticket",)),
    (["list_queues"], "UPDATE.TICKET", PrecursorToken.MISSING_PRECURSOR, ("get_ticket",)),
    (["Get-Ticket"], "update_ticket", PrecursorToken.SATISFIED, ()),
    (["fetch_ticket"], "update_ticket", PrecursorToken.SATISFIED, ()),
    (["get_ticket"], "close_ticket", PrecursorToken.MISSING_PRECURSOR, ("get_comments",)),
    (["get_comments", "x", "get_ticket"], "close_ticket", PrecursorToken.SATISFIED, ()),
    ([], "delete_ticket", PrecursorToken.NOT_GATED, ()),
])
def test_classify(calls: list[str], tool: str, token: PrecursorToken,
                  missing: tuple[str, ...]) -> None:
    verdict = classify(calls, tool, policy_of(GRAMMAR))
    assert (verdict.token, verdict.missing) == (token, missing)


def test_case_sensitive_keeps_capitals_apart() -> None:
    policy = policy_of({**GRAMMAR, "case_sensitive": True})
    assert classify(["GET_TICKET"], "Update_Ticket", policy).token is \
        PrecursorToken.MISSING_PRECURSOR
    assert classify(["GET_TICKET"], "update_ticket", policy).token is \
        PrecursorToken.NOT_GATED
    assert classify(["GET_TICKET"], "Update_Ticket", policy_of(GRAMMAR)).token is \
        PrecursorToken.SATISFIED


def test_the_table_is_validated(tmp_path: Path) -> None:
    (tmp_path / "dos.toml").write_text('[precursor.requires]\nupdate_ticket = ["get_ticket"]\n'
                                       "[precursor.aliases]\nget_ticket = \"fetch\"\n",
                                       encoding="utf-8")
    table = load_workspace_config(tmp_path).table("precursor")
    assert table == {"requires": {"update_ticket": ("get_ticket",)},
                     "aliases": {"get_ticket": ("fetch",)}, "case_sensitive": False}
    for bad in ('[precursor]\nrequires = "x"\n', "[precursor.requires]\nupdate_ticket = 3\n",
                '[precursor]\ncase_sensitive = "yes"\n'):
        (tmp_path / "dos.toml").write_text(bad, encoding="utf-8")
        with pytest.raises(ConfigError):
            load_workspace_config(tmp_path)
