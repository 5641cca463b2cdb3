"""The ``kcn-gis`` command line.

Each subcommand is a small function ``_cmd_<name>(args) -> int`` registered in
:func:`build_parser`. Errors the product raises on purpose (:class:`GisAppError`) end the
command with a one-line reason on stderr and a non-zero exit status.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import MESSAGE_LIMIT, GisAppError, ValidationError, shorten
from ..model.schema import SCHEMAS
from ..progress import Bar, Progress, notify
from ..settings import PROVINCES
from .common import check_output, check_suffix, iso_date

if TYPE_CHECKING:
    import pandas as pd

    from ..export.layout import Orientation, Paper
    from ..model.plan import Plan


def _province_path(value: str) -> Path | str:
    """A province key (``bac_ninh``) names its file; a ``postgresql://`` URL stays a URL;
    anything else is a path (see :func:`gis_app.storage.locate`)."""
    from ..storage.backend import locate

    return locate(value)


def _cmd_validate(args: argparse.Namespace) -> int:
    from ..spreadsheet import write_csv
    from ..storage.source import describe, validate_source

    check_suffix(args.csv, ".csv", "--csv")
    failed = False
    for value in args.files:
        report = validate_source(_province_path(value))
        print(f"{describe(_province_path(value))}: {report.summary(limit=args.limit)}")
        if args.csv:
            write_csv(report.problems, args.csv, bom=False)
        failed |= not report.ok
    return 1 if failed else 0


def _pairs(values: Sequence[str] | None, option: str) -> dict[str, str]:
    """``["a=b", ...]`` -> ``{"a": "b"}``; a malformed pair is a usage error."""
    pairs: dict[str, str] = {}
    for value in values or ():
        key, sep, item = value.partition("=")
        if not sep or not key or not item:
            raise GisAppError(f"{option} {value!r}: expected NAME=VALUE")
        pairs[key] = item
    return pairs


def _value_map(values: Sequence[str] | None) -> dict[str, dict[str, str]]:
    """``["status=trống:vacant", ...]`` -> ``{"status": {"trống": "vacant"}}``."""
    mapping: dict[str, dict[str, str]] = {}
    for value in values or ():
        column, sep, pair = value.partition("=")
        source, colon, code = pair.rpartition(":")
        if not sep or not colon or not column or not source or not code:
            raise GisAppError(f"--map-values {value!r}: expected COLUMN=VALUE:CODE")
        mapping.setdefault(column, {})[source] = code
    return mapping


#: Options that only a CAD drawing's import takes (``kcn-gis import DRAWING.dxf ...``).
CAD_OPTIONS = ("layer_map", "label_layer", "arc_tolerance", "from_zone", "legacy_province")


def _is_cad_import(args: argparse.Namespace) -> bool:
    """A DWG, or a DXF imported without ``--layer`` or with a CAD option, is a detailed plan
    read by :func:`gis_app.imports.import_cad`; a DXF with ``--layer`` alone keeps the layer
    import through GDAL."""
    suffix = Path(args.source).suffix.lower()
    cad_options = any(getattr(args, name) is not None for name in CAD_OPTIONS)
    if suffix == ".dwg" or (suffix == ".dxf" and (args.layer is None or cad_options)):
        return True
    if cad_options:
        raise GisAppError("--layer-map, --label-layer, --arc-tolerance, --from-zone and "
                          "--legacy-province apply to a CAD drawing (.dxf, .dwg) only")
    if args.layer is None:
        raise GisAppError("--layer is required (the planning layer to import into)")
    return False


def _import_bar(args: argparse.Namespace, source: str) -> Bar:
    """The bar of an import (on a terminal's stderr only), labelled in the CLI's language."""
    from ..i18n import t

    return Bar(t("progress.import", args.lang, file=Path(source).name))


def _cmd_import_cad(args: argparse.Namespace) -> int:
    from ..imports.cad import ARC_TOLERANCE_M, CadDrawingError, import_cad

    if args.layer not in (None, "plots", "zones") or args.map or args.map_values \
            or args.source_layer:
        raise GisAppError("a CAD drawing is imported into --layer plots or zones, with "
                          "--layer-map and --set (not --source-layer, --map or --map-values)")
    try:
        with _import_bar(args, args.source) as bar:
            result = import_cad(
                args.source, _province_path(args.target), layer=args.layer or "plots",
                layer_map=args.layer_map, label_layers=args.label_layer,
                arc_tolerance=(ARC_TOLERANCE_M if args.arc_tolerance is None
                               else args.arc_tolerance),
                source_crs=args.source_crs, from_zone=args.from_zone,
                legacy_province=args.legacy_province, defaults=_pairs(args.set, "--set"),
                mode="replace" if args.replace else "append", dry_run=args.dry_run,
                recorded_by=args.by, lang=args.lang, progress=bar)
    except CadDrawingError as exc:  # every problem on its own line, then the reason
        for line in exc.result.lines(args.lang):
            print(line, file=sys.stderr)
        raise
    print(result.summary(args.lang))
    if args.dry_run and result.result is not None:
        print(result.result.report.summary(limit=args.limit))
    return 0 if result.ok else 1


def _cmd_import(args: argparse.Namespace) -> int:
    from ..imports.importer import import_layer

    if _is_cad_import(args):
        return _cmd_import_cad(args)
    with _import_bar(args, args.source) as bar:
        result = import_layer(
            args.source,
            _province_path(args.target),
            args.layer,
            source_layer=args.source_layer,
            field_map=_pairs(args.map, "--map"),
            defaults=_pairs(args.set, "--set"),
            mode="replace" if args.replace else "append",
            dry_run=args.dry_run,
            source_crs=args.source_crs,
            value_map=_value_map(args.map_values),
            recorded_by=args.by,
            progress=bar,
        )
    print(result.summary())
    if args.dry_run:
        print(result.report.summary(limit=args.limit))
    return 0 if result.report.ok else 1


def _cmd_import_register(args: argparse.Namespace) -> int:
    from ..imports.registers import import_register

    with _import_bar(args, args.register) as bar:
        result = import_register(
            args.register, _province_path(args.target), args.kind, sheet=args.sheet,
            columns=",".join(args.columns or ()), usd_rate=args.usd_rate,
            dry_run=args.dry_run, recorded_by=args.by, lang=args.lang, progress=bar)
    print(result.summary(limit=args.limit))
    return 0 if result.ok else 1


def _cmd_export_register(args: argparse.Namespace) -> int:
    from ..i18n import t
    from ..imports.registers import export_register

    check_suffix(args.output, ".xlsx", "OUTPUT")
    count = export_register(_province_path(args.province), args.output, args.kind,
                            lang=args.lang)
    print(t("register.exported", args.lang, file=args.output,
            kind=t(f"register.kind_{args.kind}", args.lang), n=count))
    return 0


#: Columns of the per-park report's text table (CSV and Excel get every column).
REPORT_TABLE_COLUMNS = (
    "name_vi", "status", "planned_ha", "leasable_ha", "leased_ha", "vacant_ha",
    "occupancy_share", "projects_valid_count", "registered_capital_usd_per_ha",
    "plant_operating",
)


def _read_provinces(values: Sequence[str], progress: Progress | None = None
                    ) -> tuple[list[Plan], list[tuple[str, ...]]]:
    """The plans of several provinces (keys, files, PostGIS URLs or national packages), and
    the province each names in its metadata (an empty one still gets its row); ``progress``
    hears ``(files read, files)`` (reading is most of a national roll-up's time)."""
    from ..storage.package import is_package, read_package
    from ..storage.source import read_dataset_info, read_plan

    plans: list[Plan] = []
    names: list[tuple[str, ...]] = []
    for value in values:
        if is_package(value):
            package = read_package(value)
            plans.append(package.plan)
            name = package.province_name_vi
        else:
            source = _province_path(value)
            plans.append(read_plan(source))
            name = read_dataset_info(source).get("province_name_vi", "")
        names.append((name,) if name else ())
        notify(progress, len(plans), len(values))
    return plans, names


#: Columns of the national table's text form (CSV and Excel get every column).
NATIONAL_TABLE_COLUMNS = (
    "rank", "parks_count", "parks_operating_count", "planned_ha", "leasable_established_ha",
    "leased_established_ha", "occupancy_share", "wastewater_coverage_share",
    "projects_valid_count", "registered_capital_usd_per_ha",
)


def _write_national(args: argparse.Namespace, by: str, sheet: str) -> None:
    """The national table of several provinces (``summary``/``report`` with several files)."""
    import pandas as pd

    from .._tables import write_frame
    from ..analytics.national import TOTAL, national_parks, national_summary
    from ..i18n import t

    with Bar(t("progress.provinces", args.lang)) as bar:  # on a terminal's stderr only
        plans, names = _read_provinces(args.files, bar)
    columns: tuple[str, ...]
    if by == "park":
        table = national_parks(plans)
        columns = ("rank", "province", *REPORT_TABLE_COLUMNS)
    else:
        table = national_summary(plans, by, also=names if by == "province" else ())
        columns = NATIONAL_TABLE_COLUMNS
    if args.format == "table":
        # The totals row has no rank, name or status: blank cells, not "<NA>".
        table = table[list(columns)].copy()
        for column in columns:
            if pd.api.types.is_bool_dtype(table[column]):
                words = {True: t("yes", args.lang), False: t("no", args.lang)}
                table[column] = table[column].astype(object).map(words).fillna("")
            elif not pd.api.types.is_float_dtype(table[column]):
                values = table[column].astype(object)
                table[column] = values.where(values.notna(), "")
    table = table.rename(index={TOTAL: t(TOTAL, args.lang)})
    write_frame(table, fmt=args.format, lang=args.lang, output=args.output, sheet=sheet)


def _cmd_summary(args: argparse.Namespace) -> int:
    check_output(args)
    if len(args.files) > 1:
        _write_national(args, args.by, "summary")
        return 0
    from .._tables import write_frame
    from ..analytics import province_indicators

    plans, names = _read_provinces(args.files)
    table = province_indicators(plans[0], by=args.by,
                                also=names[0] if args.by == "province" else ())
    write_frame(table, fmt=args.format, lang=args.lang, output=args.output,
                sheet="summary", transpose=True)
    return 0


#: Columns of the officer reports' text tables (``report --kind``; CSV and Excel get all).
OFFICER_TABLE_COLUMNS = {
    "screening": ("rank", "park_name", "investor", "score", "criteria_met", "criteria_short"),
    "efficiency": ("rank", "park_name", "registered_capital_usd_per_ha", "realised_share",
                   "budget_usd_per_ha", "criteria_short"),
    "actions": ("action_kind", "park_name", "plot_codes", "project_id", "investor",
                "lease_start", "area_ha", "detail"),
}


def _officer_report(plan: Plan, path: Path | str, kind: str, lang: str) -> pd.DataFrame:
    """The frame of ``report --kind screening|efficiency|actions`` (see officer_reports)."""
    from .. import officer_reports as reports
    from ..analytics import efficiency_ranking, tenant_screening
    from ..analytics.actions import province_actions
    from ..viewer.indicators import builtup_raster_of

    if kind == "screening":
        return reports.screening_report(tenant_screening(plan), plan.parks, lang)
    if kind == "efficiency":
        return reports.efficiency_report(efficiency_ranking(plan), plan.parks, lang)
    actions = province_actions(plan, builtup_raster_of(path))
    return reports.actions_report(actions, plan.parks, lang).set_index("park_code")


def _cmd_report(args: argparse.Namespace) -> int:
    check_output(args)
    if len(args.files) > 1 or args.by != "park":
        if args.kind != "parks":
            raise GisAppError(f"--kind {args.kind} reports on one province; give one file "
                              "(several files give the national table of --kind parks)")
        _write_national(args, args.by, "parks" if args.by == "park" else "summary")
        return 0
    from .._tables import write_frame
    from ..analytics import park_indicators

    plan = _read_provinces(args.files)[0][0]
    if args.kind != "parks":
        from ..officer_reports import text_table

        table = _officer_report(plan, _province_path(args.files[0]), args.kind, args.lang)
        if args.format == "table":
            table = text_table(table[list(OFFICER_TABLE_COLUMNS[args.kind])], args.lang)
        write_frame(table, fmt=args.format, lang=args.lang, output=args.output,
                    sheet=args.kind)
        return 0
    table = park_indicators(plan)
    if args.format == "table":
        table = table[list(REPORT_TABLE_COLUMNS)]
    write_frame(table, fmt=args.format, lang=args.lang, output=args.output, sheet="parks")
    return 0


def _add_output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("table", "csv", "xlsx"), default="table",
                   help="text table (default), CSV or Excel")
    p.add_argument("--lang", choices=("vi", "en"), default="vi",
                   help="language of column labels and codes (default: vi)")
    p.add_argument("--output", help="write to this file instead of the terminal "
                   "(required for xlsx)")


def _cmd_sample(args: argparse.Namespace) -> int:
    from ..i18n import t
    from ..sample.build import write_province

    keys = args.provinces or list(PROVINCES)
    for key in keys:  # every key checked before the first file is written
        if key not in PROVINCES:
            raise GisAppError(f"unknown province {key!r} (known: {', '.join(PROVINCES)})")
    for key in keys:
        target = Path(args.output_dir) / f"{key}.gpkg" if args.output_dir else None
        with Bar(t("progress.sample", args.lang, province=key)) as bar:
            path = write_province(key, target, seed=args.seed, progress=bar)
        print(f"wrote {path}")
    return 0


def _cmd_init(args: argparse.Namespace) -> int:
    from ..province_init import init_province, province_in

    province = province_in(args.province, args.epsg)
    path = init_province(args.province, args.output, epsg=args.epsg, history_from=args.date)
    print(f"wrote {path}: empty province file of {province.name_vi}, kept in {province.crs} "
          f"({province.zone_reason_en})")
    return 0


def _counts(counts: dict, lang: str) -> str:
    from ..i18n import label

    return ", ".join(f"{label(f'layer.{name}', lang)}: {n}" for name, n in counts.items())


def _cmd_package(args: argparse.Namespace) -> int:
    """``package export``: a province's national-system package; ``package import``: verify
    packages (and with ``--output-dir`` keep each as a province file)."""
    from ..i18n import t
    from ..storage import package as packages

    if args.package_command == "export":
        target = packages.export_package(_province_path(args.province), args.output)
        done = packages.read_package(target)
        print(t("package.exported", args.lang, path=target, province=done.province_name_vi,
                counts=_counts(done.manifest["counts"], args.lang)))
        return 0
    for value in args.packages:  # every package verified before the first file is written
        done = packages.read_package(value)
        print(t("package.verified", args.lang, path=value, province=done.province_name_vi,
                created=done.manifest.get("created", "?"),
                counts=_counts(done.manifest["counts"], args.lang)))
    if args.output_dir:
        for value in args.packages:
            done = packages.read_package(value)
            key = str(done.manifest.get("province") or Path(value).stem)
            target = Path(args.output_dir) / f"{key}.gpkg"
            packages.import_package(value, target)
            print(t("package.imported", args.lang, path=value, target=target))
    return 0


def _cmd_scenario(args: argparse.Namespace) -> int:
    from .scenarios import run

    return run(args)


def _sheet_layout(args: argparse.Namespace, paper: Paper | None = None,
                  orientation: Orientation | None = None):  # noqa: ANN202 - a SheetLayout
    from ..export import SheetLayout

    return SheetLayout(paper=paper or args.paper or "A3",
                       orientation=orientation or args.orientation or "landscape",
                       scale=args.scale, lang=args.lang, graticule=args.graticule,
                       corner_table=getattr(args, "corners", False),
                       corner_plot=getattr(args, "corner_plot", None),
                       prepared_by=args.prepared_by, approved_by=args.approved_by)


#: Papers a sheet with a stated scale but no stated paper is tried on, the default first.
SHEET_PAPERS: tuple[Paper, ...] = ("A3", "A1")


def _paper_candidates(args: argparse.Namespace
                      ) -> list[tuple[Paper | None, Orientation | None]]:
    """(paper, orientation) pairs to try: what was stated, else with a stated scale the
    default A3 landscape first and then the other orientations and larger papers, so that
    ``--scale`` alone picks the smallest paper that holds the park at that scale."""
    if args.scale is None:
        return [(args.paper, args.orientation)]
    papers: list[Paper] = [args.paper] if args.paper else list(SHEET_PAPERS)
    orientations: list[Orientation] = ([args.orientation] if args.orientation
                                       else ["landscape", "portrait"])
    return [(p, o) for p in papers for o in orientations]


def _cmd_export_sheet(args: argparse.Namespace) -> int:
    from ..export import format_scale, load_sheet_data, render_park_sheet, save_figure
    from ..export.sheet import ScaleFitError

    check_suffix(args.output, f".{args.format}", "-o")
    data = load_sheet_data(_province_path(args.province), as_of=args.as_of)
    refused: ScaleFitError | None = None
    for paper, orientation in _paper_candidates(args):
        layout = _sheet_layout(args, paper, orientation)
        try:
            sheet = render_park_sheet(data, args.park, layout, scenario=None)
            break
        except ScaleFitError as exc:
            refused = refused or exc  # the message of the first (default) paper
    else:
        assert refused is not None
        raise refused
    target = Path(args.output or f"{data.province.key}_{args.park}.{args.format}")
    save_figure(sheet.figure, target, fmt=args.format, dpi=layout.dpi,
                title=f"{data.park(args.park)['name_vi'].iloc[0]} ({args.park})")
    print(f"wrote {target} ({format_scale(sheet.denominator)}, {layout.paper} "
          f"{layout.orientation})")
    return 0


def _cmd_export_atlas(args: argparse.Namespace) -> int:
    from ..export import load_sheet_data
    from ..export.atlas import park_pages, write_atlas
    from ..i18n import t

    check_suffix(args.output, ".pdf", "-o")
    layout = _sheet_layout(args)
    data = load_sheet_data(_province_path(args.province), as_of=args.as_of)
    pages = park_pages(data, args.parks.split(",") if args.parks else None)
    target = Path(args.output or f"{data.province.key}_atlas.pdf")
    with Bar(t("progress.atlas", args.lang, file=target.name)) as bar:  # a terminal's only
        count = write_atlas(data, target, pages=pages, layout=layout, workers=args.workers,
                            progress=bar)
    print(f"wrote {target} ({count} pages: cover, index and {count - 2} sheets)")
    return 0


def _add_sheet_options(p: argparse.ArgumentParser) -> None:
    from ..export.layout import PAPER_MM, STANDARD_SCALES

    p.add_argument("province", help="province key, GeoPackage path or postgresql:// URL")
    p.add_argument("--paper", choices=list(PAPER_MM), default=None,
                   help="paper size (default: A3; with --scale, the smallest of A3 and A1 "
                   "that holds the park at that scale)")
    p.add_argument("--orientation", choices=["landscape", "portrait"], default=None,
                   help="default: landscape, or with --scale the one that fits")
    p.add_argument("--scale", type=int, choices=list(STANDARD_SCALES), default=None,
                   help="scale denominator (default: fit the extent, rounded to a standard scale)")
    p.add_argument("--lang", choices=["vi", "en"], default="vi")
    p.add_argument("--graticule", action="store_true", help="add a WGS 84 lat/long graticule")
    p.add_argument("--prepared-by", default="", help="name in the 'prepared by' box")
    p.add_argument("--approved-by", default="", help="name in the 'approved by' box")
    p.add_argument("-o", "--output", help="output file")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", type=iso_date,
                   help="draw the plan valid on this date (from the file's plan history)")



def _cmd_db(args: argparse.Namespace) -> int:
    from ..storage.postgis import store as postgis
    from ..storage.postgis.schema import SCHEMA_VERSION
    from ..storage.source import describe
    from ..storage.transfer import copy_province

    if args.db_command == "init":
        before = postgis.init_database(args.url)
        # Officers may edit rows but not create tables: the (empty) scenario tables are
        # created here, by the schema's owner, so their first save can succeed.
        from ..scenarios.store_pg import ensure_tables

        ensure_tables(args.url)
        print(f"{describe(args.url)}: schema ready (version {before} -> "
              f"{SCHEMA_VERSION})")
        return 0
    if args.db_command == "push":
        src, dst = _province_path(args.gpkg), args.url
    else:
        check_suffix(args.gpkg, ".gpkg", "pull")
        src, dst = args.url, _province_path(args.gpkg)
    names = copy_province(src, dst)
    print(f"{describe(src)} -> {describe(dst)}: {len(names)} layers copied "
          f"({', '.join(names)})")
    return 0


def _cmd_view(args: argparse.Namespace) -> int:
    from ..storage.source import describe
    from ..viewer import launch

    files = launch.province_files(args.province or None)
    if not files:
        raise GisAppError("no province file found; run 'kcn-gis sample' first")
    cmd = launch.command(port=args.port, address=args.host)
    if args.host != launch.DEFAULT_HOST:
        print(f"kcn-gis view: listening on {args.host}: anyone who reaches this machine sees the "
              "public pages and the officer login; use only on a trusted network or behind an "
              "HTTPS reverse proxy", file=sys.stderr)
    print(f"kcn-gis view: {describe(files[0])} (Ctrl+C to stop)", file=sys.stderr)
    return launch.serve(cmd, launch.environment(files))


def _read_new_password(args: argparse.Namespace) -> str:
    """The new password, from the first line of stdin or asked twice; end of input before a
    password (``< /dev/null``, Ctrl+D) is a refusal, not an empty password."""
    if args.password_stdin:
        line = sys.stdin.readline()
        if not line:
            raise GisAppError("no password on standard input (end of input); nothing was "
                              "written")
        return line.rstrip("\n")
    import getpass

    try:
        first = getpass.getpass(f"Password for {args.name}: ")
        again = getpass.getpass("Repeat the password: ")
    except EOFError:
        raise GisAppError("no password given (end of input); nothing was written") from None
    if first != again:
        raise GisAppError("the two passwords differ; nothing was written")
    return first


def _cmd_officer(args: argparse.Namespace) -> int:
    from ..viewer import auth

    path = Path(args.file) if args.file else None
    if args.action == "add":
        written = auth.add_officer(args.name, _read_new_password(args), path)
        print(f"officer {args.name!r} saved in {written}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kcn-gis",
        description="GIS for industrial-park management boards (KCN). "
        "Province files: a key (" + ", ".join(PROVINCES) + ") or a GeoPackage path.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check province files and list every problem")
    p.add_argument("files", nargs="+",
                   help="province keys, GeoPackage paths or postgresql://...?province=KEY URLs")
    p.add_argument("--limit", type=int, metavar="N",
                   help="print at most N problems per file (default: every one)")
    p.add_argument("--csv", help="also write the problems to this CSV file")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser(
        "import",
        help="import a surveyed layer (GeoPackage, Shapefile, GeoJSON, DXF) or a park's detailed "
        "plan (DXF, DWG) into a province file",
        description="Reproject a surveyed layer to the province's VN-2000 TM-3 CRS (WGS 84 <-> "
        "VN-2000 by the official EPSG:6960 parameters), map its fields, validate the whole "
        "province with it and append or replace it atomically. Nothing is written if any "
        "problem is found. A CAD drawing (DXF without --layer or with a CAD option, or DWG) is "
        "read as a detailed plan: closed polylines and hatches on land-use layers become plots "
        "(or zones), the text or SO_LO/MA_LO/LO attribute inside each gives its code.",
    )
    p.add_argument("source", metavar="SRC", help="the surveyed file")
    p.add_argument("target", metavar="TARGET", help="province key or GeoPackage path")
    p.add_argument("--layer", choices=list(SCHEMAS),
                   help="planning layer to import into (required, except for a CAD drawing: "
                   "plots by default, or zones)")
    p.add_argument("--source-layer", help="layer of SRC (for a DXF: a CAD layer name)")
    p.add_argument("--map", action="append", metavar="SRC=DST",
                   help="source field SRC fills column DST (repeatable); other columns are "
                   "matched by name, ignoring case")
    p.add_argument("--set", action="append", metavar="COLUMN=VALUE",
                   help="one value of COLUMN for every imported feature (repeatable)")
    p.add_argument("--map-values", action="append", metavar="COLUMN=VALUE:CODE",
                   help="the survey's VALUE of COLUMN means CODE (repeatable); well-known "
                   "Vietnamese values (đã thuê, chưa GPMB, cây xanh, ...) are mapped without it")
    p.add_argument("--replace", action="store_true",
                   help="replace the layer's features instead of appending to them")
    p.add_argument("--dry-run", action="store_true",
                   help="check and print the report without writing (exit 1 if problems)")
    p.add_argument("--source-crs", metavar="EPSG:xxxx", help="CRS of a SRC that declares none")
    p.add_argument("--by", help="who imports, recorded in the plan history (default: the "
                   "operating-system user)")
    p.add_argument("--limit", type=int, metavar="N",
                   help="print at most N problems (default: every one)")
    cad = p.add_argument_group("CAD drawing (detailed plan, .dxf/.dwg)")
    cad.add_argument("--layer-map", action="append", metavar="LAYER=USE,...",
                     help="CAD layer -> land use code (DAT_CN=industrial,CAY_XANH=green; "
                     "LAYER=- leaves it out); common Vietnamese layer names are recognised")
    cad.add_argument("--label-layer", action="append", metavar="LAYER",
                     help="only texts on this CAD layer give plot codes (repeatable)")
    cad.add_argument("--arc-tolerance", type=float, metavar="M",
                     help="largest chord error of densified arcs, in metres (default 0.05)")
    cad.add_argument("--from-zone", metavar="MERIDIAN",
                     help="the drawing's VN-2000 TM-3 central meridian (107, 105-30)")
    cad.add_argument("--legacy-province", metavar="NAME",
                     help="the pre-2025 province whose zone the drawing uses (\"Bắc Giang\")")
    cad.add_argument("--lang", choices=("vi", "en"), default="vi",
                     help="language of the drawing's report (default: vi)")
    p.set_defaults(func=_cmd_import)

    p = sub.add_parser(
        "import-register",
        help="import a project register or park list kept in Excel (.xlsx) into a province",
        description="Find the register's header (merged rows, Vietnamese headers), read every "
        "row (dd/mm/yyyy dates, amounts in USD or VND at a stated rate) and write the whole "
        "register atomically, recorded in the plan history where one is kept; any problem "
        "(named by sheet, row and column) writes nothing.")
    p.add_argument("register", metavar="REGISTER.xlsx", help="the register workbook")
    p.add_argument("target", metavar="PROVINCE",
                   help="province key, GeoPackage path or postgresql:// URL")
    p.add_argument("--kind", choices=("projects", "parks"), default="projects",
                   help="projects: the project (tenant) register (default); parks: the park list")
    p.add_argument("--sheet", help="sheet to read (default: the first with a recognised header)")
    p.add_argument("--columns", action="append", metavar="HEADER=FIELD[:UNIT],...",
                   help="header (or column letter) -> field, e.g. 'Tên dự án=name,"
                   "E=registered_capital_usd:triệu USD' ('-' ignores a column); repeatable")
    p.add_argument("--usd-rate", type=float, metavar="VND",
                   help="VND per USD, required when amounts are in VND (e.g. 25400)")
    p.add_argument("--dry-run", action="store_true",
                   help="check and print every problem without writing (exit 1 if problems)")
    p.add_argument("--by", help="who imports, recorded in the plan history (default: the "
                   "operating-system user)")
    p.add_argument("--lang", choices=("vi", "en"), default="vi",
                   help="language of the report and messages (default: vi)")
    p.add_argument("--limit", type=int, metavar="N",
                   help="print at most N problems (default: every one)")
    p.set_defaults(func=_cmd_import_register)

    p = sub.add_parser("export-register", help="write a province's project register or park "
                       "list as an Excel register (the layout import-register reads back)")
    p.add_argument("province", help="province key, GeoPackage path or postgresql:// URL")
    p.add_argument("output", metavar="OUTPUT.xlsx", help="the workbook to write")
    p.add_argument("--kind", choices=("projects", "parks"), default="projects",
                   help="projects (default) or parks")
    p.add_argument("--lang", choices=("vi", "en"), default="vi",
                   help="language of the headers and codes (default: vi)")
    p.set_defaults(func=_cmd_export_register)

    p = sub.add_parser("summary", help="provincial summary: parks, areas, occupancy, "
                       "wastewater coverage, projects; of several provinces, the national "
                       "table ranked by occupancy with totals")
    p.add_argument("files", nargs="+", metavar="FILE", help="province keys, GeoPackage paths, "
                   "postgresql:// URLs or national packages (kcn-gis package export)")
    p.add_argument("--by", choices=("province", "legacy_province"), default="province",
                   help="group by the 2025 province (default) or the pre-merger province")
    _add_output_options(p)
    p.set_defaults(func=_cmd_summary)

    p = sub.add_parser("report", help="per-park indicators: areas, occupancy, efficiency, "
                       "wastewater; or an officer report (--kind)")
    p.add_argument("files", nargs="+", metavar="FILE", help="province keys, GeoPackage paths, "
                   "postgresql:// URLs or national packages; several give every park of "
                   "all of them ranked by occupancy, with totals")
    p.add_argument("--by", choices=("park", "province", "legacy_province"), default="park",
                   help="one row per park (default), or the national table by province or "
                   "legacy province")
    p.add_argument("--kind", choices=("parks", "screening", "efficiency", "actions"),
                   default="parks", help="parks: indicators per park (default); screening: "
                   "projects scored on 'hai ít, ba cao, một không', criterion by criterion; "
                   "efficiency: parks ranked by capital per leased ha against the minimums; "
                   "actions: behind-schedule and revoked projects, idle leased land, parks "
                   "over their wastewater capacity")
    _add_output_options(p)
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser("sample", help="generate the illustrative province files shipped in layers/")
    p.add_argument("provinces", nargs="*",
                   help=f"province keys (default: all of {', '.join(PROVINCES)})")
    p.add_argument("--output-dir", help="write here instead of layers/")
    p.add_argument("--seed", type=int, default=2023, help="random seed (default 2023)")
    p.add_argument("--lang", choices=("vi", "en"), default="vi",
                   help="language of the progress shown on a terminal (default: vi)")
    p.set_defaults(func=_cmd_sample)

    p = sub.add_parser("init", help="create an empty province file (any of the 34 provinces) "
                       "with its context layers, styles and metadata")
    p.add_argument("province", help="province key from the national registry (e.g. ha_noi, "
                   "bac_ninh, ho_chi_minh)")
    p.add_argument("-o", "--output", help="GeoPackage to create (default: PROVINCE.gpkg here); "
                   "an existing file is never replaced")
    p.add_argument("--epsg", type=int, metavar="N", help="keep the file in this VN-2000 CRS "
                   "instead of the province's default TM-3 zone (e.g. 9214 for 107°00')")
    p.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD", help="the plan history "
                   "starts with the empty province on this day (default: today)")
    p.set_defaults(func=_cmd_init)

    p = sub.add_parser("package", help="national information system package (Decree "
                       "35/2022/NĐ-CP, Art. 46): export a province, verify and read packages")
    pkg = p.add_subparsers(dest="package_command", required=True, metavar="ACTION")
    q = pkg.add_parser("export", help="a province's parks, land, projects and plants as one "
                       "documented package: GeoPackage and CSV in VN-2000 and WGS 84, data "
                       "dictionary (vi/en), manifest with checksums, attributions")
    q.add_argument("province", help="province key, GeoPackage path or postgresql:// URL")
    q.add_argument("-o", "--output", required=True, metavar="DIR_OR_ZIP",
                   help="a new folder, or a .zip file")
    q.add_argument("--lang", choices=("vi", "en"), default="vi")
    q = pkg.add_parser("import", help="verify packages (checksums, layers, counts, "
                       "validation); with --output-dir keep each as a province file")
    q.add_argument("packages", nargs="+", metavar="PKG", help="package folders or .zip files")
    q.add_argument("--output-dir", help="write <province>.gpkg here for each package (new "
                   "files only); kcn-gis summary also reads packages directly")
    q.add_argument("--lang", choices=("vi", "en"), default="vi")
    p.set_defaults(func=_cmd_package)

    p = sub.add_parser("scenario", help="planning-adjustment scenarios: list, show, "
                       "create-example, compare, export, delete")
    from .scenarios import add_arguments

    add_arguments(p)
    p.set_defaults(func=_cmd_scenario)

    p = sub.add_parser("export", help="map sheets and atlases (PDF/PNG) for planning dossiers")
    export = p.add_subparsers(dest="export_command", required=True, metavar="WHAT")
    e = export.add_parser("sheet", help="the map sheet of one park")
    _add_sheet_options(e)
    e.add_argument("--park", required=True, help="park code (e.g. BN06)")
    e.add_argument("--format", choices=["pdf", "png"], default="pdf")
    e.add_argument("--corners", action="store_true",
                   help="number the boundary corners and list their VN-2000 X/Y")
    e.add_argument("--corner-plot", help="list the corners of this plot instead of the park")
    e.set_defaults(func=_cmd_export_sheet)
    e = export.add_parser("atlas", help="a PDF atlas: cover, index and one sheet per park")
    _add_sheet_options(e)
    e.add_argument("--parks", help="comma-separated park codes (default: every park)")
    e.add_argument("--workers", type=int, default=None,
                   help="processes drawing sheets (default: every core; 1: no subprocesses)")
    e.set_defaults(func=_cmd_export_atlas)
    p = sub.add_parser("view", help="open the map viewer in the browser (Streamlit)")
    p.add_argument("province", nargs="*", help="province keys, GeoPackage paths or "
                   "postgresql://...?province=KEY URLs to open first (several: the overview "
                   "offers a national view)")
    p.add_argument("--port", type=int, help="port to listen on (default: Streamlit's 8501)")
    p.add_argument("--host", "--address", dest="host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only; "
                   "0.0.0.0 serves the network, see the README)")
    p.set_defaults(func=_cmd_view)

    p = sub.add_parser("officer", help="manage officer accounts of the viewer")
    p.add_argument("action", choices=["add"], help="add (or reset the password of) an officer")
    p.add_argument("name", help="officer login name")
    p.add_argument("--password-stdin", action="store_true",
                   help="read the password from the first line of standard input")
    p.add_argument("--file", help="officer file (default: $KCN_GIS_AUTH_FILE or "
                   "~/.config/kcn-gis/officers.toml)")
    p.set_defaults(func=_cmd_officer)

    p = sub.add_parser("db", help="PostGIS: create the schema, copy a province in or out")
    db = p.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    url_help = ("postgresql://[user@host/db]?province=KEY (credentials from PG* variables, "
                "~/.pgpass or a service file: postgresql:///?service=kcn&province=KEY)")
    q = db.add_parser("init", help="create or upgrade a province schema and the roles")
    q.add_argument("url", help=url_help)
    q = db.add_parser("push", help="copy a GeoPackage into PostGIS (replaces the province)")
    q.add_argument("gpkg", help="province key or GeoPackage path")
    q.add_argument("url", help=url_help + "; province defaults to the file's")
    q = db.add_parser("pull", help="copy a province from PostGIS into a new GeoPackage")
    q.add_argument("url", help=url_help)
    q.add_argument("gpkg", help="GeoPackage path to write (replaced atomically)")
    p.set_defaults(func=_cmd_db)

    from .history import add_parsers as add_history_parsers

    add_history_parsers(sub, _province_path, _add_output_options)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except ValidationError as exc:
        first = str(exc).splitlines()
        hint = "run it with --dry-run" if args.command == "import" else "run 'kcn-gis validate'"
        print(f"kcn-gis {args.command}: {(first[1] if len(first) > 1 else first[0]).lstrip('- ')}"
              f" ({len(exc.report)} problem(s) in all; {hint} to list them)",  # type: ignore[arg-type]
              file=sys.stderr)
        return 2
    except GisAppError as exc:
        print(f"kcn-gis {args.command}: {shorten(_one_line(str(exc)), MESSAGE_LIMIT)}",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`kcn-gis history ... | head`): say so once and stop. Standard
        # output is pointed at the null device so the interpreter's last flush cannot fail.
        _silence_stdout()
        print(f"kcn-gis {args.command}: output closed early (broken pipe)", file=sys.stderr)
        return 141
    except OSError as exc:
        # A file that cannot be read or written (missing folder, no permission, disk full).
        print(f"kcn-gis {args.command}: {exc.strerror or exc}"
              f"{f': {exc.filename}' if exc.filename else ''}", file=sys.stderr)
        return 2


def _one_line(message: str) -> str:
    """A reason on one line: a driver's multi-line message (a server's hint) joined up."""
    return " ".join(part.strip() for part in message.splitlines() if part.strip())


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor (captured in tests): nothing to flush
        pass


if __name__ == "__main__":
    sys.exit(main())
