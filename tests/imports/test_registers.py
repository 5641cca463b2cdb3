"""Registers from Excel: the project register and the park list, as boards keep them.

Every workbook is generated here with openpyxl the way boards lay them out: a merged title
row, a two-row header with a merged group cell ("Vốn đầu tư" over "Triệu USD" and "Tỷ đồng"),
Vietnamese headers, dates as dd/mm/yyyy text and as date cells, amounts in USD and VND. The
province is the tiny plan (park P1 "KCN Thử nghiệm", plots A1..A4 with A3 vacant; projects T1
on A1+A2 with 10 M USD, T2 on A4 with 2 M USD).
"""

from __future__ import annotations

import datetime as dt
import io
import time
import unicodedata
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from gis_app.analytics import province_indicators
from gis_app.cli import main
from gis_app.history import Basis, changes, start_history
from gis_app.imports import RegisterError, import_register
from gis_app.imports.registers import export_register, parse_date, parse_number
from gis_app.storage import read_plan
from gis_app.testing.workbooks import write_board_register

RATE = 25_400.0
HEADER = ["STT", "Tên dự án", "Nhà đầu tư", "Quốc gia", "Ngành nghề", "Tên KCN",
          ("Vốn đầu tư", ("Triệu USD", "Tỷ đồng")), "Ngày cấp GCNĐKĐT", "Số lô", "Tình trạng",
          "Email liên hệ"]
#: Columns: A STT, B Tên dự án, C Nhà đầu tư, D Quốc gia, E Ngành nghề, F Tên KCN,
#: G Vốn đầu tư / Triệu USD, H Vốn đầu tư / Tỷ đồng, I Ngày cấp, J Số lô, K Tình trạng, L Email.
GOOD_ROWS = [
    [1, "Nhà máy linh kiện", "Gamma Components", "Nhật Bản", "electronics", "KCN Thử nghiệm",
     "12,5", None, "05/03/2021", "A3", "Đang hoạt động", "a@gamma.jp"],
    [2, "Kho lạnh", "Delta Cold Chain", "Việt Nam", "logistics", "Thử nghiệm",
     None, 254, dt.datetime(2022, 7, 1), None, "đang xây dựng", None],
]


def project_register(path: Path, rows: list[list[object]], *, sheet: str = "Dự án") -> Path:
    """A project register laid out as boards keep it (title row 1, header rows 3-4)."""
    return write_board_register(path, "DANH SÁCH DỰ ÁN ĐẦU TƯ TRONG CÁC KHU CÔNG NGHIỆP", HEADER,
                                rows, sheet=sheet)


@pytest.fixture
def register(tmp_path: Path) -> Path:
    return project_register(tmp_path / "so_du_an.xlsx", GOOD_ROWS)


def test_a_register_with_merged_headers_adds_its_projects(province_file, register):
    result = import_register(register, province_file, "projects", usd_rate=RATE)

    assert result.written and result.ok
    assert result.header_rows == (3, 4)
    assert ("G", "Vốn đầu tư / Triệu USD", "registered_capital_usd") in result.columns
    assert ("H", "Vốn đầu tư / Tỷ đồng", "registered_capital_usd") in result.columns
    assert result.unknown_columns == (("L", "Email liên hệ"),)
    assert result.rows == 2 and result.added == ("P1-DA001", "P1-DA002")
    assert result.usd_rate == RATE
    plan = read_plan(province_file)
    new = plan.tenants.set_index("investor").loc[["Gamma Components", "Delta Cold Chain"]]
    assert list(new["country"]) == ["JP", "VN"]
    assert list(new["registered_capital_usd"]) == [12_500_000.0, 254e9 / RATE]
    assert list(new["lease_start"]) == [pd.Timestamp(2021, 3, 5), pd.Timestamp(2022, 7, 1)]
    assert list(new["project_status"]) == ["operating", "under_construction"]
    assert list(new["project_type"]) == ["secondary", "secondary"]
    links = plan.tenant_plots.set_index("plot_code")["project_id"]
    assert links["A3"] == "P1-DA001"
    assert plan.plots.set_index("plot_code").loc["A3", "status"] == "leased"
    assert result.plots_leased == ("A3",)


def test_imported_projects_show_in_the_summary(province_file, register, capsys):
    before = province_indicators(read_plan(province_file)).iloc[0]
    import_register(register, province_file, usd_rate=RATE)
    after = province_indicators(read_plan(province_file)).iloc[0]

    # Two valid projects more, their capital (12.5 M USD + 254 bn VND at 25,400) added, and
    # the vacant plot A3 (0.5 ha) now leased: occupancy 1.5 of 2 ha -> 2 of 2 ha.
    assert after["projects_valid_count"] == before["projects_valid_count"] + 2 == 4
    assert after["registered_capital_usd"] == pytest.approx(12e6 + 12.5e6 + 10e6)
    assert (before["occupancy_share"], after["occupancy_share"]) == (0.75, 1.0)
    assert main(["summary", str(province_file), "--format", "csv", "--lang", "en"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert table.loc[0, "Valid projects"] == 4
    assert table.loc[0, "Registered capital (USD)"] == pytest.approx(34.5e6)


def test_importing_the_same_register_again_updates_instead_of_adding(province_file, register):
    import_register(register, province_file, usd_rate=RATE)
    again = import_register(register, province_file, usd_rate=RATE)

    assert again.added == () and again.updated == ("P1-DA001", "P1-DA002")
    assert len(read_plan(province_file).tenants) == 4


@pytest.mark.parametrize(("text", "expected"), [
    ("1.234,5", 1234.5), ("1,234.5", 1234.5), ("12,5", 12.5), ("1.234", 1234.0),
    ("1.234.567", 1234567.0), ("254", 254.0), ("0,75", 0.75), (" 2 500 ", 2500.0),
    ("mười", None), ("1,2,3", None), ("12.5.1", None), ("", None),
])
def test_vietnamese_number_text(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("05/03/2021", dt.date(2021, 3, 5)), ("5/3/2021", dt.date(2021, 3, 5)),
    ("05-03-2021", dt.date(2021, 3, 5)), ("2021-03-05", dt.date(2021, 3, 5)),
    (dt.datetime(2021, 3, 5), dt.date(2021, 3, 5)), ("31/02/2021", None), ("03/2021", None),
    (44260, None),
])
def test_dates_are_read_day_first(value, expected):
    assert parse_date(value) == expected


BAD_ROWS = [
    [1, "A", "Gamma Components", "Nhật Bản", "electronics", "KCN Thử nghiệm", "mười", None,
     "05/03/2021", "A3", "Đang hoạt động", None],
    [2, "B", "Delta", "Việt Nam", "logistics", "KCN Thử nghiệm", 3, None, "31/02/2021",
     "Z9", "đang xây dựng", None],
    [3, "C", "Epsilon", "Hàn Quốc", "textiles", "KCN Không Có", 1, None, "01/01/2020", None,
     "tạm dừng", None],
]


def test_a_bad_register_changes_nothing_and_names_each_cell(province_file, tmp_path, sha256):
    bad = project_register(tmp_path / "so_loi.xlsx", BAD_ROWS)
    before = sha256(province_file)

    with pytest.raises(RegisterError) as raised:
        import_register(bad, province_file, usd_rate=RATE, lang="en")

    assert sha256(province_file) == before
    found = {(p.row, p.column) for p in raised.value.problems}
    assert found == {(5, "G"), (6, "I"), (6, "J"), (7, "F"), (7, "K")}
    texts = [p.text("en") for p in raised.value.problems]
    assert f"{bad}, sheet 'Dự án', row 5, column G (Vốn đầu tư / Triệu USD): 'mười' is not " \
           "a number" in texts
    assert any("row 6, column I (Ngày cấp GCNĐKĐT): '31/02/2021' is not a date" in x
               for x in texts)
    assert any("row 6, column J (Số lô): plot 'Z9'" in x for x in texts)
    assert any("row 7, column F (Tên KCN): park 'KCN Không Có' is not in the province" in x
               for x in texts)
    assert any("row 7, column K (Tình trạng): 'tạm dừng' is not a known" in x for x in texts)
    assert "row 5, column G" in str(raised.value) and "5 problem(s) in all" in str(raised.value)


def test_a_dry_run_lists_every_problem_and_writes_nothing(province_file, tmp_path, sha256):
    bad = project_register(tmp_path / "so_loi.xlsx", BAD_ROWS)
    before = sha256(province_file)

    result = import_register(bad, province_file, usd_rate=RATE, dry_run=True, lang="vi")

    assert sha256(province_file) == before
    assert not result.written and len(result.problems) == 5
    assert "trang tính 'Dự án', dòng 6, cột I (Ngày cấp GCNĐKĐT)" in result.summary()
    good = import_register(project_register(tmp_path / "ok.xlsx", GOOD_ROWS), province_file,
                           usd_rate=RATE, dry_run=True)
    assert good.ok and good.added == ("P1-DA001", "P1-DA002") and not good.written
    assert sha256(province_file) == before


def test_amounts_in_vnd_need_a_stated_rate(province_file, register, sha256):
    before = sha256(province_file)
    with pytest.raises(RegisterError, match=r"column H \(Vốn đầu tư / Tỷ đồng\): amounts in "
                       r"VND need an exchange rate"):
        import_register(register, province_file, lang="en")
    assert sha256(province_file) == before
    usd_only = [row[:7] + [None] + row[8:] for row in GOOD_ROWS[:1]]
    register.unlink()
    result = import_register(project_register(register, usd_only), province_file)
    assert result.written and result.usd_rate is None  # no conversion, no rate needed


def test_the_import_is_recorded_with_the_rate_in_its_basis(province_file, register):
    start_history(province_file, Basis.imported("survey_2011.dxf", "Nguyễn Văn A"),
                  "2011-01-01")

    result = import_register(register, province_file, usd_rate=RATE, recorded_by="Trần Thị B")

    row = changes(province_file).iloc[-1]
    assert result.change_id == row["change_id"] == "C0002"
    assert row["basis_type"] == "import" and row["source_file"] == "so_du_an.xlsx"
    assert row["recorded_by"] == "Trần Thị B"
    assert row["effective_date"].date() == dt.date.today()
    assert "25.400 đồng/USD" in row["description"]
    assert "25,400 VND per USD" in row["description"]
    assert row["document_ref"].startswith("sha256:")
    # Nothing new in the same register: nothing to record.
    assert import_register(register, province_file, usd_rate=RATE).change_id is None
    assert len(changes(province_file)) == 2


def test_formulas_and_markup_are_kept_as_text_never_evaluated(province_file, tmp_path):
    rows = [[1, "X", '=HYPERLINK("http://evil.example","bấm")', "Hàn Quốc",
             "<script>alert(1)</script>", "KCN Thử nghiệm", 2, None, "01/02/2020", None,
             "đang hoạt động", None]]
    path = project_register(tmp_path / "hostile.xlsx", rows)
    result = import_register(path, province_file)
    tenants = read_plan(province_file).tenants.set_index("project_id")
    assert tenants.loc[result.added[0], "investor"] == '=HYPERLINK("http://evil.example","bấm")'
    assert tenants.loc[result.added[0], "sector"] == "<script>alert(1)</script>"

    # A formula where a number belongs is refused, not computed.
    rows[0][6] = "=1000*1000"
    with pytest.raises(RegisterError, match=r"row 5, column G .*formula \(=1000\*1000\)"):
        import_register(project_register(tmp_path / "formula.xlsx", rows), province_file,
                        lang="en")


def test_a_round_trip_through_the_excel_export_stays_text(province_file, tmp_path):
    rows = [[1, "X", '=HYPERLINK("http://evil.example")', "Hàn Quốc", "electronics",
             "KCN Thử nghiệm", 2, None, "01/02/2020", None, "đang hoạt động", None]]
    first = import_register(project_register(tmp_path / "in.xlsx", rows), province_file)
    pid = first.added[0]
    out = tmp_path / "export.xlsx"
    export_register(province_file, out, "projects")
    sheet = openpyxl.load_workbook(out)["danh mục dự án"]
    cell = next(c for row in sheet.iter_rows() for c in row if "HYPERLINK" in str(c.value))
    assert cell.data_type == "s" and cell.value.startswith("'=")  # neutralised in the export

    again = import_register(out, province_file)
    assert again.added == () and pid in again.updated
    after = read_plan(province_file).tenants.set_index("project_id")
    assert after.loc[pid, "investor"] == '=HYPERLINK("http://evil.example")'  # not "'=..."
    assert after.loc[pid, "registered_capital_usd"] == 2_000_000.0


def park_list(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "KCN"
    ws["A1"] = "DANH SÁCH CÁC KHU CÔNG NGHIỆP"
    ws.merge_cells("A1:G1")
    ws.append([])
    ws.append(["Mã KCN", "Tên khu công nghiệp", "Diện tích quy hoạch (ha)",
               "Diện tích đất công nghiệp (m2)", "Chủ đầu tư hạ tầng", "Số quyết định thành lập",
               "Ngày thành lập"])
    ws.append(["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"])
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def test_a_park_list_updates_the_parks_in_the_file(province_file, tmp_path):
    path = park_list(tmp_path / "kcn.xlsx", [
        ["P1", "KCN Thử nghiệm", "2,5", "20.000", "Công ty CP Hạ tầng Thử", "12/QĐ-UBND",
         dt.datetime(2010, 5, 4)]])
    result = import_register(path, province_file, "parks")

    assert result.written and result.updated == ("P1",) and result.header_rows == (3,)
    park = read_plan(province_file).parks.iloc[0]
    assert park["planned_area_ha"] == 2.5 and park["leasable_area_ha"] == 2.0
    assert park["developer"] == "Công ty CP Hạ tầng Thử"
    assert park["decision_no"] == "12/QĐ-UBND"
    assert park["decision_date"] == pd.Timestamp(2010, 5, 4)


def test_a_park_not_in_the_file_is_refused(province_file, tmp_path, sha256):
    path = park_list(tmp_path / "kcn.xlsx", [["P9", "KCN Mới", 100, None, None, None,
                                              "1/1/2024"]])
    before = sha256(province_file)
    with pytest.raises(RegisterError, match=r"row 5, column A \(Mã KCN\): park 'P9' is not "
                       r"in the province file yet: import its boundary first"):
        import_register(path, province_file, "parks", lang="en")
    assert sha256(province_file) == before


def test_an_explicit_column_map_wins_and_states_units(province_file, tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["Doanh nghiệp FDI", "Nước", "Lĩnh vực", "Mã KCN", "Vốn", "Tình trạng"])
    ws.append(["Zeta Motors", "Đức", "auto_parts", "P1", "1,5", "hoạt động"])
    path = tmp_path / "map.xlsx"
    book.save(path)

    with pytest.raises(RegisterError, match="no column gives Investor|column E"):
        import_register(path, province_file, lang="en")
    result = import_register(path, province_file, columns="Doanh nghiệp FDI=investor,"
                             "Nước=country,E=registered_capital_usd:triệu USD")
    new = read_plan(province_file).tenants.set_index("project_id").loc[result.added[0]]
    assert (new["investor"], new["country"], new["registered_capital_usd"]) == \
        ("Zeta Motors", "DE", 1_500_000.0)
    with pytest.raises(RegisterError, match="'capital' is not a field"):
        import_register(path, province_file, columns={"Vốn": "capital"}, lang="en")


def test_cli_exit_codes_and_messages_in_both_languages(province_file, tmp_path, register,
                                                      sha256, capsys):
    bad = project_register(tmp_path / "so_loi.xlsx", BAD_ROWS)
    before = sha256(province_file)
    args = [str(bad), str(province_file), "--kind", "projects", "--usd-rate", "25400"]

    assert main(["import-register", *args, "--lang", "vi"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kcn-gis import-register: ") and len(err.strip().splitlines()) == 1
    assert "trang tính 'Dự án', dòng 5, cột G" in err and "tổng cộng 5 lỗi" in err
    assert main(["import-register", *args, "--lang", "en"]) == 2
    assert "sheet 'Dự án', row 5, column G" in capsys.readouterr().err
    assert main(["import-register", *args, "--dry-run", "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("dry run, nothing written") and "5 problem(s):" in out
    assert sha256(province_file) == before

    assert main(["import-register", str(register), str(province_file), "--usd-rate",
                 "25400"]) == 0
    out = capsys.readouterr().out
    assert "danh mục dự án: thêm 2, cập nhật 0" in out and "25.400 đồng/USD" in out
    assert main(["import-register", str(tmp_path / "none.xlsx"), str(province_file),
                 "--lang", "en"]) == 2
    assert "none.xlsx: no such file" in capsys.readouterr().err


@pytest.mark.parametrize(("kind", "lang"), [("projects", "vi"), ("parks", "en")])
def test_an_exported_register_reads_back_without_a_change(province_file, tmp_path, kind, lang,
                                                         capsys):
    start_history(province_file, Basis.imported("survey_2011.dxf", "Nguyễn Văn A"),
                  "2011-01-01")
    before = read_plan(province_file)
    out = tmp_path / f"{kind}.xlsx"
    assert main(["export-register", str(province_file), str(out), "--kind", kind,
                 "--lang", lang]) == 0
    assert str(out) in capsys.readouterr().out

    result = import_register(out, province_file, kind)

    ids = before.tenants["project_id"] if kind == "projects" else before.parks["park_code"]
    assert result.added == () and result.updated == tuple(ids)
    assert result.written and result.change_id is None  # the same plan: nothing to record
    after = read_plan(province_file)
    pd.testing.assert_frame_equal(after.tenants, before.tenants)
    pd.testing.assert_frame_equal(after.tenant_plots, before.tenant_plots)
    pd.testing.assert_frame_equal(after.parks, before.parks)
    assert len(changes(province_file)) == 1


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_section_rows_name_the_park_and_unkept_columns_are_named(province_file, tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "2024"
    # Typed with decomposed diacritics (as some input methods do) and in capitals.
    ws.append(["Số TT", "Nhà đầu tư", nfd("QUỐC GIA"), "Lĩnh vực", "Vốn đăng ký (triệu USD)",
               "Diện tích thuê (ha)", "Số lô", "Tình trạng"])
    ws.append(["I. KCN Thử nghiệm"])  # a section row: the park of the rows under it
    ws.append([1, "Eta Textiles", nfd("TRUNG QUỐC"), "textiles", 3, 0.5, "a3",
               nfd("Đang hoạt động")])
    path = tmp_path / "sections.xlsx"
    book.save(path)

    result = import_register(path, province_file, lang="en")

    new = read_plan(province_file).tenants.set_index("project_id").loc[result.added[0]]
    assert (new["park_code"], new["country"], new["registered_capital_usd"]) == \
        ("P1", "CN", 3_000_000.0)
    assert "columns recognised but not kept (the schema has no place for them): F (Diện " \
           "tích thuê (ha))" in result.summary()


def test_a_plot_of_another_project_is_refused(province_file, tmp_path, sha256):
    rows = [[1, "X", "Theta", "Singapore", "logistics", "KCN Thử nghiệm", 1, None,
             "01/01/2024", "A1", "đang xây dựng", None]]
    path = project_register(tmp_path / "taken.xlsx", rows)
    before = sha256(province_file)
    with pytest.raises(RegisterError, match=r"row 5, column J \(Số lô\): plot A1 is occupied "
                       r"by project T1"):
        import_register(path, province_file, lang="en")
    assert sha256(province_file) == before


def test_a_sheet_without_a_register_header_is_named(province_file, tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Ghi chú"
    book.active.append(["Báo cáo quý", "không có bảng"])
    book.create_sheet("Dự án").append(["Nhà đầu tư", "Mã KCN", "Quốc gia"])
    path = tmp_path / "two_sheets.xlsx"
    book.save(path)

    with pytest.raises(RegisterError, match=r"sheet 'Ghi chú': no header of a project register"):
        import_register(path, province_file, sheet="Ghi chú", lang="en")
    with pytest.raises(RegisterError, match=r"no sheet 'KCN' \(sheets: Ghi chú, Dự án\)"):
        import_register(path, province_file, sheet="KCN", lang="en")
    # Without --sheet, the first sheet whose header is recognised: here it has no rows.
    with pytest.raises(RegisterError, match=r"sheet 'Dự án': no data rows under the header"):
        import_register(path, province_file, lang="en")


@pytest.mark.parametrize("name", ["so_du_an.xls", "so_du_an.csv", "so_du_an.xlsx"])
def test_a_file_that_is_not_a_workbook_is_named(province_file, tmp_path, name, capsys):
    path = tmp_path / name
    path.write_bytes(b"Ten du an;Nha dau tu\nA;B\n")
    assert main(["import-register", str(path), str(province_file), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert f"{path}: cannot be read as an Excel workbook (.xlsx)" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_header_cell_merged_only_for_the_layout_keeps_a_one_row_header(province_file,
                                                                         tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["Mã KCN", "Nhà đầu tư", None, "Quốc gia", "Ngành nghề", "Tình trạng"])
    ws.merge_cells("B1:C1")  # a wide cell, not a group: no sub-headers under it
    ws.append(["P1", "Iota Paper", None, "Thái Lan", "paper", "đang xây dựng"])
    path = tmp_path / "wide.xlsx"
    book.save(path)

    result = import_register(path, province_file, columns="mã kcn=park_code,nhà ĐẦU TƯ=investor")

    assert result.header_rows == (1,) and result.rows == 1
    new = read_plan(province_file).tenants.set_index("project_id").loc[result.added[0]]
    assert (new["investor"], new["country"]) == ("Iota Paper", "TH")


def test_a_project_moved_off_its_plots_is_checked_against_their_status(province_file,
                                                                        tmp_path):
    # T2 (on A4) moves to A3 in the register: A4 stays 'leased' without a project, a rule
    # the import names at T2's row; listed twice in one cell, A3 is linked once.
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["Mã dự án", "Mã KCN", "Số lô"])
    ws.append(["T2", "P1", "A3; A3"])
    path = tmp_path / "move.xlsx"
    book.save(path)

    result = import_register(path, province_file, dry_run=True, lang="en")

    assert [(p.row, p.column) for p in result.problems] == [(2, None)]
    assert "A4" in result.problems[0].message
    assert result.plots_linked == 1


def test_a_stray_cell_at_the_end_of_the_sheet_does_not_make_the_import_crawl(province_file,
                                                                          tmp_path):
    # A space typed in the sheet's last cell makes the used range 1,048,576 × 16,384 cells:
    # reading only the cells the file holds keeps this to a fraction of a second.
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["Mã dự án", "Mã KCN", "Nhà đầu tư"])
    ws.append(["T1", "P1", "Alpha Electronics JSC"])
    ws.cell(1_048_576, 16_384).value = " "
    path = tmp_path / "far.xlsx"
    book.save(path)

    started = time.perf_counter()
    result = import_register(path, province_file)

    assert time.perf_counter() - started < 30
    assert result.updated == ("T1",) and result.rows == 1
    tenants = read_plan(province_file).tenants.set_index("project_id")
    assert tenants.loc["T1", "investor"] == "Alpha Electronics JSC"
