"""PostgreSQL connection targets: parse a ``postgresql://`` URL into libpq settings and a province.

A source URL is an ordinary libpq connection URI plus one extra query parameter, ``province``,
which names the province schema (``bac_ninh``). Credentials are never part of the repository:
libpq reads them from the environment (``PGHOST``, ``PGUSER``, ``PGPASSWORD``, ...), from
``~/.pgpass`` or from a service file (``postgresql:///?service=kcn&province=bac_ninh``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from ...errors import LayerError
from ...settings import PROVINCES, Province

#: URL schemes libpq accepts.
SCHEMES = ("postgresql://", "postgres://")

#: Province schema names are plain lower-case identifiers (they are also PostgreSQL schemas).
_SCHEMA_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


def is_database_url(source: object) -> bool:
    """Whether ``source`` is a PostgreSQL URL rather than a file path."""
    return isinstance(source, str) and source.startswith(SCHEMES)


@dataclass(frozen=True)
class PgTarget:
    """Where a province lives on a server: libpq connection string and province key."""

    conninfo: str  #: the URL without the ``province`` parameter, as libpq reads it
    province_key: str | None  #: schema name; None when the URL does not say

    @property
    def province(self) -> Province:
        """The province of the target; refused when the URL names none or an unknown one."""
        if self.province_key is None:
            raise LayerError(
                f"{self.display}: the URL names no province; add '?province=KEY' "
                f"(one of: {', '.join(PROVINCES)})"
            )
        if self.province_key not in PROVINCES:
            raise LayerError(
                f"{self.display}: unknown province {self.province_key!r} "
                f"(known: {', '.join(PROVINCES)})"
            )
        return PROVINCES[self.province_key]

    @property
    def display(self) -> str:
        """The URL as shown in messages: never with a password."""
        parts = urlsplit(self.conninfo)
        netloc = parts.netloc
        if "@" in netloc:
            user, _, host = netloc.rpartition("@")
            netloc = f"{user.split(':', 1)[0]}@{host}"
        query = [(k, v) for k, v in parse_qsl(parts.query) if k != "password"]
        if self.province_key:
            query.append(("province", self.province_key))
        return _join(parts.scheme, netloc, parts.path, query)

    def with_province(self, key: str) -> PgTarget:
        return PgTarget(self.conninfo, key)


def _join(scheme: str, netloc: str, path: str, query: list[tuple[str, str]]) -> str:
    # urlunsplit would drop the empty host of "postgresql:///db" (a Unix socket or a service).
    return f"{scheme}://{netloc}{path}" + (f"?{urlencode(query)}" if query else "")


def parse_url(url: str) -> PgTarget:
    """Split a source URL into the libpq URI and the province key.

    >>> t = parse_url("postgresql:///kcn?service=kcn&province=bac_ninh")
    >>> t.conninfo, t.province_key
    ('postgresql:///kcn?service=kcn', 'bac_ninh')
    >>> parse_url("postgresql://ana:secret@db.example/kcn?province=ninh_binh").display
    'postgresql://ana@db.example/kcn?province=ninh_binh'
    >>> parse_url("postgresql:///?service=kcn").conninfo
    'postgresql:///?service=kcn'
    """
    if not is_database_url(url):
        raise LayerError(f"{url!r} is not a PostgreSQL URL (postgresql://...)")
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    provinces = [v for k, v in query if k == "province"]
    rest = [(k, v) for k, v in query if k != "province"]
    key = provinces[-1] if provinces else None
    if key is not None and not _SCHEMA_NAME.match(key):
        raise LayerError(f"{url}: province {key!r} is not a valid schema name")
    conninfo = _join(parts.scheme, parts.netloc, parts.path, rest)
    return PgTarget(conninfo, key)


def connect(target: PgTarget, *, autocommit: bool = False):  # noqa: ANN201 - psycopg.Connection
    """Open a connection; libpq fills in what the URL leaves out from PG* variables."""
    import psycopg

    try:
        conn = psycopg.connect(target.conninfo, autocommit=autocommit,
                               application_name=os.environ.get("PGAPPNAME", "kcn-gis"))
    except psycopg.Error as exc:
        raise LayerError(f"{target.display}: cannot connect ({str(exc).strip()})") from exc
    return conn
