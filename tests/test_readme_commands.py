"""Every command of the README runs: documentation cannot drift.

Each fenced ``bash`` block of README.md is run as a user would, command by command, in a
scratch directory holding copies of ``layers/*.gpkg`` (paths under ``/tmp/`` in the README
are moved into it). Every command is matched by exactly one entry of :data:`HANDLERS`, which
says how it is run; a command no entry matches fails the test, so a new README command must
be handled here before it can be documented. To handle a new flag (``kcn-gis view --host``,
``import --limit``), nothing changes: the handler matches the command's first words.

Run as written: ``kcn-gis`` subcommands, ``cp``, ``printf | ...``, the example inputs of a new
province (``python3 -m gis_app.testing.new_province``), ``python3 -m venv`` (and its
activation, in a shell of its own). Run with a change stated in
the handler: ``kcn-gis view`` (its own free port on 127.0.0.1, stopped once the viewer
answers), the interactive ``officer add`` (the two passwords on standard input, no terminal),
the PostGIS block (its ``service=kcn`` names a throwaway server through ``PGSERVICEFILE``).
Not run, with the reason: installing (pip, npm, ``.ci/run``: the environment running this
test is that installation) and the national-scale benchmark (its tiny-scale run is
tests/benchmarks/test_bench_smoke.py).
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from postgis.conftest import pg_cluster, pg_db  # noqa: F401 - fixtures of the PostGIS block

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def readme_blocks(text: str) -> list[list[str]]:
    """The commands of each fenced ``bash`` block: continuation lines joined, blank and
    comment-only lines dropped (a trailing comment stays; bash ignores it)."""
    blocks = re.findall(r"^```bash\n(.*?)^```", text, flags=re.S | re.M)
    out = []
    for block in blocks:
        joined = re.sub(r"[ \t]*\\\n\s*", " ", block)
        out.append([line.strip() for line in joined.splitlines()
                    if line.strip() and not line.strip().startswith("#")])
    return out


def parts(command: str) -> list[str]:
    """``a && b`` -> ``["a", "b"]``: each part is handled (and run) on its own, in order."""
    return [p.strip() for p in command.split(" && ")]


@dataclass
class Context:
    """Where and with what a README command runs."""

    workdir: Path
    env: dict[str, str]


# --- how each kind of command runs ------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _in_workdir(command: str, ctx: Context) -> str:
    """``/tmp/x`` in the README (a scratch copy) is ``<workdir>/x`` here."""
    return command.replace("/tmp/", f"{ctx.workdir}/")


def run_as_written(command: str, ctx: Context, *, stdin: str | None = None,
                   new_session: bool = False) -> None:
    done = subprocess.run(["bash", "-c", _in_workdir(command, ctx)], cwd=ctx.workdir,
                          env=ctx.env, input=stdin, capture_output=True, text=True,
                          timeout=900, check=False, start_new_session=new_session)
    assert done.returncode == 0 and "Traceback" not in done.stderr, (
        f"README command failed: {command}\nexit {done.returncode}\n{done.stdout[-2000:]}"
        f"\n{done.stderr[-3000:]}")


def run_viewer(command: str, ctx: Context) -> None:
    """Start the viewer on a free local port, wait until it answers, stop it."""
    port = _free_port()
    log = ctx.workdir / "view.log"
    words = shlex.split(command, comments=True)  # a trailing comment would swallow --port
    with log.open("w") as out:
        proc = subprocess.Popen(
            [*words, "--port", str(port), "--address", "127.0.0.1"],
            cwd=ctx.workdir, env=ctx.env, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
            start_new_session=True)
    try:
        deadline, answered = time.monotonic() + 180, False
        while time.monotonic() < deadline and proc.poll() is None and not answered:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                            timeout=5) as response:
                    answered = response.status == 200 and response.read() == b"ok"
            except OSError:
                time.sleep(1)
        assert answered, f"{command} did not answer on port {port}:\n{log.read_text()[-3000:]}"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)
    assert "Traceback" not in log.read_text(), log.read_text()[-3000:]


def run_prompting_officer_add(command: str, ctx: Context) -> None:
    """The password typed twice: without a terminal (a new session) getpass reads stdin."""
    run_as_written(command, ctx, stdin="Mật-khẩu 1\nMật-khẩu 1\n", new_session=True)
    assert "[officers." in (ctx.workdir / "officers.toml").read_text()


def run_venv(command: str, ctx: Context) -> None:
    """Step 0 of the quick start: the virtual environment is made, in the scratch directory."""
    run_as_written(command, ctx)
    assert (ctx.workdir / ".venv" / "pyvenv.cfg").is_file()


def run_activate(command: str, ctx: Context) -> None:
    """Sourcing the environment puts its ``python3`` first (in a shell of its own: the
    installation running this test stays the one the next commands use)."""
    done = subprocess.run(["bash", "-c", f"{command} && command -v python3"], cwd=ctx.workdir,
                          env=ctx.env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(ctx.workdir / ".venv" / "bin" / "python3"), done.stdout


def not_run(reason: str) -> Callable[[str, Context], None]:
    def handler(command: str, ctx: Context) -> None:  # noqa: ARG001
        pass

    handler.__doc__ = reason
    return handler


#: ``(pattern, handler)``: the first pattern matching a command (``re.match``) says how it
#: runs. Keep the patterns narrow: a command no pattern matches fails the test.
HANDLERS: list[tuple[str, Callable[[str, Context], None]]] = [
    (r"python3 -m venv \.venv$", run_venv),
    (r"\. \.venv/bin/activate$", run_activate),
    (r"python3 -m pip install -e \.$",
     not_run("installing: the environment running this test is that installation")),
    (r"bash \.ci/run$", not_run("the CI entry point: it installs, then runs this test")),
    (r"npm install --prefix \.cache/npm leaflet-draw@",
     not_run("fetches from the npm registry (tests run offline); .ci/run does it")),
    (r"python3 benchmarks/run\.py ",
     not_run("national-scale benchmark (minutes); tests/benchmarks/test_bench_smoke.py runs "
             "benchmarks/run.py at the tiny scale")),
    (r"kcn-gis view\b", run_viewer),
    (r"kcn-gis officer add \S+\s*(#.*)?$", run_prompting_officer_add),
    (r"python3 -m gis_app\.testing\.new_province /tmp/\S+$", run_as_written),
    (r"(kcn-gis|cp|printf) ", run_as_written),
]


def handler_of(command: str) -> Callable[[str, Context], None]:
    for pattern, handler in HANDLERS:
        if re.match(pattern, command):
            return handler
    raise AssertionError(f"README command {command!r} is not handled by "
                         "tests/test_readme_commands.py: add it to HANDLERS")


BLOCKS = readme_blocks(README.read_text(encoding="utf-8"))


def test_the_readme_has_the_blocks_this_test_knows():
    assert len(BLOCKS) >= 8 and all(BLOCKS)
    for block in BLOCKS:
        for command in block:
            for part in parts(command):
                handler_of(part)  # raises for a command nobody handles


def test_the_parser_keeps_comments_continuations_and_chains_apart():
    text = ("```bash\n# note\nkcn-gis a x \\\n    --b y   # says z\n\nA && B\n```\n"
            "```python\nnot shell\n```\n")
    assert readme_blocks(text) == [["kcn-gis a x --b y   # says z", "A && B"]]
    assert parts("A && B") == ["A", "B"]
    with pytest.raises(AssertionError, match="not handled"):
        handler_of("rm -rf layers")


def _digest(paths: list[Path]) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def _service_file(request: pytest.FixtureRequest, workdir: Path) -> Path:
    """A libpq service file whose ``[kcn]`` is a fresh database on the throwaway server."""
    cluster = request.getfixturevalue("pg_cluster")
    dbname = request.getfixturevalue("pg_db")
    path = workdir / "pg_service.conf"
    path.write_text(f"[kcn]\nhost={cluster.socket_dir}\nport={cluster.port}\n"
                    f"dbname={dbname}\nuser=postgres\n", encoding="utf-8")
    return path


@pytest.mark.slow
@pytest.mark.parametrize("index", range(len(BLOCKS)),
                         ids=[f"{i}-{' '.join(b[0].split()[:3])}" for i, b in enumerate(BLOCKS)])
def test_every_readme_command_runs(index, tmp_path, request):
    block = BLOCKS[index]
    workdir = tmp_path / "repo"
    (workdir / "layers").mkdir(parents=True)
    shipped = sorted((ROOT / "layers").glob("*.gpkg"))
    for path in shipped:
        shutil.copy2(path, workdir / "layers" / path.name)
    env = {**os.environ, "KCN_GIS_AUTH_FILE": str(workdir / "officers.toml"),
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    env.pop("PGSERVICE", None)
    if any("service=kcn" in command for command in block):
        env["PGSERVICEFILE"] = str(_service_file(request, workdir))
    before = _digest(shipped)
    ctx = Context(workdir, env)
    for command in block:
        for part in parts(command):
            handler_of(part)(part, ctx)
    # Commands on province keys read the shipped files; none may change them.
    assert _digest(shipped) == before
