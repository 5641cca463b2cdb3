"""Run every benchmark case at each scale and print a Markdown table of the results.

Usage::

    python benchmarks/run.py [--scale tiny|sample|national ...] [--repeat N] [--output FILE]

Each case runs in a fresh Python process (``--child``), so its peak memory (``ru_maxrss`` of
that process and of any workers it waited for) is its own and one case's caches cannot speed
up another. The child runs the case's untimed setup once, then the timed call ``--repeat``
times; the table shows the median, min and max wall time, the peak memory, and the ratio of
the median to the case's floor (a plain pyogrio read for loading, PostGIS SQL for the
indicators) measured in the same run, since ratios are what compare across machines.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

try:
    import resource
except ImportError:  # Windows: no getrusage, so peak memory reads "–" there
    resource = None  # type: ignore[assignment]

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from cases import BY_NAME, CASES, Case, cases_for  # noqa: E402
from datasets import DEFAULT_SCALES, SCALES, Synthetic, datasets  # noqa: E402

COLUMNS = ("case", "scale", "median s", "min s", "max s", "peak MB", "floor", "ratio",
           "other", "target", "met")


def _child(case_name: str, path: Path, repeat: int) -> None:
    """Time one case in this (fresh) process; print one JSON line."""
    case = BY_NAME[case_name]
    # Import what the case uses before timing, so the first run does not pay for imports.
    for module in ("gis_app.storage.gpkg", "gis_app.analytics", *case.requires):
        importlib.import_module(module)
    state = case.setup(path)
    setup_peak = _peak_mb(children=False)
    times, extra, extras = [], {}, []
    try:
        for _ in range(repeat):
            start = time.perf_counter()
            extra = case.run(state) or {}
            elapsed = time.perf_counter() - start
            # A case that times itself (a peer program timing its own export, a browser
            # waiting for the page) says so.
            if case.timed_in_run:
                times.append(extra.pop("seconds"))
            else:
                times.append(extra.pop("_seconds", elapsed))
            extras.append(extra)
    finally:
        if case.teardown is not None:
            case.teardown(state)
    if case.timed_in_run:  # each run's own figures: the median, the worst for a bound
        worst = {k for k, _ in case.target_extra_max}
        extra = {k: (max if k in worst else statistics.median)([e[k] for e in extras if k in e])
                 for k in extras[-1]}
    peak = _peak_mb(children=True)
    print(json.dumps({"times": times, "peak_mb": peak, "setup_peak_mb": setup_peak,
                      "extra": extra}))


def _peak_mb(*, children: bool) -> float:
    """Peak resident memory (MB) of this process (and of the workers it waited for)."""
    if resource is None:
        return math.nan
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if children:
        peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return peak / 1024.0


@contextlib.contextmanager
def busy_core() -> Iterator[subprocess.Popen]:
    """A second process spinning on one core while the block runs (the "busy core"
    condition: on a shared machine another program usually holds a core)."""
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.2)  # started and spinning before the case starts
        yield spinner
    finally:
        spinner.kill()
        spinner.wait()


def load_average() -> tuple[float, float, float] | None:
    """The 1, 5 and 15 minute load averages, where the system reports them (not Windows)."""
    try:
        return os.getloadavg()
    except (AttributeError, OSError):
        return None


def cpu_model() -> str:
    """The processor's name as the system gives it."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine() or "unknown CPU"


def header(repeat: int, started: float, loads: list[tuple[float, float, float]]) -> str:
    """Date, machine and load of the run: timings belong to both."""
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started))
    minutes = (time.time() - started) / 60
    if loads:
        load = (f"load average (1 min) {loads[0][0]:.2f} at the start, "
                f"{max(x[0] for x in loads):.2f} at most, {loads[-1][0]:.2f} at the end "
                f"(5 min at the end: {loads[-1][1]:.2f})")
    else:
        load = "load average not reported by this system"
    return (f"Run of {when}, {minutes:.0f} min, on {os.cpu_count()} cores ({cpu_model()}, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}); "
            f"{load}.\n\n"
            f"Median of {repeat} run(s) per case, each case in a fresh process. "
            "Targets are the issue's, for the national scale (250,000 plots); "
            "at smaller scales the verdict is in brackets.\n")


def measure(case: Case, path: Path, repeat: int, env: dict[str, str]) -> dict:
    """Run one case in a child process; its JSON result, or an ``error``."""
    missing = case.missing()
    if missing:
        return {"error": "n/a: " + ", ".join(f"{m} not on this branch" if m in case.requires
                                             else m for m in missing)}
    if case.needs_browser:
        from viewer_browser import unavailable

        why = unavailable()
        if why:
            return {"error": f"n/a: {why}"}
    if case.needs_server and not env.get("KCN_BENCH_PG"):
        return {"error": "n/a: no PostgreSQL server (see benchmarks/pg.py)"}
    cmd = [sys.executable, str(HERE / "run.py"), "--child", case.name, "--data", str(path),
           "--repeat", str(repeat)]
    with busy_core() if case.busy_core else contextlib.nullcontext():
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"failed: {tail[:160]}"}
    return json.loads(lines[-1])


def _fmt(value: float | None, digits: int = 3) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value:.{digits}f}" if value < 100 else f"{value:.0f}"


def _judge(case: Case, median: float, peak: float, ratio: float | None, extra: dict,
           scale: str) -> str:
    """Whether the issue's target holds; targets are stated for the national scale."""
    if case.is_floor or not case.target:
        return ""
    checks = []
    if case.target_s is not None:
        checks.append(median <= case.target_s)
    if case.target_ratio is not None and ratio is not None:
        checks.append(ratio <= case.target_ratio)
    if case.target_peak_mb is not None:
        checks.append(peak <= case.target_peak_mb)
    if case.target_html_mb is not None and "html_mb" in extra:
        checks.append(extra["html_mb"] <= case.target_html_mb)
    if case.target_sheet_s is not None and "s_per_sheet" in extra:
        checks.append(extra["s_per_sheet"] <= case.target_sheet_s)
    checks += [extra[k] <= bound for k, bound in case.target_extra_max if k in extra]
    if not checks:
        return ""
    verdict = "yes" if all(checks) else "NO"
    return verdict if scale == "national" else f"({verdict})"


def rows_for(label: str, results: dict[str, dict]) -> list[dict]:
    rows = []
    medians = {n: statistics.median(r["times"]) for n, r in results.items() if "times" in r}
    for case in CASES:
        r = results.get(case.name)
        if r is None:
            continue
        row = {"case": case.name, "scale": label, "target": case.target}
        if "error" in r:
            row.update({"median s": r["error"]})
            rows.append(row)
            continue
        median = medians[case.name]
        extra = r.get("extra", {})
        ratio = None
        if case.floor and case.floor in medians and medians[case.floor] > 0:
            ratio = median / medians[case.floor]
            row["floor"] = f"{case.floor}: {_fmt(medians[case.floor])} s"
            row["ratio"] = f"{ratio:.2f}×"
        elif case.floor:
            row["floor"] = f"{case.floor}: {results.get(case.floor, {}).get('error', 'n/a')}"
        others = [f"{ratio_name}: {median / medians[ratio_name]:.2f}×"
                  for ratio_name in case.other_floors if medians.get(ratio_name)]
        others += [f"{k}={_fmt(v, 2) if isinstance(v, float) else v}" for k, v in extra.items()]
        row.update({
            "median s": _fmt(median), "min s": _fmt(min(r["times"])),
            "max s": _fmt(max(r["times"])), "peak MB": f"{r['peak_mb']:.0f}",
            "other": ", ".join(others),
            "met": _judge(case, median, r["peak_mb"], ratio, extra, label),
            "_times": r["times"],
        })
        rows.append(row)
    return rows


def _plots(label: str) -> int | None:
    specs = [spec for scale in SCALES.values() for name, spec in scale if name == label]
    return specs[0].n_plots if specs and isinstance(specs[0], Synthetic) else None


def _per_plot_against_national(rows: list[dict]) -> None:
    """At the million scale, each case's time per plot against national's: 1.0× is linear."""
    national = {r["case"]: r for r in rows if r["scale"] == "national" and "_times" in r}
    big, small = _plots("million"), _plots("national")
    for row in rows:
        base = national.get(row["case"])
        if row["scale"] != "million" or "_times" not in row or base is None:
            continue
        per_plot = (statistics.median(row["_times"]) / big) / (
            statistics.median(base["_times"]) / small)
        row["other"] = ", ".join(x for x in (row["other"], f"per plot: {per_plot:.2f}× "
                                                           "national's") if x)


def table(rows: list[dict]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "|".join("---" for _ in COLUMNS) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(str(row.get(c, "")) for c in COLUMNS) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", action="append", choices=list(SCALES),
                        help="scale to run (repeatable; default: sample and national; "
                             "'million' only when named)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per case (default 5)")
    parser.add_argument("--output", type=Path, help="also write the table to this file")
    parser.add_argument("--case", action="append", choices=[c.name for c in CASES],
                        help="run only these cases (repeatable; floors are added)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.child:
        _child(args.child, args.data, args.repeat)
        return 0

    chosen = set(args.case or BY_NAME)
    chosen |= {BY_NAME[n].floor for n in set(chosen) if BY_NAME[n].floor}
    chosen |= {f for n in set(chosen) for f in BY_NAME[n].other_floors}
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(HERE.parent), str(HERE),
                                         env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    rows: list[dict] = []
    started, loads = time.time(), []
    from pg import cluster  # the throwaway PostgreSQL server, when this machine has one

    with cluster() as pg_env:
        env.update(pg_env)
        for scale in args.scale or DEFAULT_SCALES:
            for label, path in datasets(scale, log=lambda m: print(m, file=sys.stderr)):
                results = {}
                for case in cases_for(scale, chosen):
                    print(f"{label}: {case.name} ...", file=sys.stderr, flush=True)
                    loads += [x for x in [load_average()] if x]
                    results[case.name] = measure(case, path, args.repeat, env)
                rows += rows_for(label, results)
    loads += [x for x in [load_average()] if x]
    _per_plot_against_national(rows)
    text = header(args.repeat, started, loads) + "\n" + table(rows) + "\n"
    print(text)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
