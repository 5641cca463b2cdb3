"""Fixtures for the whole suite, and a real province GeoPackage built from ``tiny_plan()`` in
``tmp_path`` (``province_file``) for the model, rules, storage and imports tests."""

from __future__ import annotations

import hashlib
import io
import os
import sys
from pathlib import Path

import pandas as pd
import pytest

from gis_app.model import Plan
from gis_app.storage.gpkg import write_layers
from gis_app.testing import tiny_plan


@pytest.fixture(autouse=True)
def _restore_main_module():
    """Put back ``__main__`` after each test.

    Streamlit's script runner (used by ``AppTest``) installs the app script as ``__main__`` and
    leaves it there; a later test in the same worker that starts processes with the ``spawn``
    method would then make every child re-run the viewer's app script and fail.
    """
    main = sys.modules.get("__main__")
    yield
    if main is not None:
        sys.modules["__main__"] = main


#: The province the tiny plan lies in (its CRS is EPSG:9209).
PROVINCE = "bac_ninh"


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _temp_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp.gpkg*"))


def _province_layers(plan: Plan) -> dict[str, pd.DataFrame]:
    info = pd.DataFrame({"key": ["province"], "value": [PROVINCE]})
    return {**plan.layers(), "dataset_info": info}


@pytest.fixture
def sha256():
    """``sha256(path)``: the file's digest, to prove it is byte-identical."""
    return _sha256


@pytest.fixture
def temp_files():
    """``temp_files(folder)``: temporary copies a writer left beside its target."""
    return _temp_files


@pytest.fixture
def province_layers():
    """``province_layers(plan)``: the plan's layers plus the table naming the province."""
    return _province_layers


@pytest.fixture
def plan() -> Plan:
    return tiny_plan()


@pytest.fixture
def province_file(tmp_path: Path, plan: Plan) -> Path:
    """``tiny_plan()`` written with ``write_layers`` as a province file."""
    path = tmp_path / "province" / "bac_ninh.gpkg"
    write_layers(path, _province_layers(plan), fresh=True)
    return path


def _cli_stderr(args: list[str], *, tty: bool,
                monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    """Run ``kcn-gis ARGS`` in this process with stderr on a pseudo-terminal (``tty``) or on a
    pipe; its exit code and what reached stderr (a terminal's ``\\r\\n`` read as ``\\n``)."""
    from gis_app.cli import main

    # pty is Unix-only, as a pseudo-terminal is; the product's bar only asks isatty().
    reader, writer = pytest.importorskip("pty").openpty() if tty else os.pipe()
    stream = io.TextIOWrapper(os.fdopen(writer, "wb", buffering=0), encoding="utf-8",
                              write_through=True)
    assert stream.isatty() is tty
    monkeypatch.setattr(sys, "stderr", stream)
    try:
        code = main(args)
    finally:
        stream.close()
    chunks = []
    while True:
        try:
            chunk = os.read(reader, 65536)
        except OSError:  # a pty's reader reports EIO once the writer is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(reader)
    # A terminal turns each newline into \\r\\n (its output processing): undo that.
    return code, b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


@pytest.fixture
def cli_stderr(monkeypatch: pytest.MonkeyPatch):
    """``cli_stderr(args, tty=True)``: run the CLI with stderr on a terminal or a pipe; its exit
    code and what it wrote there (the progress bars' tests)."""
    return lambda args, *, tty=True: _cli_stderr(args, tty=tty, monkeypatch=monkeypatch)
