"""``postgresql://`` URLs read the way libpq reads them (``conninfo_to_dict``).

Same keys, same percent-decoding, same complaints about a malformed URL, so the
fast client and psycopg agree on what a URL says and on what is wrong with it.
"""

from __future__ import annotations

from dos.store.pgwire.errors import ProgrammingError

__all__ = ["KEYWORDS", "parse_url"]

_PREFIXES = ("postgresql://", "postgres://")
# Every connection keyword libpq knows: anything else in a query is an error.
KEYWORDS = frozenset((
    "application_name", "channel_binding", "client_encoding", "connect_timeout", "dbname",
    "fallback_application_name", "gssdelegation", "gssencmode", "gsslib", "host", "hostaddr",
    "keepalives", "keepalives_count", "keepalives_idle", "keepalives_interval", "krbsrvname",
    "load_balance_hosts", "max_protocol_version", "min_protocol_version", "oauth_client_id",
    "oauth_client_secret", "oauth_issuer", "oauth_scope", "options", "passfile", "password",
    "port", "replication", "require_auth", "requirepeer", "scram_client_key",
    "scram_server_key", "service", "ssl_max_protocol_version", "ssl_min_protocol_version",
    "sslcert", "sslcertmode", "sslcompression", "sslcrl", "sslcrldir", "sslkey",
    "sslkeylogfile", "sslmode", "sslnegotiation", "sslpassword", "sslrootcert", "sslsni",
    "target_session_attrs", "tcp_user_timeout", "user"))


def parse_url(url: str) -> dict[str, str]:
    """The connection keywords ``url`` sets; raises :class:`ProgrammingError` when it is
    malformed."""
    prefix = next((p for p in _PREFIXES if url.startswith(p)), None)
    if prefix is None:
        raise ProgrammingError(f'invalid connection string: "{url}"')
    found: dict[str, str] = {}
    rest = _credentials(url[len(prefix):], found)
    hosts, ports, rest = _netlocs(url, rest)
    _store(found, "host", ",".join(hosts))
    _store(found, "port", ",".join(ports))
    path, mark, query = rest.partition("?")
    if path.startswith("/"):
        _store(found, "dbname", path[1:])
    if mark:
        _query(query, found)
    for value in found.values():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ProgrammingError(f'percent-encoded value is not UTF-8: "{url}"\n') from None
    return found


def _credentials(rest: str, found: dict[str, str]) -> str:
    """Store ``user[:password]@`` (it ends at the first '@' before any '/')."""
    at, slash = rest.find("@"), rest.find("/")
    if at < 0 or 0 <= slash < at:
        return rest
    user, colon, password = rest[:at].partition(":")
    _store(found, "user", user)
    if colon:
        _store(found, "password", password)
    return rest[at + 1:]


def _netlocs(url: str, rest: str) -> tuple[list[str], list[str], str]:
    """The comma-separated ``host[:port]`` list, and what follows it."""
    hosts: list[str] = []
    ports: list[str] = []
    while True:
        host, rest = _host(url, rest)
        port = ""
        if rest.startswith(":"):
            end = _end(rest, "/?,", 1)
            port, rest = rest[1:end], rest[end:]
        hosts.append(host)
        ports.append(port)
        if not rest.startswith(","):
            return hosts, ports, rest
        rest = rest[1:]


def _host(url: str, rest: str) -> tuple[str, str]:
    if not rest.startswith("["):
        end = _end(rest, ":/?,", 0)
        return rest[:end], rest[end:]
    close = rest.find("]")
    if close < 0:
        raise ProgrammingError('end of string reached when looking for matching "]" in IPv6 '
                               f'host address in URI: "{url}"\n')
    if close == 1:
        raise ProgrammingError(f'IPv6 host address may not be empty in URI: "{url}"\n')
    after = rest[close + 1:]
    if after and after[0] not in ":/?,":
        position = len(url) - len(after) + 1
        raise ProgrammingError(f'unexpected character "{after[0]}" at position {position} in '
                               f'URI (expected ":" or "/"): "{url}"\n')
    return rest[1:close], after


def _end(text: str, stops: str, start: int) -> int:
    return next((index for index in range(start, len(text)) if text[index] in stops),
                len(text))


def _query(query: str, found: dict[str, str]) -> None:
    items = query.split("&")
    if items[-1] == "":  # libpq stops at the end: a trailing '&' (or a bare '?') is fine
        items.pop()
    for item in items:
        keyword, equals, value = item.partition("=")
        if not equals:
            raise ProgrammingError('missing key/value separator "=" in URI query parameter: '
                                   f'"{keyword}"\n')
        if "=" in value:
            raise ProgrammingError('extra key/value separator "=" in URI query parameter: '
                                   f'"{keyword}"\n')
        keyword, value = _decoded(keyword), _decoded(value)
        if keyword == "ssl" and value == "true":  # libpq's JDBC spelling
            keyword, value = "sslmode", "require"
        if keyword not in KEYWORDS:
            shown = keyword.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            raise ProgrammingError(f'invalid URI query parameter: "{shown}"\n')
        found[keyword] = value


def _store(found: dict[str, str], keyword: str, raw: str) -> None:
    if raw:
        found[keyword] = _decoded(raw)


def _decoded(raw: str) -> str:
    """Percent-decoding as libpq does it: two hex digits after each '%', never %00."""
    if "%" not in raw:
        return raw
    out, index = bytearray(), 0
    data = raw.encode("utf-8")
    while index < len(data):
        if data[index] != 0x25:  # '%'
            out.append(data[index])
            index += 1
            continue
        digits = data[index + 1:index + 3]
        if len(digits) < 2 or not all(chr(d) in "0123456789abcdefABCDEF" for d in digits):
            raise ProgrammingError(f'invalid percent-encoded token: "{raw}"\n')
        if digits == b"00":
            raise ProgrammingError(f'forbidden value %00 in percent-encoded value: "{raw}"\n')
        out.append(int(digits, 16))
        index += 3
    return out.decode("utf-8", errors="surrogateescape")  # checked once the URL is read
