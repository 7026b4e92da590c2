"""``dos serve``: --check answers the URL, a non-loopback host needs a token, a taken
port and a missing [web] extra have exit codes of their own; and a real server started
as a process answers, then stops cleanly on SIGTERM."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from tests.web.conftest import TOKEN, dos, dos_ran

from dos.errors import EXIT_TERMINATED


def test_check_prints_the_url_and_exits_0(workspace: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    code, out = dos(capsys, workspace, "serve", "--check", "--port", "0", "--json")
    answer = json.loads(out)
    assert code == 0
    assert (answer["host"], answer["auth"], answer["state"]) == ("127.0.0.1", "none", "ready")
    assert answer["url"] == f"http://127.0.0.1:{answer['port']}/"
    assert answer["port"] > 0
    code, out = dos(capsys, workspace, "serve", "--check", "--port", "0")
    assert code == 0
    assert out.startswith("http://127.0.0.1:")


def test_a_non_loopback_host_without_a_token_is_exit_2(
        workspace: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for host in ("0.0.0.0", "192.0.2.1", "example.com", "::"):  # noqa: S104 - the refusal
        refused = dos_ran(capsys, workspace, "serve", "--host", host, "--check")
        assert refused.code == 2
        assert f"refusing to listen on {host} without a token" in refused.err
    short = tmp_path / "short"
    short.write_text("abc\n", encoding="utf-8")
    assert dos(capsys, workspace, "serve", "--host", "0.0.0.0", "--check",  # noqa: S104
               "--token-file", str(short))[0] == 2
    assert dos(capsys, workspace, "serve", "--token-file", str(tmp_path / "none"),
               "--check")[0] == 2
    good = tmp_path / "token"
    good.write_text(TOKEN + "\n", encoding="utf-8")
    code, out = dos(capsys, workspace, "serve", "--host", "0.0.0.0", "--port", "0",  # noqa: S104
                    "--token-file", str(good), "--check", "--json")
    assert (code, json.loads(out)["auth"]) == (0, "token")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (workspace / "dos.toml").write_text(
        (workspace / "dos.toml").read_text(encoding="utf-8")
        + f'\n[serve]\nhost = "0.0.0.0"\nport = {port}\ntoken_file = "{good}"\n',
        encoding="utf-8")
    code, out = dos(capsys, workspace, "serve", "--check", "--json")
    assert (code, json.loads(out)["host"]) == (0, "0.0.0.0")  # noqa: S104
    code, out = dos(capsys, workspace, "doctor", "--json")
    assert json.loads(out)["serve"]["configured"] is True


def test_a_taken_port_is_exit_3(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen(1)
        port = holder.getsockname()[1]
        taken = dos_ran(capsys, workspace, "serve", "--check", "--port", str(port))
    assert taken.code == 3
    assert "the port is taken" in taken.err


def test_without_the_web_extra_it_is_exit_4_with_the_install_hint(workspace: Path) -> None:
    blocked = ("import sys; sys.modules['starlette'] = None; sys.modules['uvicorn'] = None; "
               "from dos.cli import main; sys.exit(main(sys.argv[1:]))")
    done = subprocess.run([sys.executable, "-c", blocked, "--workspace", str(workspace),
                           "serve", "--check"], capture_output=True, text=True, check=False,
                          timeout=60)
    assert done.returncode == 4, done.stderr
    assert "pip install 'dispatch-os[web]'" in done.stderr


def test_a_served_process_answers_and_shuts_down_on_sigterm(workspace: Path) -> None:
    server = subprocess.Popen([sys.executable, "-m", "dos", "--workspace", str(workspace),
                               "serve", "--port", "0", "--json"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        started = json.loads(server.stdout.readline())
        assert started["state"] == "listening"
        answer = _get_when_up(started["url"] + "api/top")
        assert answer.json()["schema"]["family"] == "top"
    finally:
        server.send_signal(signal.SIGTERM)
        _out, err = server.communicate(timeout=30)
    assert server.returncode == EXIT_TERMINATED, err  # after uvicorn's clean shutdown
    assert "Traceback" not in err


def _get_when_up(url: str) -> httpx.Response:
    deadline = time.monotonic() + 20
    while True:
        try:
            return httpx.get(url, timeout=5)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_doctor_shows_whether_a_server_is_configured(
        workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = dos(capsys, workspace, "doctor", "--json")
    assert json.loads(out)["serve"]["configured"] is False
    text = dos_ran(capsys, workspace, "doctor")
    assert "web server" in text.out
    assert "not configured" in text.out
    (workspace / "dos.toml").write_text(
        (workspace / "dos.toml").read_text(encoding="utf-8")
        + '\n[serve]\nhost = "0.0.0.0"\nport = 9000\n', encoding="utf-8")
    code, out = dos(capsys, workspace, "doctor", "--json")
    report = json.loads(out)
    assert (report["serve"]["configured"], report["serve"]["url"]) == (
        True, "http://0.0.0.0:9000/")
    assert code == 1
    assert any(p["check"] == "serve" and "no token_file" in p["detail"]
               for p in report["problems"])
    (workspace / "dos.toml").write_text(
        (workspace / "dos.toml").read_text(encoding="utf-8").replace("port = 9000",
                                                                     "port = 99999"),
        encoding="utf-8")
    bad = dos_ran(capsys, workspace, "doctor")
    assert bad.code == 2
    assert "[serve] port" in bad.err
