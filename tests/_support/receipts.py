"""Signed-receipt helpers: real keys on disk and `dos` run in process."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization as ser
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from dos import cli

SECRET = "a-shared-secret-for-the-tests-01"  # noqa: S105 - a test key, signs nothing real


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)


def dos(capsys: pytest.CaptureFixture[str], *argv: str) -> Ran:
    """``dos ARGV`` in this process."""
    capsys.readouterr()
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return Ran(code, captured.out, captured.err)


def ed25519_pair(directory: Path, name: str) -> tuple[Path, Path]:
    """A private and a public PEM key written with cryptography itself (not dos)."""
    key = Ed25519PrivateKey.generate()
    private = directory / f"{name}.key"
    public = directory / f"{name}.pub"
    private.write_bytes(key.private_bytes(ser.Encoding.PEM, ser.PrivateFormat.PKCS8,
                                          ser.NoEncryption()))
    public.write_bytes(key.public_key().public_bytes(ser.Encoding.PEM,
                                                     ser.PublicFormat.SubjectPublicKeyInfo))
    return private, public


def secret_file(directory: Path, name: str, text: str = SECRET, ending: str = "\n") -> Path:
    path = directory / name
    path.write_bytes((text + ending).encode())
    return path


def mint(capsys: pytest.CaptureFixture[str], workspace: Path, key: Path, *witness: str,
         claim: str = "tests:green", extra: tuple[str, ...] = ()) -> dict[str, Any]:
    """A receipt `dos attest` signs with ``key`` (read back from its --out file)."""
    out = workspace / ".receipt.json"
    ran = dos(capsys, "--workspace", str(workspace), "attest", "--claim", claim, *witness,
              "--key-file", str(key), "--out", str(out), *extra)
    assert ran.code in (0, 1, 3), ran.err
    receipt: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    out.unlink()
    return receipt


def check(capsys: pytest.CaptureFixture[str], tmp_path: Path, document: Any, *keys: Path,
          raw: bytes | None = None, extra: tuple[str, ...] = ()) -> Ran:
    """`dos verify-receipt --json` on ``document`` (or the bytes ``raw``) with ``keys``."""
    path = tmp_path / "under-test.json"
    path.write_bytes(raw if raw is not None else json.dumps(document).encode())
    flags = [part for key in keys for part in ("--key-file", str(key))]
    return dos(capsys, "verify-receipt", "--receipt", str(path), *flags, *extra, "--json")
