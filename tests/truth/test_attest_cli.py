"""The two verbs end to end as a user runs them: text, --json, the pipe from attest to
verify-receipt in real processes, the contract errors, and a claim that cannot rewrite
the terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from tests._support.git import GitRepo
from tests._support.receipts import SECRET, check, dos, ed25519_pair, mint


@pytest.fixture
def repo(git_repo: Callable[..., GitRepo]) -> GitRepo:
    made = git_repo("ws")
    made.commit("AUTH1: add login", {"src/auth.py": "def login(): ...\n"})
    return made


def _dos(*argv: str, stdin: bytes = b"", env: dict[str, str] | None = None
         ) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "dos", *argv], input=stdin,
                          capture_output=True, check=False, env={**os.environ, **(env or {})})


def test_attest_json_piped_into_verify_receipt_in_real_processes(repo: GitRepo) -> None:
    env = {"DOS_ATTEST_KEY": SECRET}
    minted = _dos("--workspace", str(repo.path), "attest", "--claim", "tests:green",
                  "--accept-cmd", "git status --short", "--json", env=env)
    assert minted.returncode == 0, minted.stderr
    line = json.loads(minted.stdout)
    assert line["schema"] == {"family": "attest", "version": 1}
    assert (line["verdict"], line["format"]) == ("CONFIRMED", "receipt")
    checked = _dos("verify-receipt", "--require-verdict", "CONFIRMED", stdin=minted.stdout,
                   env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.startswith(b"VALID     VALID \xe2\x80\x94 HMAC signature matches")
    line["receipt"]["claim"] = "tests:red"
    tampered = _dos("verify-receipt", stdin=json.dumps(line).encode(), env=env)
    assert tampered.returncode == 1
    assert tampered.stdout.startswith(b"INVALID   INVALID")
    wrong = _dos("verify-receipt", stdin=minted.stdout, env={"DOS_ATTEST_KEY": SECRET + "!"})
    assert wrong.returncode == 1


def test_the_text_answers_name_the_witness_and_its_binding(
        repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    private, public = ed25519_pair(tmp_path, "ci")
    ran = dos(capsys, "--workspace", str(repo.path), "attest", "--claim", "tests:green",
              "--accept-cmd", "true", "--key-file", str(private), "--timestamp",
              "2026-01-01T00:00:00Z", "--out", "r.json")
    assert ran.code == 0
    head = repo.git("rev-parse", "HEAD")[:12]
    lines = ran.out.splitlines()
    assert lines[0] == "VERDICT   CONFIRMED   (believe=True refuted=False)"
    assert lines[1] == "CLAIM     tests:green"
    assert lines[2] == "WITNESS   os_acceptance (OS_RECORDED) over true"
    assert lines[3].startswith(f"BOUND     exit 0 at {head} (clean tree); output sha256 ")
    assert lines[4].startswith("ALGORITHM ED25519   KEY ed25519:")
    assert lines[5] == "TIMESTAMP 2026-01-01T00:00:00Z"
    assert lines[7] == "REASON    CONFIRMED \u2014 'tests:green': the command exited 0"
    assert lines[8] == f"WROTE     {repo.path / 'r.json'}"
    checked = dos(capsys, "--workspace", str(repo.path), "verify-receipt", "--receipt",
                  "r.json", "--key-file", str(public))
    assert checked.code == 0
    assert "WITNESS   os_acceptance over true" in checked.out
    assert "SIGNED    2026-01-01T00:00:00Z by ed25519:" in checked.out


def test_a_claim_with_control_characters_is_shown_escaped(
        repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    private, public = ed25519_pair(tmp_path, "ci")
    claim = "ok\x1b[2J\rFAKE VALID"
    ran = dos(capsys, "--workspace", str(repo.path), "attest", "--claim", claim,
              "--accept-cmd", "true", "--key-file", str(private), "--out", "r.json")
    assert ran.code == 0
    receipt = json.loads((repo.path / "r.json").read_text(encoding="utf-8"))
    assert receipt["claim"] == claim  # signed as given
    checked = dos(capsys, "verify-receipt", "--receipt", str(repo.path / "r.json"),
                  "--key-file", str(public))
    for out in (ran.out, checked.out):
        assert "\x1b" not in out
        assert "\r" not in out
        assert "ok\\x1b[2J\\rFAKE VALID" in out


def test_verify_receipt_contract_errors_exit_2(
        repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    private, public = ed25519_pair(tmp_path, "ci")
    receipt = mint(capsys, repo.path, private, "--accept-cmd", "true")
    for raw in (b"", b"   \n", b"not json", b"[1, 2]", b'"a string"', b"[" * 100_000):
        ran = check(capsys, tmp_path, None, public, raw=raw)
        assert ran.code == 2, raw[:20]
        assert ran.err.startswith("dos: error:"), raw[:20]
    no_key = dos(capsys, "verify-receipt", "--receipt", str(tmp_path / "under-test.json"))
    assert no_key.code == 2
    assert "no key to verify with" in no_key.err
    missing = dos(capsys, "verify-receipt", "--receipt", str(tmp_path / "nope.json"),
                  "--key-file", str(public))
    assert missing.code == 2
    too_big = check(capsys, tmp_path, None, public, raw=b"{" + b" " * (1024 * 1024) + b"}")
    assert too_big.code == 2
    unknown = dos(capsys, "verify-receipt", "--key-file", str(public), "--require-verdict",
                  "MAYBE")
    assert unknown.code == 2
    assert check(capsys, tmp_path, receipt, public).code == 0


def test_exit_codes_lists_both_verbs(capsys: pytest.CaptureFixture[str]) -> None:
    ran = dos(capsys, "exit-codes", "--json")
    table = ran.json
    assert {k: v for k, v in table["attest"].items() if k != "schema"} == {
        "CONFIRMED": 0, "REFUTED": 1, "UNWITNESSED": 3, "contract_error": 2}
    assert {k: v for k, v in table["verify-receipt"].items() if k != "schema"} == {
        "VALID": 0, "INVALID": 1, "VERDICT_UNMET": 1, "contract_error": 2}


def test_verify_receipt_needs_only_the_public_key(
        repo: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A verifier holds the receipt and the public key, nothing else: a process with no
    private key, no workspace (no git, no dos.toml) and no $DOS_ATTEST_KEY."""
    keys = tmp_path / "keys"
    keys.mkdir()
    private, public = ed25519_pair(keys, "ci")
    receipt = mint(capsys, repo.path, private, "--accept-cmd", "true")
    envelope = mint(capsys, repo.path, private, "--accept-cmd", "true",
                    extra=("--format", "dsse"))
    private.unlink()  # the private key exists nowhere any more
    bare, home = tmp_path / "bare", tmp_path / "home"
    bare.mkdir()
    home.mkdir()
    documents = {"receipt.json": receipt, "envelope.json": envelope,
                 "tampered.json": {**receipt, "claim": "tests:red"},
                 "tampered-envelope.json": {**envelope, "payloadType": "application/json"}}
    for name, document in documents.items():
        (bare / name).write_text(json.dumps(document), encoding="utf-8")
    (bare / "ci.pub").write_bytes(public.read_bytes())
    before = sorted(path.name for path in bare.iterdir())
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home)}  # no DOS_* at all
    codes = {}
    for name in documents:
        done = subprocess.run([sys.executable, "-m", "dos", "verify-receipt", "--receipt", name,
                               "--key-file", "ci.pub"], cwd=bare, env=env, capture_output=True,
                              check=False, timeout=60)
        assert b"Traceback" not in done.stderr, done.stderr
        codes[name] = done.returncode
    assert codes == {"receipt.json": 0, "envelope.json": 0, "tampered.json": 1,
                     "tampered-envelope.json": 1}
    assert sorted(path.name for path in bare.iterdir()) == before  # it wrote nothing there
