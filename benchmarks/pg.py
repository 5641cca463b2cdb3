"""A throwaway PostgreSQL + PostGIS server for the SQL floor of the indicators.

Started once per benchmark run (own data directory, own port, Unix socket only, fsync off),
like the PostGIS tests' fixture; each dataset is loaded into its own database by the case's
untimed setup. Without the server binaries, psycopg or the PostGIS backend the SQL floor is
reported as not available and everything else still runs.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

BINDIR = Path(os.environ.get("KCN_PG_BINDIR", "/usr/lib/postgresql/15/bin"))
SUPERUSER = "postgres"


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # a parent package is missing
        return False


def available() -> str | None:
    """Why the server cannot be used here, or None."""
    if not (BINDIR / "initdb").exists():
        return f"no initdb in {BINDIR}"
    for module in ("psycopg", "gis_app.storage.postgis.store",
                   "gis_app.storage.postgis.indicators"):
        if not _importable(module):
            return f"{module} is not installed"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def cluster() -> Iterator[dict[str, str]]:
    """Environment variables naming a running server (empty when none can run)."""
    if available() is not None:
        yield {}
        return
    as_root = getattr(os, "geteuid", lambda: -1)() == 0  # no geteuid on Windows
    base = Path(tempfile.mkdtemp(prefix="kcn-bench-pg-"))
    prefix: list[str] = []
    if as_root:  # initdb refuses root: the server belongs to the postgres OS user
        import pwd  # Unix only, as running as root is

        owner = pwd.getpwnam(SUPERUSER)
        os.chown(base, owner.pw_uid, owner.pw_gid)
        prefix = ["runuser", "-u", SUPERUSER, "--"]
    data, log, port = base / "data", base / "server.log", _free_port()
    started = False
    try:
        subprocess.run([*prefix, str(BINDIR / "initdb"), "-D", str(data), "-U", SUPERUSER,
                        "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync"],
                       capture_output=True, check=True)
        options = f"-p {port} -k {base} -c listen_addresses='' -c fsync=off"
        subprocess.run([*prefix, str(BINDIR / "pg_ctl"), "-D", str(data), "-l", str(log), "-w",
                        "-t", "60", "-o", options, "start"], capture_output=True, check=True)
        started = True
        yield {"KCN_BENCH_PG": f"host={base} port={port} user={SUPERUSER}"}
    finally:
        if started:
            subprocess.run([*prefix, str(BINDIR / "pg_ctl"), "-D", str(data), "-m", "fast",
                            "-w", "stop"], capture_output=True, check=False)
        shutil.rmtree(base, ignore_errors=True)


def load_plan(plan, province: str) -> tuple[str, str]:  # noqa: ANN001
    """A new database holding ``plan`` as ``province``; its conninfo and the province key."""
    import psycopg

    from gis_app.storage.postgis.store import init_database, write_plan

    conninfo = os.environ["KCN_BENCH_PG"]
    name = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(conninfo, dbname="postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    with psycopg.connect(conninfo, dbname=name, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION postgis")
    params = dict(part.split("=", 1) for part in conninfo.split())
    url = (f"postgresql://{params['user']}@/{name}?host={params['host']}&port={params['port']}"
           f"&province={province}")
    init_database(url)
    write_plan(url, plan)
    return f"{conninfo} dbname={name}", province
