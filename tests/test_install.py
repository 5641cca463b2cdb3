"""Installing KCN-GIS as the README says gives a working program, and the docs point at real files.

The requirements in pyproject.toml are compared with what the code imports (read from its
syntax tree, imports inside functions included), so a module that only a test extra happened to
install, or a dependency nobody imports any more, is caught before a user meets it.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
import tomllib
from collections import defaultdict
from functools import cache
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "gis_app"


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _declared() -> set[str]:
    """Canonical names of the distributions in ``[project] dependencies``."""
    return {canonicalize_name(Requirement(r).name) for r in _pyproject()["project"]["dependencies"]}


def _modules_named_in(tree: ast.AST) -> set[str]:
    """Top-level modules a module imports, or names as a library's engine (pandas, geopandas).

    ``engine="openpyxl"`` loads openpyxl inside pandas: the package imports nothing itself but
    cannot write Excel without it, so it counts as imported.
    """
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
        elif (isinstance(node, ast.keyword) and node.arg == "engine"
              and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            names.add(node.value.value)
    return {name.split(".")[0] for name in names}


def _third_party_imports() -> dict[str, list[str]]:
    """Third-party top-level module -> the files of gis_app that import it."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted((ROOT / PACKAGE).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for module in _modules_named_in(tree):
            if module != PACKAGE and module not in sys.stdlib_module_names:
                found[module].append(str(path.relative_to(ROOT)))
    return found


@cache
def _installed() -> dict[str, list[str]]:
    """Import name -> installed distributions providing it (slow to compute: once per run)."""
    return packages_distributions()


def _distributions_of(module: str) -> set[str]:
    return {canonicalize_name(d) for d in _installed().get(module, [])}


def test_the_import_walk_sees_imports_inside_functions():
    tree = ast.parse("def f():\n    from pypdf import PdfReader\n    import a.b\n"
                     "x = pd.ExcelWriter('p', engine='openpyxl')\nfrom . import sibling\n")
    assert _modules_named_in(tree) == {"pypdf", "a", "openpyxl"}


def test_every_third_party_import_of_the_package_is_a_declared_requirement():
    imports = _third_party_imports()
    assert "pypdf" in imports  # the atlas: a module the old requirements only had for tests
    declared = _declared()
    missing = {module: files for module, files in imports.items()
               if not _distributions_of(module) & declared}
    assert not missing, (
        "imported by gis_app but not in [project] dependencies of pyproject.toml "
        f"(module: files): {missing}")


def test_every_declared_requirement_is_imported_by_the_package():
    imported = set(_third_party_imports())
    provides: dict[str, set[str]] = defaultdict(set)
    for module, dists in _installed().items():
        for dist in dists:
            provides[canonicalize_name(dist)].add(module)
    unused = sorted(dist for dist in _declared() if not provides[dist] & imported)
    assert not unused, f"declared in pyproject.toml but imported nowhere in gis_app: {unused}"


def test_requirement_names_map_to_their_import_names():
    # the mappings that differ, so a failure above is about the code, not the mapping
    assert "psycopg" in _declared() and "psycopg" in _distributions_of("psycopg")
    assert canonicalize_name("streamlit-folium") in _distributions_of("streamlit_folium")
    assert canonicalize_name("xstatic-leaflet") in _distributions_of("xstatic")
    assert canonicalize_name("fonttools") in _distributions_of("fontTools")


def _environment_generator():
    path = ROOT / ".ci" / "environment_yml.py"
    spec = importlib.util.spec_from_file_location("environment_yml", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_environment_yml_is_generated_from_pyproject():
    committed = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert committed == _environment_generator().render(), (
        "environment.yml differs from pyproject.toml: run python3 .ci/environment_yml.py")


def test_environment_yml_carries_every_runtime_and_test_requirement():
    project = _pyproject()["project"]
    wanted = {canonicalize_name(Requirement(r).name)
              for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    # conda specs ("python=3.11") are not pip requirements: the name is what precedes the version
    names = re.findall(r"^ +- +([A-Za-z0-9._-]+)", (ROOT / "environment.yml").read_text(
        encoding="utf-8"), flags=re.MULTILINE)
    listed = {canonicalize_name(name) for name in names}
    assert wanted <= listed, f"missing from environment.yml: {sorted(wanted - listed)}"
