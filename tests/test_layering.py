"""The package layering holds: each package imports only the layers below it, no module
imports in a cycle, and the model, the rules and the analytics load no file or server driver.

The contracts are import-linter's, declared in pyproject.toml ``[tool.importlinter]``; they are
checked here on the real import graph (imports inside functions included).
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]


def _contracts() -> list[dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["importlinter"]["contracts"]


def _lint_imports(cwd: Path, pythonpath: Path) -> subprocess.CompletedProcess[str]:
    """import-linter's own command, on the configuration in ``cwd``."""
    return subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; "
         "sys.exit(lint_imports())"],
        capture_output=True, text=True, cwd=cwd, env={"PYTHONPATH": str(pythonpath),
                                                      "PATH": "/usr/bin:/bin"}, timeout=300)


def test_every_contract_is_kept():
    result = _lint_imports(ROOT, ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert f"Contracts: {len(_contracts())} kept, 0 broken." in result.stdout


def test_every_package_has_its_place_in_the_layers():
    """A new package or module must be placed in the layering, or the contract would not see
    an upward import from it."""
    layers = next(c for c in _contracts() if c["type"] == "layers")["layers"]
    named = {part.strip() for layer in layers for part in layer.replace(":", "|").split("|")}
    graph = grimp.build_graph("gis_app")
    top = {m.split(".")[1] for m in graph.modules if m.count(".") >= 1}
    assert top - named <= {"__main__"}, f"not in the layering: {sorted(top - named)}"


def test_the_engine_loads_no_file_or_server_driver():
    code = ("import sys, gis_app.model, gis_app.rules, gis_app.analytics, gis_app.search; "
            "print(' '.join(m for m in ('pyogrio', 'fiona', 'psycopg', 'filelock', 'streamlit', "
            "'folium', 'sqlite3') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=ROOT).stdout.split()
    assert loaded == []


def test_the_contract_catches_an_upward_import(tmp_path):
    """The checker itself: a model module importing storage breaks the layers contract."""
    package = tmp_path / "pkg"
    for name in ("model", "storage"):
        (package / name).mkdir(parents=True)
        (package / name / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "model" / "plan.py").write_text("from ..storage import backend\n")
    (package / "storage" / "backend.py").write_text("")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.importlinter]\nroot_package = "pkg"\n\n[[tool.importlinter.contracts]]\n'
        'name = "layers"\ntype = "layers"\ncontainers = ["pkg"]\nlayers = ["storage", "model"]\n')
    result = _lint_imports(tmp_path, tmp_path)
    assert result.returncode != 0
    assert "pkg.model.plan -> pkg.storage.backend" in result.stdout
