"""``kcn-gis view`` as a server: where it listens, and stopping it stops the Streamlit server.

Runs the real command (``python -m gis_app.cli view``) in a subprocess and reads the kernel's
tables: listening sockets from /proc/net/tcp and tcp6, processes from /proc/*/stat (Linux).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from gis_app.search.examples import write_example

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.xdist_group("browser")  # one Streamlit server at a time
linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc (Linux)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _address(hex_address: str) -> str:
    """A /proc/net/tcp* address: 32-bit words in the machine's (little-endian) order."""
    words = [bytes.fromhex(hex_address[i:i + 8])[::-1] for i in range(0, len(hex_address), 8)]
    raw = b"".join(words)
    return socket.inet_ntop(socket.AF_INET if len(raw) == 4 else socket.AF_INET6, raw)


def listening(port: int) -> set[str]:
    """Local addresses of the sockets listening on ``port`` (IPv4 and IPv6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, _, hex_port = fields[1].partition(":")
            if fields[3] == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(_address(address))
    return found


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (state, ppid, ...), or None."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None and int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"


def _default_sigint() -> None:
    # A test run started in the background may ignore SIGINT; Ctrl+C reaches a foreground one.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@contextlib.contextmanager
def view(tmp_path: Path, *options: str) -> Iterator[tuple[subprocess.Popen, int, list[int]]]:
    """``kcn-gis view`` on the search example; yields the process, its port and its children
    once the server answers. Whatever is left at the end is killed (by pid)."""
    data = write_example(tmp_path / "example.gpkg")
    port = _free_port()
    env = dict(os.environ, KCN_GIS_AUTH_FILE=str(tmp_path / "officers.toml"))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    log = (tmp_path / "view.log").open("w+")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gis_app.cli", "view", str(data), "--port", str(port), *options],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path, preexec_fn=_default_sigint)
    started: list[int] = []
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                            timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"kcn-gis view did not start:\n{log.read()[-3000:]}")
            time.sleep(0.5)
        started = children(proc.pid)
        yield proc, port, started
    finally:
        for pid in [proc.pid, *started]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        proc.wait()
        log.seek(0)
        print(log.read()[-2000:])
        log.close()


def _wait_until(condition, seconds: float = 10.0) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


@linux
def test_view_listens_on_this_machine_only_by_default(tmp_path):
    with view(tmp_path) as (_proc, port, _children):
        assert listening(port) == {"127.0.0.1"}
    assert "anyone who reaches" not in (tmp_path / "view.log").read_text()


@linux
def test_view_host_flag_serves_every_interface_and_says_what_it_means(tmp_path):
    with view(tmp_path, "--host", "0.0.0.0") as (_proc, port, _children):
        assert listening(port) == {"0.0.0.0"}
    said = (tmp_path / "view.log").read_text()
    assert "anyone who reaches this machine sees the public pages and the officer login" in said


@linux
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_stopping_view_stops_the_streamlit_server(tmp_path, stop):
    with view(tmp_path) as (proc, port, started):
        assert started and listening(port)
        proc.send_signal(stop)
        status = proc.wait(timeout=20)
        assert _wait_until(lambda: not listening(port)), f"port {port} still listening"
        assert not [pid for pid in started if alive(pid)], "the Streamlit server was left running"
        assert status == 128 + stop  # the shell's convention: ended by that signal


def test_streamlit_run_from_the_repository_listens_on_this_machine_only():
    """``streamlit run gis_app/viewer/app.py`` from the root reads .streamlit/config.toml."""
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"
