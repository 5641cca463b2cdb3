"""Start the viewer (``kcn-gis view``): the ``streamlit run`` command line and its environment.

No Streamlit import here: the CLI builds the command and runs it in a child process, so the
app runs exactly as ``streamlit run gis_app/viewer/app.py`` would.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ..errors import LayerError
from ..settings import PROVINCES
from .frame_env import FILES_ENV

APP_PATH = Path(__file__).resolve().parent / "app.py"

#: Server options that keep the viewer offline and local: no usage statistics (a network
#: call), no browser opened by the server, static serving off (Leaflet comes from a route);
#: and the toolbar of a viewer, not of a developer (no "Deploy" button for officers).
OFFLINE_OPTIONS: tuple[str, ...] = (
    "--browser.gatherUsageStats", "false",
    "--server.headless", "true",
    "--global.developmentMode", "false",
    "--client.toolbarMode", "viewer",
)


def province_files(first: str | None = None) -> list[Path | str]:
    """The files to offer: ``first`` (a key, a path or a ``postgresql://`` URL) first, then
    the other shipped files."""
    shipped: list[Path | str] = [
        p.default_path for p in PROVINCES.values() if p.default_path.exists()]
    if first is None:
        return shipped
    if first.startswith(("postgresql://", "postgres://")):
        from ..layers.pg_connect import parse_url

        parse_url(first).province  # noqa: B018 - refuse a URL without a known province now
        return [first, *shipped]
    chosen = PROVINCES[first].default_path if first in PROVINCES else Path(first)
    if not chosen.exists():
        raise LayerError(f"{chosen}: no such file (give a province key: {', '.join(PROVINCES)})")
    return [chosen.resolve(), *[p for p in shipped if Path(p).resolve() != chosen.resolve()]]


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
