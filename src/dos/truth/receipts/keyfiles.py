"""Key files on disk: read only a small regular file (never a FIFO or a device), and
write a new pair without ever replacing a file (the private key 0600)."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from dos.errors import UsageError
from dos.structs import struct

__all__ = ["ENV_KEY", "MAX_KEY_FILE_BYTES", "KeyPair", "env_key", "read_key_file",
           "read_regular_file", "write_keypair"]

ENV_KEY = "DOS_ATTEST_KEY"
MAX_KEY_FILE_BYTES = 64 * 1024  # a PEM key is a few hundred bytes
_NOT_REGULAR = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                (stat.S_ISSOCK, "a socket"))


def read_regular_file(path: Path, *, limit: int, what: str) -> bytes:
    """The bytes of ``path``; UsageError (never naming its content) unless it is a readable
    regular file of at most ``limit`` bytes. Opened without blocking, so a FIFO cannot hang."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fix = f"pass a readable regular file as the {what}"
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise UsageError(f"cannot read the {what} {path}: {exc.strerror}", hint=fix) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            shown = next((name for test, name in _NOT_REGULAR if test(info.st_mode)),
                         "not a regular file")
            raise UsageError(f"the {what} {path} is {shown}", hint=fix)
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise UsageError(f"cannot read the {what} {path}: {exc.strerror}", hint=fix) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise UsageError(f"the {what} {path} is over {limit} bytes", hint=fix)
    return data


def read_key_file(path: Path) -> bytes:
    """A key file: a regular file of at most MAX_KEY_FILE_BYTES."""
    return read_regular_file(path, limit=MAX_KEY_FILE_BYTES, what="key file")


def env_key() -> bytes | None:
    """``$DOS_ATTEST_KEY`` as bytes (as the environment holds them), or None when unset."""
    if os.supports_bytes_environ:
        return os.environb.get(ENV_KEY.encode())
    value = os.environ.get(ENV_KEY)
    return None if value is None else value.encode("utf-8", "surrogateescape")


@struct
class KeyPair:
    """Where a new pair was written, and its key id."""

    private: Path
    public: Path
    key_id: str


def _create(path: Path, data: bytes, mode: int) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, mode)
    except OSError as exc:
        reason = "it already exists" if exc.errno == errno.EEXIST else exc.strerror
        raise UsageError(f"cannot create {path}: {reason}",
                         hint="choose another --out PREFIX; dos never replaces a key file"
                         ) from None
    try:
        os.fchmod(fd, mode)  # exact, whatever the umask allowed
        os.write(fd, data)
    finally:
        os.close(fd)


def write_keypair(prefix: Path) -> KeyPair:
    """A new Ed25519 pair at PREFIX.key (PKCS#8 PEM, 0600) and PREFIX.pub (SPKI PEM)."""
    from cryptography.hazmat.primitives import serialization as ser
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from dos.truth.receipts.keys import Ed25519Verifier

    private_path, public_path = Path(f"{prefix}.key"), Path(f"{prefix}.pub")
    for path in (private_path, public_path):
        if os.path.lexists(path):
            raise UsageError(f"{path} already exists",
                             hint="choose another --out PREFIX; dos never replaces a key file")
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(ser.Encoding.PEM, ser.PrivateFormat.PKCS8,
                                ser.NoEncryption())
    public = key.public_key().public_bytes(ser.Encoding.PEM,
                                           ser.PublicFormat.SubjectPublicKeyInfo)
    _create(private_path, private, 0o600)
    try:
        _create(public_path, public, 0o644)
    except UsageError:
        private_path.unlink()  # no half pair: the private key alone is of no use
        raise
    return KeyPair(private_path, public_path, Ed25519Verifier(key.public_key()).key_id)
