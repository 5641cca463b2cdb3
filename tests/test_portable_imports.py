"""The library imports on Windows: no module of ``gis_app`` needs a Unix-only module.

Most board offices work on Windows, where ``fcntl``, ``pwd`` and the like do not exist. Two
checks: no ``import`` statement of ``gis_app`` names one (wherever it stands, also inside a
function), and every module of ``gis_app`` imports in a Python where they are missing.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import gis_app

#: Standard-library modules that exist on Unix only.
UNIX_ONLY = ("fcntl", "pwd", "grp", "termios", "tty", "pty", "resource", "syslog", "crypt",
             "spwd", "nis", "posix")

PACKAGE = Path(gis_app.__file__).parent

#: Imports every module of gis_app (but the Streamlit script itself, which draws a page as
#: it is imported) with the Unix-only modules made unimportable, as on Windows.
_IMPORT_ALL = f"""
import importlib, pkgutil, sys
for name in {UNIX_ONLY[:-1]!r}:  # posix is what os itself is built on here
    sys.modules[name] = None
import gis_app
failed = []
for info in pkgutil.walk_packages(gis_app.__path__, "gis_app."):
    if (info.name == "gis_app.viewer.app" or info.name.endswith(".__main__")
            or info.name.startswith("gis_app.viewer.views.")):
        continue  # scripts (the app, its pages, python -m): importing them runs them
    try:
        importlib.import_module(info.name)
    except Exception as exc:
        failed.append(f"{{info.name}}: {{exc!r}}")
print("\\n".join(failed))
sys.exit(1 if failed else 0)
"""


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_no_module_of_the_library_imports_a_unix_only_module():
    offenders = {
        str(path.relative_to(PACKAGE.parent)): sorted(_imported_modules(path) & set(UNIX_ONLY))
        for path in sorted(PACKAGE.rglob("*.py"))
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_every_module_imports_without_the_unix_only_modules():
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(PACKAGE.parent), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-W", "ignore", "-c", _IMPORT_ALL], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
