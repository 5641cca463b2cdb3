"""Progress of long work (issue 18): the terminal bar (drawn on a terminal, silent elsewhere,
finished with a newline), the library functions that report to it, and the commands that
draw it: a national roll-up, imports, sample generation and the atlas.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import ezdxf
import openpyxl
import pytest

from gis_app.cli.commands import _read_provinces
from gis_app.imports import import_cad, import_register
from gis_app.imports.cad import ENTITY_CHUNK
from gis_app.imports.importer import IMPORT_STEPS, import_layer
from gis_app.imports.registers import REGISTER_STEPS
from gis_app.progress import WIDTH, Bar, Progress, offset
from gis_app.sample.build import SAMPLE_STEPS, write_province
from gis_app.testing import ORIGIN

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ("bac_ninh", "ninh_binh")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bar_on_a_terminal_ends_full_with_a_newline():
    out = _Terminal()
    bar = Bar("atlas.pdf", stream=out)
    for done in range(1, 25):
        bar(done, 24)
    text = out.getvalue()
    assert text.startswith("\ratlas.pdf [")
    assert text.endswith("\n") and text.count("\n") == 1
    last = text.rsplit("\r", 1)[-1]
    assert last.startswith(f"atlas.pdf [{'#' * WIDTH}] 24/24 (")
    # Redrawn at most ten times a second: a fast run does not write one line per page.
    assert text.count("\r") < 24


def test_half_way():
    out = _Terminal()
    Bar("x", stream=out)(12, 24)
    assert f"[{'#' * (WIDTH // 2)}{'.' * (WIDTH // 2)}] 12/24" in out.getvalue()


def test_silent_when_not_a_terminal():
    out = io.StringIO()
    bar = Bar("atlas.pdf", stream=out)
    for done in range(1, 4):
        bar(done, 3)
    assert out.getvalue() == ""


def test_a_failed_run_ends_the_bars_line_before_the_error():
    out = _Terminal()
    with pytest.raises(ValueError), Bar("import", stream=out) as bar:
        bar(1, 4)
        raise ValueError("the import failed")
    assert out.getvalue().endswith("1/4 (0.0 s)\n") and out.getvalue().count("\n") == 1


def test_a_finished_or_silent_bar_adds_no_newline_on_close():
    out = _Terminal()
    with Bar("x", stream=out) as bar:
        bar(2, 2)
    assert out.getvalue().count("\n") == 1
    piped = io.StringIO()
    with Bar("x", stream=piped) as bar:
        bar(1, 2)
    assert piped.getvalue() == ""


def test_offset_reports_a_part_of_a_longer_job():
    seen: list[tuple[int, int]] = []
    part = offset(lambda d, t: seen.append((d, t)), 10, 14)
    assert part is not None
    part(1, 4)
    part(4, 4)
    assert seen == [(11, 14), (14, 14)]
    assert offset(None, 10, 14) is None


def test_the_progress_module_imports_nothing_of_the_package_nor_unix_only_modules():
    code = ("import sys; before = set(sys.modules); import gis_app.progress; "
            "print(' '.join(sorted(m for m in set(sys.modules) - before)))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=ROOT).stdout.split()
    assert set(loaded) <= {"gis_app", "gis_app.progress"}, loaded


# --- the wired commands: each reports up to (total, total) --------------------------------


def _recorder() -> tuple[list[tuple[int, int]], Progress]:
    seen: list[tuple[int, int]] = []
    return seen, lambda done, total: seen.append((done, total))


def assert_reports_to_total(seen: list[tuple[int, int]], total: int | None = None) -> None:
    """Reports rise (never back), to one total, the last being (total, total)."""
    assert seen, "nothing was reported"
    totals = {t for _, t in seen}
    assert len(totals) == 1, seen
    (whole,) = totals
    if total is not None:
        assert whole == total
    dones = [d for d, _ in seen]
    assert dones == sorted(dones) and 0 <= dones[0], seen
    assert seen[-1] == (whole, whole), seen


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_layer_import_reports_its_steps(province_file, plan, tmp_path, dry_run):
    source = tmp_path / "survey.gpkg"
    plan.plots.to_file(source, layer="plots", driver="GPKG")
    seen, progress = _recorder()
    result = import_layer(source, province_file, "plots", mode="replace", dry_run=dry_run,
                          progress=progress)
    assert result.written is not dry_run
    assert_reports_to_total(seen, IMPORT_STEPS)


def _drawing(folder: Path, fillers: int) -> Path:
    """Four plots on DAT_CN with their codes inside, and ``fillers`` points on layer 0 (a
    large drawing's entities that are no outline)."""
    doc = ezdxf.new("R2018")
    msp = doc.modelspace()
    ox, oy = ORIGIN
    for i in range(4):
        msp.add_lwpolyline([(ox + 50 * i, oy), (ox + 50 * i + 50, oy), (ox + 50 * i + 50, oy + 100),
                            (ox + 50 * i, oy + 100)], close=True, dxfattribs={"layer": "DAT_CN"})
        msp.add_text(f"A{i + 1}", dxfattribs={"layer": "SO_LO",
                                              "insert": (ox + 50 * i + 25, oy + 50)})
    for i in range(fillers):
        msp.add_point((ox + i % 200, oy - 10 - i // 200))
    path = folder / "plan.dxf"
    doc.saveas(path)
    return path


def test_a_cad_import_reports_entities_in_chunks_then_the_import_steps(province_file, tmp_path):
    fillers = 2 * ENTITY_CHUNK + 100
    seen, progress = _recorder()
    result = import_cad(_drawing(tmp_path, fillers), province_file, mode="replace",
                        defaults={"park_code": "P1", "status": "vacant",
                                  "ready_built_factory": False},
                        legacy_province="Bắc Ninh", progress=progress)
    assert result.written
    entities = 8 + fillers
    assert_reports_to_total(seen, entities + IMPORT_STEPS)
    # Per chunk of entities, not per entity; then each step of the layer import.
    assert [d for d, _ in seen if d < entities] == [ENTITY_CHUNK, 2 * ENTITY_CHUNK]
    assert [d for d, _ in seen if d > entities] == [entities + n for n in range(1, 5)]


def test_a_register_import_reports_rows_then_its_steps(province_file, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Mã dự án", "Mã KCN", "Nhà đầu tư"])
    sheet.append(["T1", "P1", "Alpha Electronics JSC"])
    path = tmp_path / "so.xlsx"
    book.save(path)
    for dry_run in (True, False):
        seen, progress = _recorder()
        result = import_register(path, province_file, dry_run=dry_run, progress=progress)
        assert result.ok and result.written is not dry_run
        assert_reports_to_total(seen, 1 + REGISTER_STEPS)


def test_the_national_roll_up_reports_each_province_file_read():
    seen, progress = _recorder()
    plans, _ = _read_provinces(SHIPPED, progress)
    assert len(plans) == 2
    assert seen == [(1, 2), (2, 2)]


@pytest.mark.slow
def test_generating_a_sample_province_reports_its_steps(tmp_path):
    seen, progress = _recorder()
    write_province("ninh_binh", tmp_path / "ninh_binh.gpkg", progress=progress)
    assert seen == [(n, SAMPLE_STEPS) for n in range(1, SAMPLE_STEPS + 1)]


# --- the command line: a bar on a terminal, nothing when piped ----------------------------


def _cli_on_a_terminal(cli_stderr, args: list[str]) -> str:  # noqa: ANN001 - the fixture
    """What the CLI wrote to stderr on a pseudo-terminal; it must succeed."""
    code, err = cli_stderr(args)
    assert code == 0, err
    return err


def _last_line(err: str) -> str:
    return err.rsplit("\r", 1)[-1]


@pytest.mark.parametrize(("lang", "label"), [("vi", "Đọc tệp tỉnh"),
                                             ("en", "Reading province files")])
def test_a_national_summary_draws_a_bar_on_a_terminal(cli_stderr, capsys, lang, label):
    err = _cli_on_a_terminal(cli_stderr, ["summary", *SHIPPED, "--lang", lang])
    assert _last_line(err).startswith(f"{label} [{'#' * WIDTH}] 2/2 (")
    assert err.endswith("\n") and err.count("\n") == 1
    assert "\r" not in capsys.readouterr().out  # the table itself is untouched


def test_an_import_draws_a_bar_on_a_terminal(cli_stderr, capsys, province_file, plan,
                                             tmp_path):
    source = tmp_path / "survey.gpkg"
    plan.plots.to_file(source, layer="plots", driver="GPKG")
    err = _cli_on_a_terminal(cli_stderr, ["import", str(source), str(province_file),
                                          "--layer", "plots", "--replace", "--lang", "en"])
    assert _last_line(err).startswith(f"Importing survey.gpkg [{'#' * WIDTH}] 4/4 (")
    assert err.endswith("\n")


def test_a_register_import_draws_a_bar_on_a_terminal(cli_stderr, capsys, province_file,
                                                     tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Mã dự án", "Mã KCN", "Nhà đầu tư"])
    book.active.append(["T1", "P1", "Alpha Electronics JSC"])
    path = tmp_path / "so.xlsx"
    book.save(path)
    err = _cli_on_a_terminal(cli_stderr, ["import-register", str(path), str(province_file)])
    assert _last_line(err).startswith(f"Nhập so.xlsx [{'#' * WIDTH}] 5/5 (")


def _piped(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The real ``kcn-gis`` in a subprocess, its stdout and stderr pipes."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "gis_app.cli", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=600)


def _no_bar(text: str) -> None:
    assert "\r" not in text and "[#" not in text and ".]" not in text, text[-500:]


def test_piped_commands_print_no_bar(province_file, plan, tmp_path):
    source = tmp_path / "survey.gpkg"
    plan.plots.to_file(source, layer="plots", driver="GPKG")
    runs = {
        "summary": _piped(["summary", *SHIPPED, "--lang", "en"], tmp_path),
        "import": _piped(["import", str(source), str(province_file), "--layer", "plots",
                          "--replace"], tmp_path),
        "atlas": _piped(["export", "atlas", "bac_ninh", "--parks", "BG01", "--workers", "1",
                         "-o", str(tmp_path / "a.pdf")], tmp_path),
    }
    for name, run in runs.items():
        assert run.returncode == 0, (name, run.stderr)
        assert run.stderr == "", (name, run.stderr)
        _no_bar(run.stdout)
    assert "National total" in runs["summary"].stdout


@pytest.mark.slow
def test_piped_sample_generation_prints_only_what_it_wrote(tmp_path):
    run = _piped(["sample", "ninh_binh", "--output-dir", str(tmp_path)], tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    assert run.stdout == f"wrote {tmp_path / 'ninh_binh.gpkg'}\n"
