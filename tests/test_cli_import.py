"""``kcn-gis import``: exit status 0 on success, 1 for a dry run with problems, 2 with a
one-line reason on failure; the target untouched unless the import succeeded."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from gis_app.cli import main
from gis_app.model.crs import to_crs
from gis_app.storage import read_plan
from gis_app.storage.gpkg import write_layers
from gis_app.testing import tiny_plan


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "bac_ninh.gpkg"
    info = pd.DataFrame({"key": ["province"], "value": ["bac_ninh"]})
    write_layers(path, {**tiny_plan().layers(), "dataset_info": info}, fresh=True)
    return path


@pytest.fixture
def survey(tmp_path: Path) -> Path:
    """The tiny plots in VN-2000 UTM 48N as a shapefile with survey field names."""
    plots = to_crs(tiny_plan().plots, "EPSG:3405")
    plots = plots.assign(ready_built_factory=plots["ready_built_factory"].astype(bool))
    plots = plots.rename(columns={"plot_code": "MA_LO", "ready_built_factory": "NXXS"})
    path = tmp_path / "survey.shp"
    pyogrio.write_dataframe(plots, path)
    return path


MAPS = ["--map", "MA_LO=plot_code", "--map", "NXXS=ready_built_factory"]


def test_import_replaces_and_reports(target, survey, capsys):
    code = main(["import", str(survey), str(target), "--layer", "plots", "--replace", *MAPS])
    out = capsys.readouterr().out
    assert code == 0
    assert "imported 4 of 4 feature(s)" in out and "replace: 4 -> 4" in out
    assert sorted(read_plan(target).plots["plot_code"]) == ["A1", "A2", "A3", "A4"]


def test_dry_run_prints_the_report_and_writes_nothing(target, survey, capsys):
    before = digest(target)
    code = main(["import", str(survey), str(target), "--layer", "plots", "--dry-run", *MAPS])
    out = capsys.readouterr().out
    # Appending the same plots again: every plot_code is a duplicate, and each plot is
    # overlapped by its copy (the rules joining features run despite the duplicates).
    assert code == 1
    assert "would import 4 of 4" in out
    assert "12 problem(s)" in out and "duplicate_id" in out and "overlapping_plots" in out
    assert digest(target) == before


def test_failure_is_one_line_with_exit_status_2(target, survey, capsys):
    before = digest(target)
    survey.with_suffix(".prj").unlink()
    code = main(["import", str(survey), str(target), "--layer", "plots", "--replace", *MAPS])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert err.startswith("kcn-gis import: ") and "no CRS" in err and "survey.shp" in err
    assert digest(target) == before


def test_validation_failure_names_feature_and_rule(target, survey, capsys):
    code = main(["import", str(survey), str(target), "--layer", "plots", *MAPS])
    err = capsys.readouterr().err
    assert code == 2
    assert "bac_ninh.gpkg" in err and "duplicate_id" in err and "--dry-run" in err


def test_source_crs_and_set_options(target, survey, capsys):
    survey.with_suffix(".prj").unlink()
    code = main(
        [
            "import",
            str(survey),
            str(target),
            "--layer",
            "plots",
            "--replace",
            "--source-crs",
            "EPSG:3405",
            "--map",
            "MA_LO=plot_code",
            "--set",
            "ready_built_factory=false",
        ]
    )
    assert code == 0, capsys.readouterr().err
    plots = read_plan(target).plots
    # The shapefile's own NXXS (A3 true) was not used: the --set value applies to every plot.
    assert plots["ready_built_factory"].tolist() == [False] * 4


def test_malformed_map_is_a_usage_error(target, survey, capsys):
    code = main(["import", str(survey), str(target), "--layer", "plots", "--map", "MA_LO"])
    assert code == 2
    assert "--map 'MA_LO': expected NAME=VALUE" in capsys.readouterr().err


def test_help_exits_zero(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["import", "--help"])
    assert exit_.value.code == 0
    assert "--source-crs" in capsys.readouterr().out


def test_a_dry_run_lists_every_problem_unless_limited(target, tmp_path, capsys):
    # 60 plots, each with a bad status code: more than the 50 the list used to stop at.
    plots = to_crs(tiny_plan().plots, "EPSG:3405")
    many = pd.concat([plots] * 15, ignore_index=True)
    many = many.assign(plot_code=[f"B{i}" for i in range(60)], status="sold",
                       ready_built_factory=many["ready_built_factory"].astype(bool))
    source = tmp_path / "many.gpkg"
    pyogrio.write_dataframe(many, source, layer="plots")

    assert main(["import", str(source), str(target), "--layer", "plots", "--replace",
                 "--dry-run"]) == 1
    lines = capsys.readouterr().out.splitlines()
    bad_codes = [line for line in lines if ": bad_code: " in line]
    assert len(bad_codes) == 60 and not any("more" in line for line in lines)
    assert "values with no code of layer 'plots': status: 'sold' (60)" in lines[1]
    # Stacked 15 deep, every plot overlaps the others at its place: those are listed too.
    assert any(": overlapping_plots: " in line for line in lines)

    assert main(["import", str(source), str(target), "--layer", "plots", "--replace",
                 "--dry-run", "--limit", "3"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len([line for line in lines if line.startswith("- ")]) == 3
    assert lines[-1].startswith("... and ") and lines[-1].endswith(" more")


def test_surveyed_vietnamese_values_and_a_value_map(target, tmp_path, capsys):
    plots = to_crs(tiny_plan().plots, "EPSG:3405")
    plots = plots.assign(status=["Đã thuê", "đã cho thuê", "bán", "da thue"],
                         ready_built_factory=["có", "không", "Không", "x"])
    source = tmp_path / "khao_sat.gpkg"
    pyogrio.write_dataframe(plots, source, layer="plots")
    before = digest(target)

    assert main(["import", str(source), str(target), "--layer", "plots", "--replace"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "status: 'bán' (1)" in err and "--map-values" in err
    assert digest(target) == before

    assert main(["import", str(source), str(target), "--layer", "plots", "--replace",
                 "--map-values", "status=bán:vacant"]) == 0
    stored = read_plan(target).plots.set_index("plot_code")
    assert stored["status"].tolist() == ["leased", "leased", "vacant", "leased"]
    assert stored["ready_built_factory"].astype(bool).tolist() == [True, False, False, True]


def test_a_malformed_value_map_is_a_usage_error(target, survey, capsys):
    assert main(["import", str(survey), str(target), "--layer", "plots",
                 "--map-values", "status=trống"]) == 2
    assert "expected COLUMN=VALUE:CODE" in capsys.readouterr().err


def test_validate_lists_every_problem_unless_limited(tmp_path, capsys):
    # 60 plots with a bad status code and, hidden before behind them, A1 widened over A2.
    plan = tiny_plan()
    plots = plan.plots.assign(status=plan.plots["status"].astype(object))
    plots.loc[0, "geometry"] = plots.geometry[0].union(plots.geometry[1].buffer(-10))
    plots.loc[0, "area_ha"] = round(plots.geometry[0].area / 1e4, 4)
    plots = pd.concat([plots] + [plots.iloc[[2]].assign(plot_code=f"B{i}", status="sold")
                                 .set_geometry([plots.geometry[2].buffer(-1 - i / 100)])
                                 for i in range(60)], ignore_index=True)
    path = tmp_path / "bad.gpkg"
    info = pd.DataFrame({"key": ["province"], "value": ["bac_ninh"]})
    write_layers(path, {**plan.layers(), "plots": plots, "dataset_info": info}, fresh=True)

    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert out.count(": bad_code: ") == 60 and " more" not in out
    assert "feature A1: overlapping_plots: overlaps plot_code A2" in out
    assert main(["validate", str(path), "--limit", "5"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len([line for line in lines if line.startswith("- ")]) == 5
    assert lines[-1].startswith("... and ") and lines[-1].endswith(" more")
