"""``kcn-gis scenario ...`` on a copy of the shipped Ninh Bình file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from gis_app.cli import main
from gis_app.scenarios.examples import EXAMPLE_ID
from gis_app.scenarios.store import ScenarioStore
from gis_app.settings import PROVINCES
from gis_app.storage import read_plan


@pytest.fixture
def ninh_binh(tmp_path: Path) -> Path:
    path = tmp_path / "ninh_binh.gpkg"
    shutil.copyfile(PROVINCES["ninh_binh"].default_path, path)
    ScenarioStore(path).delete(EXAMPLE_ID) if EXAMPLE_ID in ScenarioStore(path).ids() else None
    return path


def test_create_example_list_show_compare_export_delete(
    ninh_binh: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scenario", "create-example", str(ninh_binh)]) == 0
    out = capsys.readouterr().out
    assert f"saved scenario {EXAMPLE_ID} (version 1, 4 edits)" in out
    assert "Diện tích quy hoạch (ha) / Planned area (ha)" in out  # the before/after table
    assert "+35.00" in out  # ... with the 35 ha extension in it
    assert main(["scenario", "create-example", str(ninh_binh)]) == 2  # exists: refused
    assert "use --replace" in capsys.readouterr().err
    assert main(["scenario", "create-example", str(ninh_binh), "--replace"]) == 0
    assert ScenarioStore(ninh_binh).open(EXAMPLE_ID).version == 2
    capsys.readouterr()

    assert main(["scenario", "list", str(ninh_binh)]) == 0
    assert EXAMPLE_ID in capsys.readouterr().out
    assert main(["scenario", "show", str(ninh_binh), EXAMPLE_ID]) == 0
    shown = capsys.readouterr().out
    assert "Thu hồi đất dự án chậm tiến độ / Reclaim land of slow projects" in shown
    csv = tmp_path / "cmp.csv"
    assert main(["scenario", "compare", str(ninh_binh), EXAMPLE_ID, "--level", "park",
                 "--csv", str(csv)]) == 0
    assert "NB01" in capsys.readouterr().out and csv.stat().st_size > 0
    gpkg, report, sheet = tmp_path / "ex.gpkg", tmp_path / "ex.xlsx", tmp_path / "ex.pdf"
    assert main(["scenario", "export", str(ninh_binh), EXAMPLE_ID, "--gpkg", str(gpkg),
                 "--report", str(report), "--sheet", str(sheet), "--park", "NB01"]) == 0
    assert len(read_plan(gpkg).parks) == 11 and report.stat().st_size > 0
    text = " ".join(page.extract_text() for page in PdfReader(sheet).pages)
    assert "Kế hoạch 2024 của Ninh Bình" in text  # the scenario's name in the title block
    assert "KCN Gián Khẩu (NB01)" in text
    assert "Đã cho thuê" in text  # the differences table of the park
    assert main(["scenario", "delete", str(ninh_binh), EXAMPLE_ID]) == 0
    assert ScenarioStore(ninh_binh).ids() == []
    assert main(["scenario", "show", str(ninh_binh), EXAMPLE_ID]) == 2
    assert f"no scenario '{EXAMPLE_ID}'" in capsys.readouterr().err


def test_compare_two_scenarios(ninh_binh: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from gis_app.scenarios import Scenario, UpgradeWastewaterPlant

    assert main(["scenario", "create-example", str(ninh_binh)]) == 0
    ScenarioStore(ninh_binh).save(Scenario.new(
        "Nâng cấp XLNT", based_on=EXAMPLE_ID, scenario_id="xlnt").with_edit(
        UpgradeWastewaterPlant(id="e1", plant_id="NB01-XLNT", design_capacity_m3_day=6000.0)))
    capsys.readouterr()
    assert main(["scenario", "compare", str(ninh_binh), "xlnt", "--against", EXAMPLE_ID,
                 "--level", "park"]) == 0
    out = capsys.readouterr().out
    # Only the upgrade differs between the two: NB01's capacity 4,000 -> 6,000 m³/day.
    rows = [line for line in out.splitlines() if line.strip().startswith("NB")]
    assert rows and all(line.strip().startswith("NB01") for line in rows)
    assert "4,000.00" in out and "6,000.00" in out


def test_compare_prints_formatted_numbers_and_no_missing_markers(
    ninh_binh: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scenario", "create-example", str(ninh_binh)]) == 0
    capsys.readouterr()
    assert main(["scenario", "compare", str(ninh_binh), EXAMPLE_ID]) == 0
    out = capsys.readouterr().out
    # Occupancy in per cent, counts whole, areas to 0.01 ha, dollars whole, signed changes.
    occupancy = next(line for line in out.splitlines() if "/ Occupancy " in line + " ")
    assert occupancy.split()[-3:] == ["74.30%", "63.64%", "-10.65%"]
    approved = next(line for line in out.splitlines() if "Parks approved in plan" in line)
    assert approved.split()[-3:] == ["7", "8", "+1"]
    assert "2,800.02" in out and "2,604,407,000" in out and ".0000" not in out
    # Park level: a park the baseline lacks (Gián Khẩu II, NB11) has no 'before' values.
    assert main(["scenario", "compare", str(ninh_binh), EXAMPLE_ID, "--level", "park",
                 "--all"]) == 0
    out = capsys.readouterr().out
    assert "NB11" in out and "NaN" not in out and "<NA>" not in out
    assert main(["scenario", "list", str(ninh_binh)]) == 0
    listed = capsys.readouterr().out
    assert "NaN" not in listed and "<NA>" not in listed and "None" not in listed
