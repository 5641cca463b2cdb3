"""Start the viewer (``kcn-gis view``): the ``streamlit run`` command line and its environment.

No Streamlit import here: the CLI builds the command and runs it in a child process, so the
app runs exactly as ``streamlit run gis_app/viewer/app.py`` would. :func:`serve` makes sure the
child ends with ``kcn-gis view``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType

from ..errors import LayerError
from ..settings import PROVINCES
from ..storage.backend import is_database, locate
from .frame_env import FILES_ENV

APP_PATH = Path(__file__).resolve().parent / "app.py"
#: Where the viewer listens unless told otherwise: this machine only.
DEFAULT_HOST = "127.0.0.1"
#: Signals that end ``kcn-gis view`` besides Ctrl+C (``KeyboardInterrupt``): SIGTERM (a
#: service manager, ``kill``), SIGHUP (the terminal closed) and SIGBREAK (Ctrl+Break on
#: Windows), whichever the platform has.
STOP_SIGNALS: tuple[str, ...] = ("SIGTERM", "SIGHUP", "SIGBREAK")

#: Server options that keep the viewer offline and local: no usage statistics (a network
#: call), no browser opened by the server, static serving off (Leaflet comes from a route);
#: and the toolbar of a viewer, not of a developer (no "Deploy" button for officers).
OFFLINE_OPTIONS: tuple[str, ...] = (
    "--browser.gatherUsageStats", "false",
    "--server.headless", "true",
    "--global.developmentMode", "false",
    "--client.toolbarMode", "viewer",
)


def province_files(first: str | Sequence[str] | None = None) -> list[Path | str]:
    """The files to offer: ``first`` (a key, a path or a ``postgresql://`` URL, or several:
    the ministry loads many provinces at once) first, in order, then the other shipped
    files."""
    shipped: list[Path | str] = [
        p.default_path for p in PROVINCES.values() if p.default_path.exists()]
    if first is None:
        return shipped
    chosen_all: list[Path | str] = []
    for where in [first] if isinstance(first, str) else first:
        chosen = _chosen(where)
        if chosen not in chosen_all:
            chosen_all.append(chosen)
    resolved = {Path(c).resolve() for c in chosen_all if not is_database(c)}
    return [*chosen_all, *[p for p in shipped if Path(p).resolve() not in resolved]]


def _chosen(where: str) -> Path | str:
    """One source a user names, checked now: a URL must name a province, a file must exist."""
    chosen = locate(where)
    if is_database(chosen):
        from ..storage.postgis.connect import parse_url

        parse_url(str(chosen)).province  # noqa: B018 - refuse a URL without a known province now
        return chosen
    chosen = Path(chosen)
    if not chosen.exists():
        raise LayerError(f"{chosen}: no such file (give a province key: {', '.join(PROVINCES)})")
    return chosen.resolve()


def command(port: int | None = None, address: str | None = None,
            extra: Sequence[str] = ()) -> list[str]:
    """The ``python -m streamlit run`` command line of the viewer."""
    cmd = [sys.executable, "-m", "streamlit", "run", str(APP_PATH), *OFFLINE_OPTIONS]
    if port is not None:
        cmd += ["--server.port", str(port)]
    if address is not None:
        cmd += ["--server.address", address]
    return cmd + list(extra)


def environment(files: Sequence[Path | str], base: dict[str, str] | None = None
                ) -> dict[str, str]:
    """The child's environment: ``KCN_GIS_FILES`` lists the files, the rest is inherited.

    URLs hold the POSIX separator ``:`` too; the app splits them back whole
    (:func:`gis_app.viewer.frame.split_sources`).
    """
    env = dict(os.environ if base is None else base)
    env[FILES_ENV] = os.pathsep.join(str(p) for p in files)
    return env


class Stopped(BaseException):  # noqa: N818 - like KeyboardInterrupt, not an error
    """A stop signal arrived (raised in the main thread by :func:`_stop_signals_raise`)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _stop_signals_raise() -> Iterator[None]:
    """Turn :data:`STOP_SIGNALS` into :class:`Stopped` while inside; restore after.

    Python's default for SIGTERM ends the process at once, skipping ``finally``: that left the
    server running. Only the main thread may set handlers; elsewhere nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:  # noqa: ARG001
        raise Stopped(signum)

    previous = {}
    for name in STOP_SIGNALS:
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) is not signal.SIG_IGN:
            previous[number] = signal.signal(number, stop)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def stop_child(child: subprocess.Popen, grace: float = 10.0) -> None:
    """End ``child``: ask (``terminate``: SIGTERM, Streamlit shuts down cleanly; on Windows it
    ends at once), then kill it if it is still there after ``grace`` seconds or if another
    stop request comes meanwhile."""
    try:
        if child.poll() is None:
            child.terminate()
            child.wait(timeout=grace)
    except (subprocess.TimeoutExpired, KeyboardInterrupt, Stopped):
        child.kill()
        child.wait()


def serve(cmd: Sequence[str], env: dict[str, str], grace: float = 10.0) -> int:
    """Run the server ``cmd`` as a child until it exits or this process is asked to stop.

    Ctrl+C (``KeyboardInterrupt``, propagated) or a stop signal (exit status 128 + its number)
    stops the child first, so no server is left behind holding the port. Only the standard
    ``signal`` and ``subprocess`` modules: the same code stops the server on Windows.
    """
    child: subprocess.Popen | None = None
    with _stop_signals_raise():
        try:
            child = subprocess.Popen(list(cmd), env=env)
            return child.wait()
        except Stopped as stopped:
            return 128 + stopped.signum
        finally:
            if child is not None:
                stop_child(child, grace)
