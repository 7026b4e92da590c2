"""Every JSON endpoint answers exactly what the CLI's ``--json`` prints for the same
question: the same bytes, from real leases taken through the real CLI."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from tests.web.conftest import dos, take_leases

from dos.store import TEST_CLOCK_ENV

pytestmark = pytest.mark.anyio

T0 = 1_800_000_000_000

CASES = [
    ("/api/top", ("top", "--json")),
    ("/api/decisions", ("decisions", "--json")),
    ("/api/decisions?all=1&since=1h", ("decisions", "--all", "--since", "1h", "--json")),
    ("/api/decisions/1", ("decisions", "show", "1", "--json")),
    ("/api/plan", ("plan", "--json")),
    ("/api/plan?pairs=AUTH,AUTH1,AUTH,AUTH2&ref=HEAD",
     ("plan", "AUTH", "AUTH1", "AUTH", "AUTH2", "--ref", "HEAD", "--json")),
    ("/api/observe", ("observe", "--json")),
    ("/api/observe?by=source&tail=5&syscall=lease-lane",
     ("observe", "--by", "source", "--tail", "5", "--syscall", "lease-lane", "--json")),
]


async def test_every_endpoint_answers_as_the_cli(
        workspace: Path, client: httpx.AsyncClient, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TEST_CLOCK_ENV, str(T0))
    take_leases(capsys, workspace)
    monkeypatch.setenv(TEST_CLOCK_ENV, str(T0 + 700_000))  # ages move; both sides see it
    dos(capsys, workspace, "observe", "--json")  # the chain checkpoint settles first
    for path, argv in CASES:
        code, printed = dos(capsys, workspace, *argv)
        answer = await client.get(path)
        assert (answer.status_code, code) == (200, 0), (path, answer.text)
        assert answer.headers["content-type"] == "application/json"
        assert answer.text == printed, path
    lanes = {row["lane"]: row for row in (await client.get("/api/top")).json()["lanes"]}
    assert (lanes["src"]["holder"], lanes["src"]["chip"]) == ("w1", "STALLED")
    every = (await client.get("/api/decisions?all=1")).json()["rows"]
    assert {"LIVENESS", "LEASE_REFUSE"} <= {row["kind"] for row in every}


async def test_a_bad_query_is_400_with_the_clis_message(client: httpx.AsyncClient) -> None:
    for path, words in (("/api/decisions?since=yesterday-ish", "is not a time"),
                        ("/api/decisions?all=maybe", "is not a boolean"),
                        ("/api/decisions?everything=1", "unknown query parameter"),
                        ("/api/decisions?all=1&all=0", "given twice"),
                        ("/api/observe?tail=0", "--tail must be 1 to"),
                        ("/api/observe?tail=99999999999", "is not a count"),
                        ("/api/observe?by=color", "is not a dimension"),
                        ("/api/observe?syscall=" + "x" * 500, "too long"),
                        ("/api/plan?pairs=AUTH", "has no PHASE"),
                        ("/api/plan?ref=--output=/tmp/x", "is not a ref"),
                        ("/api/plan?source=jira", "unknown plan source"),
                        ("/api/top?x=1", "unknown query parameter")):
        answer = await client.get(path)
        assert answer.status_code == 400, (path, answer.text)
        error = answer.json()["error"]
        assert words in error["message"], (path, error)
        assert error["hint"]
        assert error["exit_code"] == 2


async def test_openapi_describes_the_api(client: httpx.AsyncClient) -> None:
    described = (await client.get("/api/openapi.json")).json()
    assert described["openapi"].startswith("3.")
    assert {"/api/top", "/api/decisions", "/api/decisions/{target}", "/api/plan",
            "/api/observe", "/events"} == set(described["paths"])
