"""Write environment.yml (conda) from pyproject.toml, so the two cannot disagree.

pyproject.toml is the one list of dependencies; conda users get its runtime and test
requirements from conda-forge, and through pip the few packages conda-forge does not carry.
The test suite checks that the committed environment.yml is what this script writes.

Usage: ``python3 .ci/environment_yml.py`` (rewrites environment.yml at the repository root).
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
#: Installed with pip inside the conda environment: not on conda-forge (xstatic-leaflet), or
#: published there only by its vendor's own channel (playwright).
PIP_ONLY = frozenset({"xstatic-leaflet", "playwright"})
#: The extras of pyproject.toml that environment.yml carries besides the runtime requirements.
EXTRAS = ("test",)


def _conda_spec(requirement: str) -> str:
    """A pip requirement as a conda-forge spec: extras dropped (psycopg[binary] -> psycopg)."""
    req = Requirement(requirement)
    return f"{req.name}{req.specifier}"


def render(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """The text of environment.yml for this pyproject.toml."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra in EXTRAS:
        requirements += project["optional-dependencies"][extra]
    conda = [_conda_spec(r) for r in requirements if Requirement(r).name not in PIP_ONLY]
    pip = [r for r in requirements if Requirement(r).name in PIP_ONLY]
    lines = [
        "# Generated from pyproject.toml by `python3 .ci/environment_yml.py`; do not edit by hand.",
        "# Conda users: `conda env create -f environment.yml && conda activate kcn-gis && "
        "pip install -e . --no-deps`",
        "# The same dependencies as pyproject.toml (runtime + test).",
        f"name: {project['name']}",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        f"  - python{project['requires-python']}",
        *(f"  - {spec}" for spec in conda),
        "  - pip",
        "  - pip:",
        *(f"      - {spec}" for spec in pip),
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    target = ROOT / "environment.yml"
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
