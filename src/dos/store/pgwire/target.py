"""Where and as whom to connect: a URL's keywords, then the caller's, then libpq's
environment defaults (PGHOST, PGPORT, ...), checked against what this client does.

Anything it does not do (TLS, a service file, several hosts, a socket directory
only libpq knows the default of, ...) raises :class:`Unsupported`: psycopg connects
instead. A value libpq would refuse is refused here with libpq's words.
"""

from __future__ import annotations

import os

from dos.store.pgwire.conninfo import parse_url
from dos.store.pgwire.errors import OperationalError, ProgrammingError, Unsupported

TYPE_CHECKING = False
if TYPE_CHECKING:
    import pwd
    from collections.abc import Mapping

__all__ = ["Target", "target_of"]

# The libpq environment variable behind each keyword this module looks at.
_ENV = {
    "host": "PGHOST", "hostaddr": "PGHOSTADDR", "port": "PGPORT", "dbname": "PGDATABASE",
    "user": "PGUSER", "password": "PGPASSWORD", "passfile": "PGPASSFILE",
    "channel_binding": "PGCHANNELBINDING", "connect_timeout": "PGCONNECT_TIMEOUT",
    "client_encoding": "PGCLIENTENCODING", "options": "PGOPTIONS",
    "application_name": "PGAPPNAME", "sslmode": "PGSSLMODE",
    "sslnegotiation": "PGSSLNEGOTIATION", "sslrootcert": "PGSSLROOTCERT",
    "requirepeer": "PGREQUIREPEER", "require_auth": "PGREQUIREAUTH",
    "gssencmode": "PGGSSENCMODE", "service": "PGSERVICE",
    "target_session_attrs": "PGTARGETSESSIONATTRS", "load_balance_hosts": "PGLOADBALANCEHOSTS",
    "min_protocol_version": "PGMINPROTOCOLVERSION",
    "max_protocol_version": "PGMAXPROTOCOLVERSION",
}
# libpq sends these to the server itself, or turns them into sslmode=require.
_ENV_ONLY = ("PGDATESTYLE", "PGTZ", "PGGEQO", "PGREQUIRESSL")
_FREE = frozenset(("host", "port", "dbname", "user", "password", "passfile", "options",
                   "application_name", "fallback_application_name", "connect_timeout"))
# Keywords that only matter to TLS or GSSAPI, which a plain connection never uses.
_MOOT = frozenset(("sslcert", "sslkey", "sslpassword", "sslcrl", "sslcrldir", "sslsni",
                   "sslcompression", "sslcertmode", "ssl_min_protocol_version",
                   "ssl_max_protocol_version", "sslkeylogfile", "krbsrvname", "gsslib",
                   "gssdelegation"))
_ALLOWED = {
    "sslmode": ("disable", "allow", "prefer"), "gssencmode": ("disable", "prefer"),
    "channel_binding": ("disable", "prefer"), "target_session_attrs": ("any",),
    "load_balance_hosts": ("disable", "random"), "sslnegotiation": ("postgres",),
    "client_encoding": ("UTF8", "utf8", "UTF-8", "utf-8", "unicode", "UNICODE"),
}
_SSLMODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
# psycopg's bound on a connection attempt when none is given.
_DEFAULT_TIMEOUT_S = 130.0


class Target:
    """One server to connect to, and the startup parameters to send it."""

    __slots__ = ("host", "passfile", "password", "port", "sslmode", "startup", "timeout_s")

    def __init__(self, keys: dict[str, str]) -> None:
        self.host = keys["host"]
        self.port = _port(keys.get("port", ""))
        self.timeout_s = _timeout(keys.get("connect_timeout", ""))
        self.sslmode = keys.get("sslmode") or "prefer"
        self.password = keys.get("password") or None
        self.passfile = keys["passfile"]
        user = keys.get("user") or _account().pw_name  # libpq's default: the login name
        app = keys.get("application_name") or keys.get("fallback_application_name", "")
        startup = {"user": user, "database": keys.get("dbname") or user,
                   "options": keys.get("options", ""), "application_name": app,
                   "client_encoding": "UTF8"}
        self.startup = {key: value for key, value in startup.items() if value}


def target_of(url: str, extra: Mapping[str, str], env: Mapping[str, str]) -> Target:
    """The target of ``url`` with ``extra`` keywords over its own (as ``psycopg.connect``
    takes them); raises :class:`Unsupported` for what psycopg must do."""
    keys = {**parse_url(url), **extra}
    for keyword, variable in _ENV.items():
        if keyword not in keys and variable in env:
            keys[keyword] = env[variable]
    if any(env.get(name) for name in _ENV_ONLY):
        raise Unsupported("a libpq environment setting")
    _check(keys)
    if not keys.get("passfile"):
        keys["passfile"] = os.path.join(env.get("HOME") or _account().pw_dir, ".pgpass")  # noqa: PTH118
    return Target(keys)


def _check(keys: dict[str, str]) -> None:
    mode = keys.get("sslmode", "")
    if mode and mode not in _SSLMODES:
        raise OperationalError(f'connection is bad: invalid sslmode value: "{mode}"')
    for keyword, value in keys.items():
        if keyword in _FREE or keyword in _MOOT or value in _ALLOWED.get(keyword, ()):
            continue
        raise Unsupported(keyword)
    host = keys.get("host", "")
    if not host or "," in host or host.startswith("@") or "," in keys.get("port", ""):
        raise Unsupported("host")  # libpq's compiled-in socket directory, or several hosts


def _port(raw: str) -> int:
    if not raw.strip():
        return 5432
    number = _integer(raw)
    if number is None:
        raise OperationalError('connection is bad: invalid integer value '
                               f'"{raw}" for connection option "port"')
    if not 1 <= number <= 65535:  # the TCP port range
        raise OperationalError(f'connection is bad: invalid port number: "{raw}"')
    return number


def _integer(raw: str) -> int | None:
    """An integer as libpq's strtol reads it: spaces around, a sign, ASCII digits."""
    text = raw.strip()
    digits = text[1:] if text[:1] in "+-" else text
    return int(text) if digits.isascii() and digits.isdigit() else None


def _timeout(raw: str) -> float | None:
    """Seconds for the whole attempt (libpq's floor of 2); None when 0 or less asks for
    no bound; psycopg's own bound when none is given."""
    if not raw.strip():
        return _DEFAULT_TIMEOUT_S
    try:
        seconds = int(float(raw))
    except (ValueError, OverflowError):
        raise ProgrammingError(f"bad value for connect_timeout: {raw!r}") from None
    return None if seconds <= 0 else float(max(2, seconds))


def _account() -> pwd.struct_passwd:
    """The effective user's account, whose name and home libpq defaults to."""
    import pwd

    try:
        return pwd.getpwuid(os.geteuid())
    except KeyError:
        raise Unsupported("no account for this user id") from None
