"""The benchmark suite runs end to end at the tiny scale (no timing assertions: CI machines vary).

It runs ``python benchmarks/run.py --scale tiny --repeat 1`` as a user would and checks the
Markdown table: one row per case, and for every case whose code is present, finite timings and
peak memory. A case may say "n/a" only when its module is really missing from this checkout.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from cases import CASES  # noqa: E402


def _no_browser() -> bool:
    from viewer_browser import unavailable

    return unavailable() is not None


def _table(text: str) -> dict[str, dict[str, str]]:
    lines = [ln for ln in text.splitlines() if ln.startswith("| ")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    rows = {}
    for line in lines[1:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        row = dict(zip(header, cells, strict=True))
        rows[row["case"]] = row
    return rows


@pytest.mark.slow
def test_tiny_run_has_every_case_with_finite_numbers(tmp_path):
    output = tmp_path / "results.md"
    env = {**os.environ, "KCN_BENCH_CACHE": str(tmp_path / "cache"),
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--scale", "tiny", "--repeat", "1",
         "--output", str(output)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=900, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    rows = _table(output.read_text(encoding="utf-8"))
    assert output.read_text(encoding="utf-8") in done.stdout
    assert set(rows) == {c.name for c in CASES}
    for case in CASES:
        row = rows[case.name]
        assert row["scale"] == "tiny"
        if row["median s"].startswith("n/a"):
            # Only a missing module (or PostgreSQL server, or browser) excuses a case.
            assert case.missing() or (case.needs_server and "PostgreSQL" in row["median s"]) \
                or (case.needs_browser and _no_browser()), row
            continue
        numbers = [float(row[k]) for k in ("median s", "min s", "max s", "peak MB")]
        assert all(math.isfinite(v) and v >= 0 for v in numbers), row
        assert float(row["min s"]) <= float(row["median s"]) <= float(row["max s"])
        assert float(row["peak MB"]) > 0
        if case.floor and not rows[case.floor]["median s"].startswith("n/a"):
            assert math.isfinite(float(row["ratio"].rstrip("×"))), row
