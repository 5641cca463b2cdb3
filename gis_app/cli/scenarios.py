"""``kcn-gis scenario ...``: list, show, create-example, compare, export, delete.

Registered by :func:`gis_app.cli.build_parser` through :func:`add_arguments`; each action is
a small function of the parsed arguments returning the exit status.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from ..errors import ScenarioError
from ..settings import PROVINCES
from ..storage.source import describe, is_database
from .common import check_suffix


def _path(value: str) -> Path | str:
    """A province key names the shipped file; a ``postgresql://`` URL stays a URL."""
    if is_database(value):
        return value
    return PROVINCES[value].default_path if value in PROVINCES else Path(value)


#: Printed for an indicator without a value (a park that does not exist on one side).
NO_VALUE = "–"


def _print(frame: pd.DataFrame) -> None:
    """A text table; missing cells print as a dash, not ``NaN``/``<NA>``/``None``."""
    shown = frame.astype("object").where(frame.notna(), NO_VALUE)
    with pd.option_context("display.width", 160, "display.max_columns", 20,
                           "display.max_rows", 500, "display.max_colwidth", 60):
        print(shown.to_string(index=False, float_format=lambda v: f"{v:,.4f}"))


def format_indicator(code: str, value: object, *, signed: bool = False) -> str:
    """One indicator value as the board reads it: shares in per cent, counts and dollars
    whole, areas and ratios to 0.01; a difference carries its sign; no value is a dash."""
    if value is None or pd.isna(value):
        return NO_VALUE
    number = float(value)  # type: ignore[arg-type]
    sign = "+" if signed else ""
    if code.endswith("_share"):
        return f"{number:{sign},.2%}"
    if code.endswith("_count") or code.endswith("_usd") or "_usd_" in code:
        return f"{number:{sign},.0f}"
    return f"{number:{sign},.2f}"


def before_after_table(table: pd.DataFrame, *, level: str = "province",
                       changed_only: bool = True) -> pd.DataFrame:
    """The rows of a comparison for printing: key, bilingual indicator label, values."""
    from ..scenarios.export import indicator_label

    rows = table.loc[table["level"] == level]
    if changed_only:
        rows = rows.loc[rows["changed"]]
    codes = rows["indicator"].tolist()

    def shown(column: str, signed: bool = False) -> list[str]:
        return [format_indicator(c, v, signed=signed)
                for c, v in zip(codes, rows[column].tolist(), strict=True)]

    return pd.DataFrame({
        "key": rows["key"],
        "indicator": rows["indicator"].map(indicator_label),
        "before": shown("a"),
        "after": shown("b"),
        "difference": shown("difference", signed=True),
    })


def _list(args: argparse.Namespace) -> int:
    from ..scenarios.store import ScenarioStore

    listed = ScenarioStore(_path(args.file)).list()
    if listed.empty:
        print(f"{describe(_path(args.file))}: no scenarios (chưa có kịch bản)")
        return 0
    _print(listed[["scenario_id", "name", "author", "based_on", "modified", "version",
                   "n_edits"]])
    return 0


def _show(args: argparse.Namespace) -> int:
    from ..scenarios.export import edits_table
    from ..scenarios.store import ScenarioStore

    s = ScenarioStore(_path(args.file)).open(args.scenario)
    print(f"{s.id}: {s.name}\n  author / người lập: {s.author}\n  based on / dựa trên: "
          f"{s.based_on or '-'}\n  created / tạo: {s.created:%Y-%m-%d %H:%M} UTC, modified / "
          f"sửa: {s.modified:%Y-%m-%d %H:%M} UTC, version {s.version}\n  {s.description}")
    _print(edits_table(s)[["seq", "edit_id", "label", "description"]])
    return 0


def _compare_and_print(path: Path | str, scenario_id: str, against: str | None,
                       level: str, out: str | None, everything: bool) -> None:
    from ..scenarios.compare import compare
    from ..scenarios.evaluate import evaluate
    from ..scenarios.store import ScenarioStore
    from ..storage.source import read_plan

    store = ScenarioStore(path)
    baseline = read_plan(path)
    plan_b = evaluate(baseline, store.open(scenario_id), store)
    plan_a = baseline if against is None else evaluate(baseline, store.open(against), store)
    table = compare(plan_a, plan_b)
    print(f"{against or 'baseline / hiện trạng'} -> {scenario_id}:")
    _print(before_after_table(table, level=level, changed_only=not everything))
    if out:
        from ..scenarios.export import report_frame
        from ..spreadsheet import write_csv

        write_csv(report_frame(table), out)
        print(f"written: {out}")


def _create_example(args: argparse.Namespace) -> int:
    from ..scenarios.evaluate import evaluate
    from ..scenarios.examples import ninh_binh_2024
    from ..scenarios.store import ScenarioStore
    from ..storage.source import read_plan

    check_suffix(args.csv, (".csv",), "--csv")
    path = _path(args.file)
    store = ScenarioStore(path)
    scenario = ninh_binh_2024(read_plan(path))
    evaluate(read_plan(path), scenario)  # refuse to store an example that does not evaluate
    if scenario.id in store.ids():
        if not args.replace:
            raise ScenarioError(f"{describe(path)}: scenario {scenario.id} already exists; "
                                "use --replace to regenerate it")
        stored = store.open(scenario.id)
        scenario = scenario.replace(version=stored.version, created=stored.created)
    saved = store.save(scenario)
    print(f"{describe(path)}: saved scenario {saved.id} (version {saved.version}, "
          f"{len(saved.edits)} edits)")
    _compare_and_print(path, saved.id, None, "province", args.csv, everything=False)
    return 0




def _compare(args: argparse.Namespace) -> int:
    check_suffix(args.csv, (".csv",), "--csv")
    _compare_and_print(_path(args.file), args.scenario, args.against, args.level, args.csv,
                       args.all)
    return 0


def _export(args: argparse.Namespace) -> int:
    from ..scenarios.export import export_scenario

    check_suffix(args.gpkg, (".gpkg",), "--gpkg")
    check_suffix(args.report, (".csv", ".xlsx"), "--report")
    check_suffix(args.sheet, (".pdf",), "--sheet")
    done = export_scenario(_path(args.file), args.scenario, args.gpkg, args.report,
                           sheet_out=args.sheet, sheet_park=args.park)
    sheet = f", {done.sheet}" if done.sheet else ""
    print(f"written: {done.gpkg} ({len(done.changes)} changed features), {done.report}{sheet}")
    return 0


def _delete(args: argparse.Namespace) -> int:
    from ..scenarios.store import ScenarioStore

    ScenarioStore(_path(args.file)).delete(args.scenario)
    print(f"{describe(_path(args.file))}: deleted scenario {args.scenario}")
    return 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``scenario`` subcommand's own subcommands."""
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    province = ("province key (" + ", ".join(PROVINCES) + "), GeoPackage path or "
                "postgresql://...?province=KEY URL")

    p = actions.add_parser("list", help="scenarios stored in a province file")
    p.add_argument("file", help=province)
    p.set_defaults(scenario_func=_list)

    p = actions.add_parser("show", help="a scenario and its edits")
    p.add_argument("file", help=province)
    p.add_argument("scenario", help="scenario id")
    p.set_defaults(scenario_func=_show)

    p = actions.add_parser("create-example",
                           help="save the worked example (Ninh Bình's 2024 plan) into the file")
    p.add_argument("file", nargs="?", default="ninh_binh", help=province)
    p.add_argument("--replace", action="store_true", help="regenerate it if it exists")
    p.add_argument("--csv", help="also write the comparison to this CSV file")
    p.set_defaults(scenario_func=_create_example)

    p = actions.add_parser("compare", help="indicators before and after a scenario")
    p.add_argument("file", help=province)
    p.add_argument("scenario", help="scenario id")
    p.add_argument("--against", help="compare with this scenario instead of the baseline")
    p.add_argument("--level", choices=("province", "park"), default="province")
    p.add_argument("--all", action="store_true", help="also list unchanged indicators")
    p.add_argument("--csv", help="write the whole comparison to this CSV file")
    p.set_defaults(scenario_func=_compare)

    p = actions.add_parser("export", help="a GeoPackage of the scenario and a report")
    p.add_argument("file", help=province)
    p.add_argument("scenario", help="scenario id")
    p.add_argument("--gpkg", required=True, help="output GeoPackage")
    p.add_argument("--report", required=True, help="output report (.csv or .xlsx)")
    p.add_argument("--sheet", help="also write the scenario map sheet (PDF) here")
    p.add_argument("--park", help="park code the map sheet shows (default: every park)")
    p.set_defaults(scenario_func=_export)

    p = actions.add_parser("delete", help="delete a scenario")
    p.add_argument("file", help=province)
    p.add_argument("scenario", help="scenario id")
    p.set_defaults(scenario_func=_delete)


def run(args: argparse.Namespace) -> int:
    return int(args.scenario_func(args))
