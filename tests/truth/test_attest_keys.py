"""Keys: the one trailing-newline rule (file and $DOS_ATTEST_KEY alike, both ways),
keygen (0600, never replaces, stays in the workspace), key files that are not regular
files, the wrong kind of key, and no secret ever printed."""

from __future__ import annotations

import os
import stat
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from tests._support.git import GitRepo
from tests._support.receipts import SECRET, check, dos, ed25519_pair, mint, secret_file


@pytest.fixture
def ws(git_repo: Callable[..., GitRepo]) -> Path:
    repo = git_repo("ws")
    repo.commit("init", {"README": "x\n"})
    return repo.path


def _attest(capsys: pytest.CaptureFixture[str], ws: Path, *key: str) -> tuple[int, str]:
    ran = dos(capsys, "--workspace", str(ws), "attest", "--claim", "c", "--accept-cmd",
              "true", *key, "--json")
    return ran.code, ran.out


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\n\n"])
def test_a_key_file_newline_is_not_part_of_the_key(
        ws: Path, tmp_path: Path, ending: str, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    with_newline = secret_file(tmp_path, "with.secret", ending=ending)
    without = secret_file(tmp_path, "without.secret", ending="")
    # one way: signed with `echo secret > key`, verified with DOS_ATTEST_KEY=secret
    receipt = mint(capsys, ws, with_newline, "--accept-cmd", "true")
    monkeypatch.setenv("DOS_ATTEST_KEY", SECRET)
    assert check(capsys, tmp_path, receipt).code == 0
    # the other way: signed with DOS_ATTEST_KEY="secret<newline>", verified with a file
    # that has none
    monkeypatch.setenv("DOS_ATTEST_KEY", SECRET + ending)
    code, out = _attest(capsys, ws)
    assert code == 0
    monkeypatch.delenv("DOS_ATTEST_KEY")
    stdin_receipt = tmp_path / "from-env.json"
    stdin_receipt.write_text(out, encoding="utf-8")
    ran = dos(capsys, "verify-receipt", "--receipt", str(stdin_receipt), "--key-file",
              str(without), "--json")
    assert ran.code == 0, ran.out
    assert receipt["key_id"] == ran.json["receipt"]["key_id"]


def test_only_trailing_line_endings_are_stripped(
        ws: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    receipt = mint(capsys, ws, secret_file(tmp_path, "plain.secret"), "--accept-cmd", "true")
    inner = secret_file(tmp_path, "inner.secret", SECRET + "\nX")
    spaced = secret_file(tmp_path, "spaced.secret", SECRET + " ")
    leading = secret_file(tmp_path, "leading.secret", "\n" + SECRET)
    for key in (inner, spaced, leading):
        assert check(capsys, tmp_path, receipt, key).code == 1, key.name


def test_a_pem_key_reads_the_same_without_its_final_newline(
        ws: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    private, public = ed25519_pair(tmp_path, "ci")
    private.write_bytes(private.read_bytes().rstrip(b"\n"))
    receipt = mint(capsys, ws, private, "--accept-cmd", "true")
    public.write_bytes(public.read_bytes().replace(b"\n", b"\r\n"))
    assert check(capsys, tmp_path, receipt, public).code == 0


def test_keygen_writes_a_private_key_0600_and_never_replaces(
        ws: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (ws / "keys").mkdir()
    previous = os.umask(0o000)  # even a permissive umask gives the private key 0600
    try:
        ran = dos(capsys, "--workspace", str(ws), "attest", "keygen", "--out", "keys/ci",
                  "--json")
    finally:
        os.umask(previous)
    assert ran.code == 0, ran.err
    private, public = ws / "keys/ci.key", ws / "keys/ci.pub"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert ran.json["key_id"].startswith("ed25519:")
    assert "PRIVATE KEY" not in ran.out  # the path, never the key
    before = (private.read_bytes(), public.read_bytes())
    again = dos(capsys, "--workspace", str(ws), "attest", "keygen", "--out", "keys/ci")
    assert again.code == 2
    assert (private.read_bytes(), public.read_bytes()) == before
    receipt = mint(capsys, ws, private, "--accept-cmd", "true")
    assert receipt["key_id"] == ran.json["key_id"]
    assert check(capsys, tmp_path, receipt, public).code == 0


def test_keygen_refuses_a_half_pair_a_link_and_a_path_outside(
        ws: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (ws / "half.pub").write_text("mine\n", encoding="utf-8")
    assert dos(capsys, "--workspace", str(ws), "attest", "keygen", "--out", "half").code == 2
    assert not (ws / "half.key").exists()
    target = tmp_path / "elsewhere.key"
    (ws / "link.key").symlink_to(target)
    assert dos(capsys, "--workspace", str(ws), "attest", "keygen", "--out", "link").code == 2
    assert not target.exists()
    for outside in ("../escape", str(tmp_path / "abs"), "nodir/ci"):
        ran = dos(capsys, "--workspace", str(ws), "attest", "keygen", "--out", outside)
        assert ran.code == 2, outside
    assert not list(tmp_path.glob("escape*"))
    assert not list(tmp_path.glob("abs*"))


def test_a_key_file_must_be_a_small_regular_file(
        ws: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "key.fifo"
    os.mkfifo(fifo)
    big = tmp_path / "big.secret"
    big.write_bytes(b"k" * (64 * 1024 + 1))
    started = time.monotonic()
    for key in (fifo, tmp_path, big, Path("/dev/zero"), tmp_path / "missing"):
        code, _ = _attest(capsys, ws, "--key-file", str(key))
        assert code == 2, key
        assert check(capsys, tmp_path, {}, key).code == 2, key
    assert time.monotonic() - started < 10  # a FIFO is refused, never waited on


def test_the_wrong_kind_of_key_is_a_usage_error_that_never_prints_it(
        ws: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from cryptography.hazmat.primitives import serialization as ser
    from cryptography.hazmat.primitives.asymmetric import ec

    private, public = ed25519_pair(tmp_path, "ci")
    short = secret_file(tmp_path, "short.secret", "tiny-secret-x")
    ec_key = tmp_path / "ec.key"
    ec_key.write_bytes(ec.generate_private_key(ec.SECP256R1()).private_bytes(
        ser.Encoding.PEM, ser.PrivateFormat.PKCS8, ser.NoEncryption()))
    junk_pem = secret_file(tmp_path, "junk.pem", "-----BEGIN PRIVATE KEY-----\nnot base64!")
    for key in (public, short, ec_key, junk_pem):
        ran = dos(capsys, "--workspace", str(ws), "attest", "--claim", "c", "--accept-cmd",
                  "true", "--key-file", str(key))
        assert ran.code == 2, key.name
        assert ran.err.startswith("dos: error:")
        assert "fix:" in ran.err
        assert "tiny-secret" not in ran.err + ran.out
    receipt = mint(capsys, ws, private, "--accept-cmd", "true")
    ran = dos(capsys, "verify-receipt", "--receipt", str(tmp_path / "r.json"), "--key-file",
              str(private))
    assert ran.code == 2
    assert "private key" in ran.err
    assert receipt["signature"] not in ran.err


def test_no_key_refuses_before_the_witness_runs(
        ws: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    ran = dos(capsys, "--workspace", str(ws), "attest", "--claim", "c", "--accept-cmd",
              "touch ran")
    assert ran.code == 2
    assert "no signing key" in ran.err
    assert "DOS_ATTEST_KEY" in ran.err
    assert not (ws / "ran").exists()
    assert dos(capsys, "verify-receipt", "--receipt", str(tmp_path)).code == 2


def test_a_missing_attest_extra_is_exit_2_with_the_pip_command(ws: Path) -> None:
    import subprocess

    script = ("import sys; sys.modules['cryptography'] = None; from dos.cli import main; "
              "sys.exit(main(sys.argv[1:]))")
    done = subprocess.run([sys.executable, "-c", script, "--workspace", str(ws), "attest",
                           "--claim", "c", "--accept-cmd", "true"], capture_output=True,
                          text=True, check=False, env={**os.environ,
                                                       "DOS_ATTEST_KEY": SECRET})
    assert done.returncode == 2, done.stderr
    assert "pip install 'dispatch-os[attest]'" in done.stderr
    assert "Traceback" not in done.stderr
