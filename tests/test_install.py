"""Installing KCN-GIS as the README says gives a working program, and the docs point at real files.

The requirements in pyproject.toml are compared with what the code imports (read from its
syntax tree, imports inside functions included), so a module that only a test extra happened to
install, or a dependency nobody imports any more, is caught before a user meets it.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import subprocess
import sys
import tomllib
from collections import defaultdict
from functools import cache
from importlib.metadata import packages_distributions
from pathlib import Path
from urllib.parse import unquote

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


def _git_ls_files(*args: str) -> list[str]:
    return subprocess.run(["git", "ls-files", *args], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.splitlines()


_FENCED = re.compile(r"^```.*?^```", flags=re.MULTILINE | re.DOTALL)
_INLINE_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE_LINK = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", flags=re.MULTILINE)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _relative_links(markdown: str) -> list[str]:
    """Targets of the Markdown links that point into the repository (code blocks aside)."""
    text = _FENCED.sub("", markdown)
    targets = _INLINE_LINK.findall(text) + _REFERENCE_LINK.findall(text)
    paths = [unquote(t.split("#")[0].split("?")[0]) for t in targets if not _SCHEME.match(t)]
    return [p for p in paths if p]


def test_the_link_reader_finds_relative_links_only():
    text = ("The last run is in [`results.md`](results.md), see [docs](../docs/a%20b.md#top),\n"
            "[site](https://example.org/x.md), [here](#layout), ![logo](<img/logo.png> \"Logo\")."
            "\n\n[ref]: data/README.md\n```\n[not a link](inside/code.md)\n```\n")
    assert _relative_links(text) == ["results.md", "../docs/a b.md", "img/logo.png",
                                     "data/README.md"]


def test_every_relative_link_of_the_docs_points_at_a_tracked_file():
    tracked = set(_git_ls_files())
    documents = _git_ls_files("*.md")
    assert {"README.md", "benchmarks/README.md"} <= set(documents)
    broken = []
    for document in documents:
        base = Path(document).parent
        for target in _relative_links((ROOT / document).read_text(encoding="utf-8")):
            path = Path(os.path.normpath(base / target)).as_posix()
            if path not in tracked and not any(t.startswith(f"{path}/") for t in tracked):
                broken.append(f"{document} -> {target}")
    assert not broken, f"links to files that are not in the repository: {broken}"


def test_no_leftover_lock_or_ignored_file_is_tracked():
    assert not [f for f in _git_ls_files() if f.endswith(".lock")]
    ignored_but_tracked = _git_ls_files("--cached", "--ignored", "--exclude-standard")
    assert not ignored_but_tracked, f"tracked files that .gitignore excludes: {ignored_but_tracked}"
