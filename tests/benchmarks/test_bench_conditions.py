"""The suite's run conditions: a busy core beside some cases, the optional 1M scale, the
header naming date, machine and load, and no Unix-only import (Windows users run it too)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from cases import BY_NAME, CASES, SCALE_CASES, cases_for  # noqa: E402
from datasets import DEFAULT_SCALES, SCALES  # noqa: E402
from run import busy_core, cpu_model, header  # noqa: E402


def _children_cpu_s() -> float:
    import resource  # the test's own measure (Unix); the suite itself does without

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def test_busy_core_keeps_a_second_process_spinning_and_ends_it():
    before = _children_cpu_s()
    with busy_core() as spinner:
        time.sleep(0.6)
        assert spinner.poll() is None  # still running while the case would run
    assert spinner.poll() is not None  # ended (and waited for) afterwards
    # It spent the time computing, not sleeping (a shared machine gives it part of a core).
    assert _children_cpu_s() - before > 0.1


def test_load_cases_run_beside_a_busy_core_against_a_floor_measured_the_same_way():
    load = BY_NAME["load + validate, beside a busy core"]
    floor = BY_NAME[load.floor]
    assert load.busy_core and floor.busy_core and floor.is_floor
    assert load.target_ratio == 2.0
    assert not BY_NAME["load + validate"].busy_core  # the quiet condition stays measured


def test_million_scale_is_optional_and_measures_loading_only():
    assert "million" in SCALES and "million" not in DEFAULT_SCALES
    spec = SCALES["million"][0][1]
    assert spec.n_plots == 1_000_000
    every = {c.name for c in CASES}
    names = [c.name for c in cases_for("million", every)]
    assert names == [c.name for c in CASES if c.name in SCALE_CASES["million"]]
    assert {"load + validate", "load, validate + summarise"} <= set(names)
    assert BY_NAME["load, validate + summarise"].target_peak_mb == 2048.0
    assert len(cases_for("national", every)) == len(CASES)


def test_header_names_date_machine_and_load():
    started = time.time() - 120
    text = header(3, started, [(0.5, 0.4, 0.3), (2.25, 1.0, 0.7), (1.5, 1.1, 0.8)])
    assert time.strftime("%Y-%m-%d", time.gmtime(started)) in text
    assert f"on {os.cpu_count()} cores ({cpu_model()}" in text
    assert "0.50 at the start, 2.25 at most, 1.50 at the end" in text
    assert "Median of 3 run(s)" in text
    assert "not reported" in header(1, started, [])


def test_suite_imports_without_unix_only_modules():
    # As on Windows: no resource (getrusage) and no pwd. Peak memory then reads NaN.
    code = ("import sys; sys.modules['resource'] = None; sys.modules['pwd'] = None; "
            f"sys.path.insert(0, {str(ROOT / 'benchmarks')!r}); "
            "import run, pg, cases, datasets; import math; "
            "assert math.isnan(run._peak_mb(children=True)); print('ok')")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, check=False)
    assert done.stdout.strip() == "ok", done.stderr[-1500:]


def test_the_last_run_is_committed_beside_the_benchmarks_and_linked():
    results = ROOT / "benchmarks" / "RESULTS.md"
    text = results.read_text(encoding="utf-8")
    assert text.startswith("Run of ") and " cores (" in text and "load average" in text
    assert "| search, nearest-first | national |" in text
    assert "benchmarks/RESULTS.md" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "RESULTS.md" in (ROOT / "benchmarks" / "README.md").read_text(encoding="utf-8")
    if (ROOT / ".git").exists():  # a checkout (not an unpacked archive): git must keep it
        ignored = subprocess.run(["git", "-C", str(ROOT), "-c", "core.ignorecase=true",
                                  "check-ignore", "-q", str(results)], check=False)
        assert ignored.returncode == 1
