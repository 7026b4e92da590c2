"""The PostgreSQL errors the store sees, whichever client raised them.

The DB-API classes, each error's class picked from its SQLSTATE the way psycopg picks
it, so a fast-path failure is told apart exactly like a psycopg one.
"""

from __future__ import annotations

__all__ = [
    "DataError",
    "DatabaseError",
    "Error",
    "IntegrityError",
    "InterfaceError",
    "InternalError",
    "LockNotAvailable",
    "NotSupportedError",
    "OperationalError",
    "ProgrammingError",
    "QueryCanceled",
    "Unsupported",
    "error_for",
    "server_error",
]


class Error(Exception):
    """A driver error; ``sqlstate`` is the server's code (None for a client-side one)."""

    def __init__(self, message: str, sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


class InterfaceError(Error):
    pass


class DatabaseError(Error):
    pass


class DataError(DatabaseError):
    pass


class OperationalError(DatabaseError):
    pass


class IntegrityError(DatabaseError):
    pass


class InternalError(DatabaseError):
    pass


class ProgrammingError(DatabaseError):
    pass


class NotSupportedError(DatabaseError):
    pass


class QueryCanceled(OperationalError):  # noqa: N818 - psycopg's name
    pass


class LockNotAvailable(OperationalError):  # noqa: N818 - psycopg's name
    pass


class Unsupported(Exception):  # noqa: N818 - a signal to switch clients, not a failure
    """The connection needs something only psycopg does (TLS, a service file, ...)."""


_BY_CODE: dict[str, type[Error]] = {"57014": QueryCanceled, "55P03": LockNotAvailable}
_BY_CLASS: dict[str, type[Error]] = {
    **dict.fromkeys(("08", "27", "28", "2F", "38", "39", "3B", "40", "53", "54", "55", "57",
                     "58", "F0", "HV"), OperationalError),
    **dict.fromkeys(("20", "21", "26", "34", "3D", "3F", "42", "44", "P0"), ProgrammingError),
    **dict.fromkeys(("24", "25", "2B", "2D", "XX"), InternalError),
    "0A": NotSupportedError, "22": DataError, "23": IntegrityError,
}


def error_for(sqlstate: str | None, message: str) -> Error:
    """The error for a server's SQLSTATE (its class decides, as in psycopg)."""
    if not sqlstate:
        return DatabaseError(message)
    kind = _BY_CODE.get(sqlstate) or _BY_CLASS.get(sqlstate[:2], DatabaseError)
    return kind(message, sqlstate)


def server_error(found: dict[str, str]) -> Error:
    """The error an ErrorResponse's fields describe, worded as libpq words it."""
    lines = [found.get("M", "unknown error")]
    for code, label in (("D", "DETAIL"), ("H", "HINT"), ("W", "CONTEXT")):
        if code in found:
            lines.append(f"{label}:  {found[code]}")
    return error_for(found.get("C"), "\n".join(lines))
