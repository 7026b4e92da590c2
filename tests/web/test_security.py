"""The token, the session cookie, CSRF, the Host check, the headers and the static
files, through httpx's ASGI transport against a real store."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from tests.web.conftest import TOKEN, client_for, csrf_of, dos, take_leases

pytestmark = pytest.mark.anyio

BEARER = {"Authorization": f"Bearer {TOKEN}"}


async def test_without_the_token_every_request_is_401(workspace: Path) -> None:
    async with client_for(workspace, token=TOKEN) as client:
        for path in ("/api/top", "/api/decisions", "/api/plan", "/api/observe",
                     "/api/openapi.json", "/events", "/", "/decisions", "/decisions/1",
                     "/plan", "/observe"):
            for headers in ({}, {"Authorization": "Bearer wrong-token-0123456789abc"},
                            {"Authorization": f"Basic {TOKEN}"},
                            {"Authorization": f"Bearer {TOKEN}x"},
                            {"Cookie": f"dos_session={TOKEN}"}):
                answer = await client.get(path, headers=headers)
                assert answer.status_code == 401, (path, headers)
        refused = await client.get("/api/top")
        assert refused.headers["www-authenticate"].startswith("Bearer")
        assert refused.json()["error"]["status"] == 401
        page = await client.get("/decisions")
        assert 'form id="login"' in page.text  # a browser gets the login form
        posted = await client.post("/decisions/1/resolve", data={"decision": "approve"})
        assert posted.status_code == 401
        assert (await client.get("/api/top", headers=BEARER)).status_code == 200
        assert (await client.get("/static/app.css")).status_code == 200  # the login's style


async def test_login_sets_a_session_cookie_never_the_token(workspace: Path) -> None:
    async with client_for(workspace, token=TOKEN) as client:
        wrong = await client.post("/login", data={"token": "nope" * 5, "operator": "bob"})
        assert wrong.status_code == 401
        assert 'id="login-error"' in wrong.text
        nameless = await client.post("/login", data={"token": TOKEN, "operator": " "})
        assert nameless.status_code == 401
        done = await client.post("/login", data={"token": TOKEN, "operator": "bob"})
        assert (done.status_code, done.headers["location"]) == (303, "/")
        cookie = done.headers["set-cookie"]
        assert "HttpOnly" in cookie
        assert "SameSite=strict" in cookie or "SameSite=Strict" in cookie
        assert TOKEN not in cookie
        page = await client.get("/")
        assert page.status_code == 200
        assert 'data-operator="bob"' in page.text
        logout_csrf = csrf_of(page.text)
        assert (await client.post("/logout", data={})).status_code == 403
        gone = await client.post("/logout", data={"csrf": logout_csrf})
        assert gone.status_code == 303
        client.cookies.clear()
        client.cookies.set("dos_session", cookie.split(";")[0].split("=", 1)[1])
        assert (await client.get("/")).status_code == 401  # the session ended server-side


async def test_a_resolve_needs_the_csrf_token_and_journals_the_operator(
        workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    take_leases(capsys, workspace)
    async with client_for(workspace, token=TOKEN) as client:
        await client.post("/login", data={"token": TOKEN, "operator": "carol"})
        page = await client.get("/decisions")
        handle = re.search(r'data-decision="(h[0-9a-f]{10})"', page.text)
        assert handle, page.text
        target = f"/decisions/{handle.group(1)}/resolve"
        for form in ({"decision": "dismiss"}, {"decision": "dismiss", "csrf": "forged"},
                     {"decision": "dismiss", "csrf": ""}):
            assert (await client.post(target, data=form)).status_code == 403
        by_bearer = await client.post(target, headers=BEARER,
                                      data={"decision": "dismiss", "csrf": ""})
        assert by_bearer.status_code == 403
        as_json = await client.post(target, json={"decision": "dismiss",
                                                  "csrf": csrf_of(page.text)})
        assert as_json.status_code == 403  # only the form encoding is read
        _code, before = dos(capsys, workspace, "decisions", "--all", "--json")
        assert '"history": []' in before
        done = await client.post(target, data={"decision": "dismiss", "note": "known flake",
                                               "csrf": csrf_of(page.text)})
        assert done.status_code == 200, done.text
        assert f'data-decision="{handle.group(1)}"' in done.text
        assert 'data-owner="carol"' in done.text
        again = await client.post(target, data={"decision": "dismiss",
                                                "csrf": csrf_of(page.text)})
        assert again.status_code in (400, 404)
    _code, after = dos(capsys, workspace, "decisions", "--all", "--json")
    assert '"owner": "carol"' in after
    assert '"note": "known flake"' in after


async def test_without_a_token_only_localhost_is_answered(
        workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    take_leases(capsys, workspace)
    for host in ("evil.example", "192.168.1.5", "127.0.0.1.evil.example"):
        async with client_for(workspace, owner="alice", host=host) as client:
            assert (await client.get("/api/top")).status_code == 421
    async with client_for(workspace, owner="alice", host="localhost") as client:
        page = await client.get("/decisions")
        assert page.status_code == 200
        handle = re.search(r'data-decision="(h[0-9a-f]{10})"', page.text)
        assert handle
        target = f"/decisions/{handle.group(1)}/resolve"
        assert (await client.post(target, data={"decision": "approve"})).status_code == 403
        done = await client.post(target, data={"decision": "approve",
                                               "csrf": csrf_of(page.text)})
        assert done.status_code == 200
        assert 'data-owner="alice"' in done.text
        assert 'data-outcome="approve"' in done.text


@pytest.mark.parametrize("path", [
    "/static/../../etc/passwd", "/static/..%2f..%2fetc%2fpasswd",
    "/static/%2e%2e/%2e%2e/pyproject.toml", "/static/app.js/../../../dos.toml",
    "/static/..%5c..%5cdos.toml", "/static/dos.toml", "/static/", "/static/app.js%00.css",
    "/../dos.toml", "/%2e%2e/dos.toml", "/dos.toml", "/decisions/..%2f..%2fdos.toml",
    "/decisions/../../../etc/passwd", "/api/decisions/..%2fdos.toml",
    "/api/decisions/1%2f..%2f..%2fdos.toml", "/src/auth.py", "/.git/config",
])
async def test_path_traversal_is_404(workspace: Path, client: httpx.AsyncClient,
                                     path: str) -> None:
    answer = await client.get(path)
    assert answer.status_code == 404, (path, answer.text[:200])
    assert "[lanes]" not in answer.text
    assert "root:" not in answer.text


async def test_headers_forbid_inline_script_framing_and_sniffing(
        workspace: Path, client: httpx.AsyncClient) -> None:
    for path in ("/", "/decisions", "/plan", "/observe", "/api/top", "/static/app.js",
                 "/nowhere"):
        answer = await client.get(path)
        policy = answer.headers["content-security-policy"]
        assert "script-src 'self'" in policy
        assert "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY"
        if not path.startswith("/static/"):
            assert answer.headers["cache-control"] == "no-store"
        if answer.headers.get("content-type", "").startswith("text/html"):
            assert not re.search(r"<script(?![^>]*\bsrc=)", answer.text), path
            assert not re.search(r"\son[a-z]+=", answer.text), path
            assert "style=" not in answer.text, path
