"""Export an evaluated scenario: a standalone GeoPackage and a bilingual report (CSV or XLSX).

The GeoPackage holds the scenario's plan (the six planning layers, validated), the change
layer ``scenario_changes``, the table ``scenario_info`` (the scenario and its edits) and the
source file's ``dataset_info`` (so the file is recognised as the same province and carries
the illustrative-data notice) and the QGIS styles of its layers (``layer_styles``). The
report is the comparison with the baseline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from ..errors import ExportError
from ..i18n import t
from ..model.plan import Plan
from ..model.schema import DATASET_TABLE, STYLES_TABLE
from ..rules.validate import check_plan
from ..spreadsheet import write_csv, write_excel
from ..storage.gpkg import write_layers
from ..storage.source import Source, is_database, list_layers, read_layer, read_plan, short_name
from ..storage.styles import styles_table
from .compare import change_layer, compare
from .evaluate import evaluate
from .model import Scenario
from .store import ScenarioStore

#: Report headers, Vietnamese / English.
REPORT_HEADERS: dict[str, str] = {
    "level": "Cấp / Level",
    "key": "Mã / Code",
    "indicator": "Chỉ tiêu (mã) / Indicator (code)",
    "label": "Chỉ tiêu / Indicator",
    "a": "Hiện trạng / Baseline",
    "b": "Kịch bản / Scenario",
    "difference": "Chênh lệch / Difference",
    "changed": "Có thay đổi / Changed",
}
LEVEL_LABELS = {"park": "KCN / Park", "province": "Tỉnh / Province"}
SHEETS = {
    "province": "Tỉnh - Province",
    "park": "KCN - Parks",
    "changes": "Thay đổi - Changes",
    "edits": "Điều chỉnh - Edits",
}


@dataclass(frozen=True)
class ScenarioExport:
    """Where the export went, the comparison table and the change layer."""

    gpkg: Path
    report: Path
    table: pd.DataFrame
    changes: pd.DataFrame
    sheet: Path | None = None


def sheet_differences(table: pd.DataFrame, park_code: str | None, lang: str = "vi"
                      ) -> pd.DataFrame:
    """The changed rows of a :func:`compare` table for a map sheet: the park's (or, without a
    park, the province's), labelled in ``lang`` with short headers."""
    from ..i18n import label, t

    level, key = ("park", park_code) if park_code else ("province", None)
    rows = table.loc[(table["level"] == level) & table["changed"]]
    if key is not None:
        rows = rows.loc[rows["key"] == key]
    return pd.DataFrame({
        t("scenario.col_indicator", lang): [label(str(c), lang) for c in rows["indicator"]],
        t("baseline", lang): rows["a"].to_numpy(),
        t("sheet.scenario", lang): rows["b"].to_numpy(),
        t("scenario.col_difference", lang): rows["difference"].to_numpy(),
    })


def render_sheet(province_file: Source, plan: Plan, table: pd.DataFrame,
                 scenario: Scenario, park_code: str | None, lang: str = "vi", *,
                 baseline: Plan | None = None) -> Any:
    """The scenario map sheet (:func:`gis_app.export.variants.render_scenario_sheet`):
    baseline and scenario side by side for one park (or all), with the differences.
    ``baseline``: the province file's plan when the caller holds it (not read again)."""
    from ..export import SheetLayout, load_sheet_data
    from ..export.variants import render_scenario_sheet

    data = load_sheet_data(province_file, plan=baseline)
    return render_scenario_sheet(data, plan, sheet_differences(table, park_code, lang),
                                 name=scenario.name, park_code=park_code,
                                 layout=SheetLayout(lang="en" if lang == "en" else "vi"))


def indicator_label(code: str) -> str:
    """``Vietnamese / English`` label of an indicator column (the code if none is known)."""
    from ..i18n import label

    vi, en = label(code, "vi"), label(code, "en")
    return code if vi == en == code else f"{vi} / {en}"


def edits_table(scenario: Scenario) -> pd.DataFrame:
    """One row per edit: order, id, operation (code and bilingual label), parameters."""
    return pd.DataFrame({
        "scenario_id": scenario.id,
        "seq": range(1, len(scenario.edits) + 1),
        "edit_id": [e.id for e in scenario.edits],
        "operation": [e.operation for e in scenario.edits],
        "label": [f"{e.label('vi')} / {e.label('en')}" for e in scenario.edits],
        "description": [e.describe() for e in scenario.edits],
    }, columns=["scenario_id", "seq", "edit_id", "operation", "label", "description"])


def report_frame(table: pd.DataFrame) -> pd.DataFrame:
    """A :func:`compare` table with indicator labels and bilingual headers."""
    out = table.copy()
    out["level"] = out["level"].map(LEVEL_LABELS)
    out.insert(3, "label", out["indicator"].map(indicator_label))
    return out.rename(columns=REPORT_HEADERS)


def write_report(path: Path, table: pd.DataFrame, changes: pd.DataFrame,
                 scenario: Scenario) -> None:
    """The comparison as CSV (one sheet's worth) or XLSX (four sheets), by file suffix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    report = report_frame(table)
    if path.suffix.lower() == ".csv":
        write_csv(report, path)  # BOM: Excel reads the diacritics; no cell is a formula
        return
    if path.suffix.lower() != ".xlsx":
        raise ExportError(f"{path}: the report must be .csv or .xlsx")
    level = report[REPORT_HEADERS["level"]]
    write_excel({
        SHEETS["province"]: report.loc[level == LEVEL_LABELS["province"]],
        SHEETS["park"]: report.loc[level == LEVEL_LABELS["park"]],
        SHEETS["changes"]: pd.DataFrame(changes.drop(columns="geometry")),
        SHEETS["edits"]: edits_table(scenario),
    }, path)


def export_scenario(
    province_file: Source,
    scenario_id: str,
    gpkg_out: str | Path,
    report_out: str | Path,
    *,
    park_indicators: Callable[[Plan], pd.DataFrame] | None = None,
    province_indicators: Callable[[Plan], pd.DataFrame] | None = None,
    sheet_out: str | Path | None = None,
    sheet_park: str | None = None,
    baseline: Plan | None = None,
    table: pd.DataFrame | None = None,
) -> ScenarioExport:
    """Evaluate a stored scenario and write its GeoPackage and report (and, with
    ``sheet_out``, its map sheet as PDF: baseline beside scenario for ``sheet_park``).

    A caller that holds them already (the viewer) passes the province file's validated plan
    as ``baseline`` and the :func:`compare` table of the baseline and this scenario as
    ``table``: they are then not read, validated and computed a second time.

    Raises
    ------
    ScenarioError
        The scenario cannot be evaluated (the message names the edit).
    ExportError
        The output would overwrite the province file itself, or the report format is unknown.
    """
    if not is_database(province_file):  # a PostGIS URL stays a string
        province_file = Path(province_file)
    gpkg_out, report_out = Path(gpkg_out), Path(report_out)
    if isinstance(province_file, Path) and gpkg_out.resolve() == province_file.resolve():
        raise ExportError(f"{gpkg_out}: refusing to overwrite the province file with an export")
    if report_out.suffix.lower() not in (".csv", ".xlsx"):
        raise ExportError(f"{report_out}: the report must be .csv or .xlsx")
    store = ScenarioStore(province_file)
    scenario = store.open(scenario_id)
    if baseline is None:
        baseline = read_plan(province_file)
    plan = evaluate(baseline, scenario, store)
    check_plan(plan.layers(), f"scenario {scenario.id}", None).raise_if_problems()
    changes = change_layer(baseline, plan)
    if table is None:
        table = compare(baseline, plan, park_indicators=park_indicators,
                        province_indicators=province_indicators)
    info = _dataset_info(province_file, scenario)
    # The province file's symbology travels with the export (QGIS opens it styled).
    styles = styles_table([name for name, frame in plan.layers().items()
                           if isinstance(frame, gpd.GeoDataFrame)])
    write_layers(gpkg_out, {**plan.layers(), "scenario_changes": changes,
                            "scenario_info": edits_table(scenario), DATASET_TABLE: info,
                            STYLES_TABLE: styles},
                 descriptions={"scenario_changes": "Đối tượng thay đổi / Features changed"},
                 fresh=True)
    write_report(report_out, table, changes, scenario)
    sheet_path = None
    if sheet_out is not None:
        from ..export import save_figure

        sheet_path = Path(sheet_out)
        sheet_path.parent.mkdir(parents=True, exist_ok=True)
        sheet = render_sheet(province_file, plan, table, scenario, sheet_park,
                             baseline=baseline)
        save_figure(sheet.figure, sheet_path, fmt="pdf", title=scenario.name)
    return ScenarioExport(gpkg_out, report_out, table, changes, sheet_path)


def _dataset_info(province_file: Source, scenario: Scenario) -> pd.DataFrame:
    if DATASET_TABLE in list_layers(province_file):
        base = read_layer(province_file, DATASET_TABLE)[["key", "value"]].astype(str)
    else:
        base = pd.DataFrame({"key": ["notice_vi", "notice_en"],
                             "value": [t("notice.illustrative", "vi"),
                                       t("notice.illustrative", "en")]})
    extra = pd.DataFrame({
        "key": ["scenario_id", "scenario_name", "scenario_author", "scenario_version",
                "scenario_modified", "scenario_source"],
        "value": [scenario.id, scenario.name, scenario.author, str(scenario.version),
                  scenario.modified.isoformat(), short_name(province_file)],
    })
    base = base.loc[~base["key"].isin(extra["key"])]
    return pd.concat([base, extra], ignore_index=True)
