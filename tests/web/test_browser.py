"""A real Chromium, driven by Playwright, against a real ``dos serve`` process: log in
through the form, watch a lease taken by a real CLI process appear on the top page
without a reload, then resolve a decision through its form and see it leave the queue."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright
from tests.web.conftest import TOKEN

CHROMIUM = Path("/usr/bin/chromium")
# read at import: the suite's autouse fixture clears DOS_* before each test runs
REQUIRE_BROWSER = os.environ.get("DOS_TEST_REQUIRE_BROWSER") == "1"
ARTIFACTS = os.environ.get("DOS_TEST_ARTIFACTS", "")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
OPERATOR = "carol"
WAIT_MS = 10_000


@pytest.fixture
def chromium() -> Path:
    """The system Chromium; missing, a skip (or a failure where the browser is required)."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    message = f"no browser at {CHROMIUM}: apt-get install chromium"
    if REQUIRE_BROWSER:
        pytest.fail(message + " (DOS_TEST_REQUIRE_BROWSER=1 demands the browser test)")
    pytest.skip(message)


def _dos(workspace: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """A real ``dos`` process, as an agent on the fleet would run it."""
    done = subprocess.run([sys.executable, "-m", "dos", "--workspace", str(workspace), *argv],
                          capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture
def served(workspace: Path, tmp_path: Path) -> Iterator[str]:
    """``dos serve --token-file`` as its own process on a free port; yields its URL."""
    secret = tmp_path / "token"
    secret.write_text(TOKEN + "\n", encoding="utf-8")
    server = subprocess.Popen([sys.executable, "-m", "dos", "--workspace", str(workspace),
                               "serve", "--port", "0", "--token-file", str(secret), "--json"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert line, server.stderr.read() if server.stderr else "the server printed nothing"
        yield str(json.loads(line)["url"]).rstrip("/")
    finally:
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=30)


def _artifact_dir(tmp_path: Path) -> Path:
    where = Path(ARTIFACTS) if ARTIFACTS else tmp_path
    where.mkdir(parents=True, exist_ok=True)
    return where


def test_a_browser_logs_in_follows_a_lease_live_and_resolves_a_decision(
        chromium: Path, workspace: Path, served: str, tmp_path: Path) -> None:
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(WAIT_MS)
            _log_in(page, served)
            _lease_appears_live(page, workspace)
            _resolve_through_the_form(page, served, workspace)
            shot = _artifact_dir(tmp_path) / "dos-serve-browser.png"
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert shot.is_file()
    assert shot.read_bytes().startswith(b"\x89PNG")
    assert shot.stat().st_size > 1000


def _log_in(page: Page, url: str) -> None:
    page.goto(url + "/")
    assert page.locator("form#login").is_visible()  # the token gate answers first
    page.fill("form#login input[name=operator]", OPERATOR)
    page.fill("form#login input[name=token]", "not-the-token-at-all")
    page.click("form#login button[type=submit]")
    page.wait_for_selector("#login-error")
    page.fill("form#login input[name=operator]", OPERATOR)
    page.fill("form#login input[name=token]", TOKEN)
    page.click("form#login button[type=submit]")
    page.wait_for_selector('body[data-page="top"]')
    assert page.get_attribute("#operator", "data-operator") == OPERATOR


def _lease_appears_live(page: Page, workspace: Path) -> None:
    page.wait_for_selector('body[data-live="live"]')
    page.wait_for_selector('#lanes tr[data-lane="src"][data-chip="FREE"]')
    page.evaluate("window.dosMarker = 'before-acquire'")  # a navigation would lose it
    _dos(workspace, "lease-lane", "acquire", "--lane", "src", "--owner", "w1", "--json")
    row = page.wait_for_selector('#lanes tr[data-lane="src"][data-holder="w1"]')
    assert row is not None
    assert row.get_attribute("data-chip") == "ADVANCING"
    assert page.evaluate("window.dosMarker") == "before-acquire"
    assert int(page.get_attribute("body", "data-refreshes") or "0") >= 1


def _resolve_through_the_form(page: Page, url: str, workspace: Path) -> None:
    _dos(workspace, "halt", "--handle", "42", "--lane", "src", "--command", "kill 42",
         "--json")
    page.click('a[data-nav="decisions"]')
    page.wait_for_selector('body[data-page="decisions"]')
    handle = page.get_attribute("#decisions tr[data-decision]", "data-decision")
    assert handle
    form = f'form[data-resolve="{handle}"]'
    page.fill(f"{form} input[name=note]", "stale worker, halting it")
    page.click(f'{form} button[name=decision][value="approve"]')
    resolution = page.wait_for_selector("#resolution")
    assert resolution is not None
    assert resolution.get_attribute("data-owner") == OPERATOR
    assert resolution.get_attribute("data-outcome") == "approve"
    assert resolution.get_attribute("data-decision") == handle
    page.click('a[data-nav-back="decisions"]')
    page.wait_for_selector(f'#history tr[data-history="{handle}"][data-owner="{OPERATOR}"]')
    assert page.locator(f'#decisions tr[data-decision="{handle}"]').count() == 0
    assert page.url.startswith(url + "/decisions")
