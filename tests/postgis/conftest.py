"""A throwaway PostgreSQL + PostGIS cluster for the tests: own data directory, own port.

Nothing on the machine is assumed but the server binaries (Debian's ``postgresql-15-postgis-3``
under ``/usr/lib/postgresql/15/bin``, or ``KCN_PG_BINDIR``). Without them the tests skip with a
reason on a workstation and FAIL when ``CI`` is set, so a broken CI image cannot hide them.

initdb refuses to run as root, so under root (CI containers) the cluster belongs to the
``postgres`` OS user and lives in a private directory that user owns; otherwise it lives in
pytest's temporary directory and belongs to the current user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest

BINDIR = Path(os.environ.get("KCN_PG_BINDIR", "/usr/lib/postgresql/15/bin"))
SUPERUSER = "postgres"
TEMPLATE_DB = "kcn_template"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Cluster:
    """A running throwaway server reachable through a Unix socket."""

    socket_dir: Path
    port: int

    def url(self, dbname: str, *, user: str = SUPERUSER, province: str | None = None) -> str:
        query = {"host": str(self.socket_dir), "port": str(self.port)}
        if province:
            query["province"] = province
        return f"postgresql://{user}@/{dbname}?{urlencode(query)}"

    def connect(self, dbname: str = "postgres", *, user: str = SUPERUSER):  # noqa: ANN201
        import psycopg

        return psycopg.connect(host=str(self.socket_dir), port=self.port, user=user,
                               dbname=dbname, autocommit=True)


def _missing_server(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"PostGIS tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"PostGIS tests need a local PostgreSQL 15 + PostGIS: {reason}")


@pytest.fixture(scope="session")
def pg_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """initdb + pg_ctl start into a fresh directory; stopped and removed at the end."""
    if not (BINDIR / "initdb").exists():
        _missing_server(f"no initdb in {BINDIR} (apt-get install postgresql-15-postgis-3)")
    sharedir = subprocess.run([str(BINDIR / "pg_config"), "--sharedir"], capture_output=True,
                              text=True, check=False).stdout.strip()
    if not (Path(sharedir) / "extension" / "postgis.control").exists():
        _missing_server(f"PostgreSQL in {BINDIR} has no PostGIS extension "
                        "(apt-get install postgresql-15-postgis-3)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _missing_server("the Python driver psycopg 3 is not installed")
    as_root = os.geteuid() == 0
    if as_root:
        # pytest's base temp dir is private to root; the server user needs its own.
        owner = pwd.getpwnam("postgres")
        base = Path(tempfile.mkdtemp(prefix="kcn-pg-"))
        os.chown(base, owner.pw_uid, owner.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    else:
        base = tmp_path_factory.mktemp("pg")
        prefix = []
    data, log, port = base / "data", base / "server.log", _free_port()

    def run(*args: str) -> None:
        done = subprocess.run([*prefix, *args], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            tail = log.read_text()[-2000:] if log.exists() else ""
            pytest.fail(f"{' '.join(args[:2])} failed:\n{done.stdout}{done.stderr}{tail}",
                        pytrace=False)

    run(str(BINDIR / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=trust",
        "--encoding=UTF8", "--no-locale", "--no-sync")
    options = f"-p {port} -k {base} -c listen_addresses='' -c fsync=off -c max_connections=50"
    run(str(BINDIR / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60",
        "-o", options, "start")
    cluster = Cluster(base, port)
    try:
        with cluster.connect() as conn:
            conn.execute(f"CREATE DATABASE {TEMPLATE_DB}")
        with cluster.connect(TEMPLATE_DB) as conn:
            conn.execute("CREATE EXTENSION postgis")
        yield cluster
    finally:
        subprocess.run([*prefix, str(BINDIR / "pg_ctl"), "-D", str(data), "-m", "fast", "-w",
                        "stop"], capture_output=True, check=False)
        if as_root:
            shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def pg_db(pg_cluster: Cluster) -> Iterator[str]:
    """A fresh database with PostGIS for one test; its name."""
    name = f"kcn_{uuid.uuid4().hex[:10]}"
    with pg_cluster.connect() as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE_DB}")
    yield name
    with pg_cluster.connect() as conn:
        conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def pg_url(pg_cluster: Cluster, pg_db: str) -> str:
    """A source URL for Bắc Ninh in a fresh database (the schema is not yet created)."""
    return pg_cluster.url(pg_db, province="bac_ninh")


@pytest.fixture
def login(pg_cluster) -> Iterator:
    """Create login roles that are members of a group role; dropped afterwards."""
    from psycopg import sql

    made: list[str] = []

    def make(group: str) -> str:
        name = f"u_{uuid.uuid4().hex[:8]}"
        with pg_cluster.connect() as conn:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN IN ROLE {}").format(
                sql.Identifier(name), sql.Identifier(group)))
        made.append(name)
        return name

    yield make
    with pg_cluster.connect() as conn:
        for name in made:
            conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs the server, so ``-m "not postgis"`` can leave them out."""
    for item in items:
        if "pg_cluster" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgis)
