"""Import a board's registers kept in Excel: the project register and the park list.

Boards keep their registers as ``.xlsx`` workbooks made for people: a title row, a header of one
to three rows with merged group cells ("Vốn đầu tư" over "USD" and "VND"), Vietnamese headers
written a dozen ways, dates as ``dd/mm/yyyy`` text or as date cells, amounts in tỷ đồng, triệu
USD or đồng. :func:`import_register` finds the header block, recognises the usual headers
(ignoring case, diacritics and spacing; an explicit column map wins), reads every row and either
names each problem by file, sheet, Excel row and column letter, or writes the whole register in
one atomic step (recorded as a change where the province keeps a plan history). Amounts are kept
in USD (the schema's unit): VND is converted at the exchange rate the caller states, and that
rate is kept in the result and in the change's basis.

A cell holding a formula (``=HYPERLINK(...)``) is read as its text, never evaluated: a text
column keeps it as text (exports neutralise it again, :mod:`gis_app.spreadsheet`), a number or
date column refuses it. Text our own exports neutralised (a leading ``'``) reads back as it was.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import pandas as pd

from ..errors import ImportDataError, listing, shorten
from ..formatting import number as format_number
from ..history.model import Basis
from ..history.record import current_user
from ..history.write import write_plan
from ..i18n import has, label, t
from ..model.plan import Plan, coerce
from ..model.schema import (
    PARK_STATUSES,
    PROJECT_STATUSES,
    PROJECT_TYPES,
    SCHEMAS,
)
from ..progress import Progress, notify, offset
from ..registry import file_province
from ..rules.validate import check_plan
from ..spreadsheet import FORMULA_STARTS
from ..storage import source as sources
from .survey_values import known_values, normalise

Kind = Literal["projects", "parks"]
KINDS: tuple[str, ...] = ("projects", "parks")

#: Rows searched for the header block (titles and notes may precede it).
HEADER_SCAN_ROWS = 30
#: Rows a header block may span (a title is not part of it).
MAX_HEADER_ROWS = 3
#: Rows read between two progress reports (a register has up to some ten thousand rows).
ROW_CHUNK = 200
#: Steps of an import besides its rows: workbook and plan read, rows applied, plan checked,
#: written (each reported to ``progress``).
REGISTER_STEPS = 4


# --- units ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Unit:
    """What a column's numbers are counted in: ``factor`` of the base unit (USD, VND, ha)."""

    base: str  #: ``USD``, ``VND`` or ``ha``
    factor: float


#: Unit phrases (normalised) -> unit. A phrase may stand alone ("USD" under "Vốn đầu tư"),
#: in parentheses ("(tỷ đồng)") or end a header ("Vốn đăng ký triệu USD").
UNITS: dict[str, Unit] = {
    "trieu usd": Unit("USD", 1e6), "tr usd": Unit("USD", 1e6), "musd": Unit("USD", 1e6),
    "million usd": Unit("USD", 1e6), "usd million": Unit("USD", 1e6),
    "nghin usd": Unit("USD", 1e3), "ngan usd": Unit("USD", 1e3), "usd": Unit("USD", 1.0),
    "ty dong": Unit("VND", 1e9), "ty vnd": Unit("VND", 1e9), "ty d": Unit("VND", 1e9),
    "trieu dong": Unit("VND", 1e6), "trieu vnd": Unit("VND", 1e6), "tr d": Unit("VND", 1e6),
    "nghin dong": Unit("VND", 1e3), "ngan dong": Unit("VND", 1e3), "nghin vnd": Unit("VND", 1e3),
    "dong": Unit("VND", 1.0), "vnd": Unit("VND", 1.0), "d": Unit("VND", 1.0),
    "ha": Unit("ha", 1.0), "hecta": Unit("ha", 1.0), "m2": Unit("ha", 1e-4),
}
#: Unit phrases that may end a header without parentheses ("đồng" alone may not: "lao động").
_SUFFIX_UNITS = tuple(sorted((p for p in UNITS if " " in p or p in ("usd", "vnd", "ha", "m2")),
                             key=len, reverse=True))


# --- fields a register may carry -----------------------------------------------------------

#: Field -> what its cells hold: text, a code, an amount (money), an area, a date, a count,
#: a year, a list of plot codes, or nothing kept (recognised, but the schema has no column).
FieldKind = Literal["text", "code", "money", "area", "date", "int", "year", "plots", "country",
                    "skip"]


@dataclass(frozen=True)
class Field:
    name: str
    kind: FieldKind
    phrases: tuple[str, ...]  #: headers that mean it (compared normalised, unit left out)
    choices: tuple[str, ...] = ()


_PROJECT_FIELDS = (
    Field("project_id", "text", ("mã dự án", "mã số dự án", "mã da", "id dự án", "project id",
                                 "số gcnđkđt", "số gcn đkđt", "số giấy chứng nhận đăng ký đầu tư",
                                 "số gcnđt", "mã số gcnđkđt")),
    Field("name", "skip", ("tên dự án", "dự án", "tên dự án đầu tư", "project", "project name",
                           "mục tiêu dự án")),
    Field("park_code", "text", ("mã kcn", "mã khu công nghiệp", "park code", "mã kcn ccn")),
    Field("park_name", "text", ("tên kcn", "kcn", "khu công nghiệp", "tên khu công nghiệp",
                                "địa điểm", "địa điểm thực hiện dự án", "park", "nằm trong kcn")),
    Field("project_type", "code", ("loại dự án", "loại hình dự án", "loại hình"),
          PROJECT_TYPES),
    Field("investor", "text", ("nhà đầu tư", "tên nhà đầu tư", "chủ đầu tư", "doanh nghiệp",
                               "tên doanh nghiệp", "investor", "công ty", "tên công ty")),
    Field("country", "country", ("quốc gia", "quốc tịch", "quốc gia vùng lãnh thổ",
                                 "quốc tịch nhà đầu tư", "nước đầu tư", "country", "đối tác")),
    Field("sector", "text", ("ngành nghề", "lĩnh vực", "ngành", "ngành nghề kinh doanh",
                             "lĩnh vực đầu tư", "lĩnh vực hoạt động", "sector")),
    Field("registered_capital_usd", "money", (
        "vốn đăng ký", "tổng vốn đăng ký", "vốn đầu tư đăng ký", "vốn đầu tư", "tổng vốn đầu tư",
        "vốn đầu tư theo gcnđkđt", "vốn đầu tư đăng ký", "vốn đăng ký đầu tư",
        "registered capital")),
    Field("realised_capital_usd", "money", (
        "vốn thực hiện", "vốn đã thực hiện", "vốn đầu tư thực hiện", "vốn đầu tư đã thực hiện",
        "vốn giải ngân", "vốn đã giải ngân", "lũy kế vốn thực hiện", "vốn đầu tư thực hiện",
        "realised capital")),
    Field("lease_start", "date", (
        "ngày cấp gcnđkđt", "ngày cấp gcn đkđt", "ngày cấp", "ngày cấp gcnđt",
        "ngày cấp giấy chứng nhận đăng ký đầu tư", "ngày cấp gcnđkđt lần đầu", "ngày thuê đất",
        "ngày bắt đầu thuê", "ngày ký hợp đồng thuê đất", "lease start")),
    Field("lease_end", "date", ("ngày hết hạn", "ngày kết thúc thuê", "ngày hết hạn thuê đất",
                                "thời hạn thuê đến", "ngày hết hạn dự án", "lease end")),
    Field("project_status", "code", ("tình trạng", "tình trạng hoạt động", "trạng thái",
                                     "tình hình hoạt động", "hiện trạng", "tình trạng dự án",
                                     "status"), PROJECT_STATUSES),
    Field("employees", "int", ("lao động", "số lao động", "lao động người", "số lao động người",
                               "employees")),
    Field("revenue_usd", "money", ("doanh thu", "doanh thu năm", "revenue")),
    Field("exports_usd", "money", ("kim ngạch xuất khẩu", "xuất khẩu", "giá trị xuất khẩu",
                                   "exports")),
    Field("budget_contribution_usd", "money", ("nộp ngân sách", "nộp ngân sách nhà nước",
                                               "đóng góp ngân sách", "nộp nsnn")),
    Field("reporting_year", "year", ("năm báo cáo", "reporting year")),
    Field("plots", "plots", ("số lô", "lô đất", "mã lô", "lô số", "vị trí lô", "lô", "plots",
                             "plot code")),
    Field("leased_area_ha", "skip", ("diện tích thuê", "diện tích đất thuê", "diện tích",
                                     "diện tích sử dụng đất", "leased area")),
    Field("row_number", "skip", ("stt", "số tt", "tt", "số thứ tự")),
    Field("note", "skip", ("ghi chú", "note", "notes")),
)

_PARK_FIELDS = (
    Field("park_code", "text", ("mã kcn", "mã khu công nghiệp", "mã số", "park code")),
    Field("name_vi", "text", ("tên kcn", "tên khu công nghiệp", "khu công nghiệp", "kcn", "tên",
                              "name")),
    Field("name_en", "text", ("tên tiếng anh", "tên tiếng anh kcn", "english name")),
    Field("legacy_province", "text", ("tỉnh cũ", "tỉnh trước sáp nhập", "địa bàn tỉnh cũ",
                                      "legacy province")),
    Field("status", "code", ("tình trạng", "trạng thái", "hiện trạng", "tình trạng hoạt động",
                             "tình hình hoạt động", "status"), PARK_STATUSES),
    Field("planned_area_ha", "area", ("diện tích quy hoạch", "diện tích theo quy hoạch",
                                      "quy hoạch", "planned area")),
    Field("established_area_ha", "area", ("diện tích thành lập", "diện tích đã thành lập",
                                          "diện tích theo quyết định thành lập", "thành lập",
                                          "established area")),
    Field("leasable_area_ha", "area", ("diện tích đất công nghiệp",
                                       "diện tích đất công nghiệp có thể cho thuê",
                                       "diện tích có thể cho thuê", "diện tích đất cho thuê",
                                       "đất công nghiệp", "leasable area")),
    Field("cleared_area_ha", "area", ("diện tích đã gpmb", "diện tích đã giải phóng mặt bằng",
                                      "đã gpmb", "cleared area")),
    Field("developer", "text", ("chủ đầu tư hạ tầng", "chủ đầu tư", "nhà đầu tư hạ tầng",
                                "doanh nghiệp hạ tầng", "công ty hạ tầng", "developer")),
    Field("decision_no", "text", ("số quyết định", "quyết định thành lập", "số qđ",
                                  "số quyết định thành lập", "quyết định")),
    Field("decision_date", "date", ("ngày quyết định", "ngày ban hành", "ngày qđ",
                                    "ngày quyết định thành lập", "ngày thành lập")),
    Field("established_year", "year", ("năm thành lập",)),
    Field("province", "skip", ("tỉnh", "tỉnh thành phố", "province")),
    Field("leased_area_ha", "skip", ("diện tích đã cho thuê", "đã cho thuê", "leased area")),
    Field("occupancy", "skip", ("tỷ lệ lấp đầy", "occupancy")),
    Field("row_number", "skip", ("stt", "số tt", "tt", "số thứ tự")),
    Field("note", "skip", ("ghi chú", "note", "notes")),
)

FIELDS: dict[str, tuple[Field, ...]] = {"projects": _PROJECT_FIELDS, "parks": _PARK_FIELDS}
#: Recognised columns the schema has no place for (the project's name, a leased area the
#: plots already measure, an occupancy the analytics compute): read, named, not kept.
NOT_KEPT = frozenset(f.name for fs in FIELDS.values() for f in fs
                     if f.kind == "skip" and f.name != "row_number")

#: Countries as registers name them -> the ISO 3166 code the schema keeps (``KR``).
COUNTRIES: dict[str, str] = {
    "hàn quốc": "KR", "korea": "KR", "south korea": "KR", "nhật bản": "JP", "japan": "JP",
    "trung quốc": "CN", "china": "CN", "đài loan": "TW", "taiwan": "TW",
    "hồng kông": "HK", "hong kong": "HK", "singapore": "SG", "hoa kỳ": "US", "mỹ": "US",
    "usa": "US", "united states": "US", "việt nam": "VN", "vietnam": "VN", "thái lan": "TH",
    "thailand": "TH", "malaysia": "MY", "đức": "DE", "germany": "DE", "pháp": "FR",
    "france": "FR", "anh": "GB", "vương quốc anh": "GB", "united kingdom": "GB",
    "hà lan": "NL", "netherlands": "NL", "ấn độ": "IN", "india": "IN", "úc": "AU",
    "australia": "AU", "canada": "CA", "quần đảo virgin thuộc anh": "VG", "bvi": "VG",
    "samoa": "WS", "indonesia": "ID", "philippines": "PH", "thụy sĩ": "CH",
    "thụy điển": "SE", "đan mạch": "DK", "italia": "IT", "ý": "IT", "tây ban nha": "ES",
    "bỉ": "BE", "nga": "RU", "luxembourg": "LU", "cayman": "KY", "quần đảo cayman": "KY",
}


#: The fields :func:`export_register` writes, in order (headers: ``register.header.<field>``).
EXPORT_FIELDS: dict[str, tuple[str, ...]] = {
    "projects": ("project_id", "park_code", "investor", "country", "sector", "project_type",
                 "registered_capital_usd", "realised_capital_usd", "lease_start", "lease_end",
                 "project_status", "employees", "revenue_usd", "exports_usd",
                 "budget_contribution_usd", "reporting_year", "plots"),
    "parks": ("park_code", "name_vi", "name_en", "legacy_province", "status",
              "planned_area_ha", "established_area_ha", "leasable_area_ha", "cleared_area_ha",
              "developer", "decision_no", "decision_date", "established_year"),
}


def _country_codes() -> dict[str, str]:
    """:data:`COUNTRIES` by normalised name (``Nhat Ban``, decomposed Unicode, ``HÀN QUỐC``)."""
    return {normalise(name): code for name, code in COUNTRIES.items()}


# --- results -------------------------------------------------------------------------------

@dataclass(frozen=True)
class RegisterProblem:
    """One problem of a register, where a person finds it in Excel."""

    file: str
    sheet: str
    row: int | None  #: Excel's row number (None: the whole sheet)
    column: str | None  #: Excel's column letter (None: the whole row)
    header: str | None  #: the column's header as written
    message: str  #: what is wrong, in the caller's language

    def text(self, lang: str) -> str:
        values = {"file": self.file, "sheet": shorten(self.sheet), "problem": self.message}
        if self.row is None and self.column is not None:
            return t("register.at_column", lang, column=self.column,
                     header=shorten(self.header or ""), **values)
        if self.row is None:
            return t("register.at_sheet", lang, **values)
        if self.column is None:
            return t("register.at_row", lang, row=self.row, **values)
        return t("register.at_cell", lang, row=self.row, column=self.column,
                 header=shorten(self.header or ""), **values)


class RegisterError(ImportDataError):
    """A register cannot be imported; ``problems`` lists every problem found (nothing was
    written)."""

    def __init__(self, message: str, problems: Sequence[RegisterProblem] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems)


@dataclass(frozen=True)
class RegisterResult:
    """What a register import did (or, for a dry run, would do)."""

    source: str  #: the workbook
    sheet: str  #: the sheet read
    target: str  #: the province file or database
    kind: str  #: ``projects`` or ``parks``
    header_rows: tuple[int, ...]  #: Excel rows of the header block
    columns: tuple[tuple[str, str, str], ...]  #: (column letter, header, field) used
    unknown_columns: tuple[tuple[str, str], ...]  #: (column letter, header) not recognised
    rows: int  #: data rows read
    added: tuple[str, ...]  #: ids (project_id / park_code) added
    updated: tuple[str, ...]  #: ids updated
    plots_linked: int  #: plot links written (projects)
    plots_leased: tuple[str, ...]  #: plots whose status became ``leased`` (projects)
    usd_rate: float | None  #: VND per USD used (None: no conversion was needed)
    problems: tuple[RegisterProblem, ...]
    written: bool
    change_id: str | None = None  #: the change recorded in the plan history, if any
    lang: str = "vi"

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self, lang: str | None = None, limit: int | None = None) -> str:
        """The result for a person, in ``lang`` (default: the import's language)."""
        lang = lang or self.lang
        key = "register.summary_written" if self.written else "register.summary_dry"
        lines = [t(key, lang, kind=t(f"register.kind_{self.kind}", lang),
                   added=len(self.added), updated=len(self.updated), rows=self.rows,
                   file=self.source, sheet=shorten(self.sheet), target=self.target)]
        if self.kind == "projects":
            lines.append(t("register.summary_plots", lang, links=self.plots_linked,
                           leased=len(self.plots_leased)))
        if self.usd_rate is not None:
            lines.append(t("register.summary_rate", lang,
                           rate=format_number(self.usd_rate, lang, 0)))
        kept_out = [f"{letter} ({header})" for letter, header, name in self.columns
                    if name in NOT_KEPT]
        if kept_out:
            lines.append(t("register.summary_not_kept", lang, columns=listing(kept_out)))
        if self.unknown_columns:
            lines.append(t("register.summary_unknown", lang, columns=listing(
                f"{letter} ({header})" for letter, header in self.unknown_columns)))
        if self.change_id:
            lines.append(t("register.summary_change", lang, change=self.change_id))
        if self.problems:
            lines.append(t("register.problems", lang, n=len(self.problems)))
            shown = self.problems if limit is None else self.problems[:limit]
            lines += [f"- {p.text(lang)}" for p in shown]
            if len(shown) < len(self.problems):
                lines.append(t("register.more", lang, n=len(self.problems) - len(shown)))
        elif not self.written:
            lines.append(t("register.no_problems", lang))
        return "\n".join(lines)


# --- reading the workbook ------------------------------------------------------------------

@dataclass
class _Sheet:
    """The cells of one sheet as values (merged cells spread over their range for the
    header), with formulas kept as their text and marked."""

    name: str
    values: dict[tuple[int, int], object]  #: (row, column) -> value, 1-based like Excel
    formulas: set[tuple[int, int]]
    merged: list[tuple[int, int, int, int]]  #: (min_row, min_col, max_row, max_col)
    max_row: int
    max_col: int

    def header_value(self, row: int, col: int) -> object:
        """The value shown at a cell: a merged range's value fills the whole range."""
        for r0, c0, r1, c1 in self.merged:
            if r0 <= row <= r1 and c0 <= col <= c1:
                return self.values.get((r0, c0))
        return self.values.get((row, col))


def _load(path: Path, lang: str) -> list[_Sheet]:
    """Every sheet of the workbook (formulas as text, never evaluated)."""
    import warnings

    import openpyxl

    if not path.is_file():
        raise RegisterError(t("register.no_file", lang, file=path))
    try:
        with warnings.catch_warnings():
            # openpyxl's notes on what it does not read (data validation, slicers) are not
            # problems of the register.
            warnings.simplefilter("ignore")
            # data_only=False: a formula is read as its text, not as a value Excel computed.
            book = openpyxl.load_workbook(path, data_only=False, read_only=False,
                                          keep_links=False)
    except Exception as exc:  # not a zip, not a workbook, an .xls, a damaged file
        raise RegisterError(t("register.unreadable", lang, file=path,
                              reason=shorten(exc, 200))) from exc
    sheets = []
    for ws in book.worksheets:
        values: dict[tuple[int, int], object] = {}
        formulas: set[tuple[int, int]] = set()
        # The cells the file holds (iter_rows would create every empty cell of the used
        # range: a sheet formatted down to row 1,048,576 would take minutes).
        stored = getattr(ws, "_cells", None)
        cells = stored.values() if isinstance(stored, dict) else \
            (c for row in ws.iter_rows() for c in row)
        for cell in cells:
            value = cell.value
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            if cell.data_type == "f" or not isinstance(
                    value, str | int | float | _dt.date | _dt.datetime | _dt.time | bool):
                formulas.add((cell.row, cell.column))
                value = str(getattr(value, "text", value))
            values[(cell.row, cell.column)] = value
        merged = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
        sheets.append(_Sheet(ws.title, values, formulas, merged, ws.max_row, ws.max_column))
    book.close()
    return sheets


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)


def _text(value: object) -> str:
    """A cell as text: ``15`` not ``15.0``; text our exports neutralised (``'=...``) as it was."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, _dt.datetime) and value.time() == _dt.time():
        return value.date().isoformat()
    text = " ".join(str(value).split()) if not isinstance(value, str) else value.strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


# --- the header ----------------------------------------------------------------------------

def _norm(text: str) -> str:
    return normalise(text)


def _split_unit(text: str) -> tuple[str, Unit | None]:
    """A header part without its unit, and the unit: "(triệu USD)", "USD", "... tỷ đồng"."""
    unit = None
    rest = text
    for inner in re.findall(r"\(([^()]*)\)", text):
        found = UNITS.get(_norm(inner))
        if found is None:
            # "(triệu USD/năm)", "(ha) (*)": the first unit phrase inside the parentheses.
            words = _norm(inner)
            found = next((UNITS[p] for p in _SUFFIX_UNITS if re.search(rf"\b{p}\b", words)),
                         None)
        unit = unit or found
    rest = re.sub(r"\([^()]*\)", " ", rest)
    words = _norm(rest)
    if words in UNITS:
        return "", unit or UNITS[words]
    for phrase in _SUFFIX_UNITS:
        if words.endswith(" " + phrase):
            return words[: -len(phrase) - 1], unit or UNITS[phrase]
    return words, unit


@dataclass(frozen=True)
class _Column:
    col: int
    letter: str
    header: str  #: as written, header rows joined by " / "
    field: str | None  #: the field it gives (None: not recognised)
    unit: Unit | None


def _phrase_table(kind: str) -> dict[str, str]:
    """Normalised header (unit left out) -> field: the usual wording, and the headers
    :func:`export_register` writes in either language."""
    table: dict[str, str] = {}
    for f in FIELDS[kind]:
        for phrase in (f.name, f.name.replace("_", " "), *f.phrases):
            table.setdefault(_norm(phrase), f.name)
    for name in EXPORT_FIELDS[kind]:
        for lang in ("vi", "en"):
            table.setdefault(_split_unit(t(f"register.header.{name}", lang))[0], name)
    return table


def _recognise(parts: list[str], kind: str) -> tuple[str | None, Unit | None]:
    """The field and unit of a column from its header parts (top to bottom): the whole
    header first, then its lower parts alone (a group "Thông tin dự án" over "Tên dự án")."""
    table = _phrase_table(kind)
    names, unit = [], None
    for part in parts:
        name, found = _split_unit(part)
        unit = found or unit
        if name:
            names.append(name)
    if not names:
        return None, unit
    for start in range(len(names)):
        found_field = table.get(" ".join(names[start:]))
        if found_field:
            return found_field, unit
    return None, unit


def _header_parts(sheet: _Sheet, rows: Iterable[int], col: int) -> list[str]:
    parts: list[str] = []
    for row in rows:
        value = sheet.header_value(row, col)
        if value is None:
            continue
        text = _text(value)
        if text and (not parts or parts[-1] != text):
            parts.append(text)
    return parts


def _title_row(sheet: _Sheet, row: int) -> bool:
    """A title ("DANH SÁCH DỰ ÁN ...") merged across the sheet's width."""
    return any(r0 == row and c1 - c0 + 1 >= max(3, sheet.max_col - 1)
               for r0, c0, r1, c1 in sheet.merged)


def _find_header(sheet: _Sheet, kind: str) -> tuple[int, int] | None:
    """(first, last) Excel rows of the header block, or None.

    The header starts at the first row (not a merged title) where at least two cells are
    recognised headers; it goes on over rows its merged cells span, and over the row under
    a group cell merged across columns (the "USD"/"VND" under "Vốn đầu tư").
    """
    table = _phrase_table(kind)
    last_row = min(sheet.max_row, HEADER_SCAN_ROWS)
    for row in range(1, last_row + 1):
        if _title_row(sheet, row):
            continue
        recognised = 0
        for col in range(1, sheet.max_col + 1):
            value = sheet.header_value(row, col)
            if isinstance(value, str) and _split_unit(value)[0] in table:
                recognised += 1
        if recognised < 2:
            continue
        end = row
        for r0, c0, r1, c1 in sheet.merged:
            if r0 == row and r1 > row:
                end = max(end, r1)
            if r0 == row and r1 == row and c1 > c0 and _sub_headers(sheet, row + 1, c0, c1):
                end = max(end, row + 1)  # a group cell: its sub-headers are the next row
        return row, min(end, row + MAX_HEADER_ROWS - 1)
    return None


def _sub_headers(sheet: _Sheet, row: int, first: int, last: int) -> bool:
    """Whether ``row`` holds the sub-headers of a group cell over columns ``first..last``
    ("USD" and "VND" under "Vốn đầu tư"): text in at least two of them, nothing else. A cell
    merged across columns only for the layout has one value under it (the first data row)."""
    under = [sheet.values.get((row, c)) for c in range(first, last + 1)]
    texts = [v for v in under if isinstance(v, str) and parse_number(v) is None
             and parse_date(v) is None]
    return len(texts) >= 2 and len(texts) == sum(v is not None for v in under)


def _column_numbers_row(sheet: _Sheet, row: int) -> bool:
    """The row of column numbers some registers put under the header: (1), (2), 3, ..."""
    cells = [sheet.values.get((row, c)) for c in range(1, sheet.max_col + 1)]
    filled = [c for c in cells if c is not None]
    if len(filled) < 2:
        return False
    return all(re.fullmatch(r"\(?\d{1,2}\)?(\s*=.*)?", _text(c)) for c in filled)


# --- the column map ------------------------------------------------------------------------

def _parse_column_map(columns: Mapping[str, str] | str | None, kind: str, lang: str
                      ) -> dict[str, tuple[str, Unit | None]]:
    """``{"Tên dự án": "name", "E": "registered_capital_usd:triệu USD"}`` or the text
    ``"Tên dự án=name,E=registered_capital_usd:triệu USD"`` -> header (or column letter) ->
    (field or ``-``, unit)."""
    if not columns:
        return {}
    if isinstance(columns, str):
        pairs: dict[str, str] = {}
        for item in columns.split(","):
            if not item.strip():
                continue
            header, sep, target = item.partition("=")
            if not sep or not header.strip() or not target.strip():
                raise RegisterError(t("register.columns_syntax", lang, pair=shorten(item)))
            pairs[header.strip()] = target.strip()
        columns = pairs
    fields = {f.name for f in FIELDS[kind]}
    out: dict[str, tuple[str, Unit | None]] = {}
    for header, target in columns.items():
        name, _, unit_text = target.partition(":")
        name = name.strip()
        if name not in fields and name not in ("-", "ignore"):
            raise RegisterError(t("register.columns_field", lang, pair=f"{header}={target}",
                                  field=shorten(name), kind=t(f"register.kind_{kind}", lang),
                                  fields=", ".join(sorted(fields))))
        unit = None
        if unit_text.strip():
            unit = UNITS.get(_norm(unit_text))
            if unit is None:
                raise RegisterError(t("register.columns_unit", lang, pair=f"{header}={target}",
                                      units="USD, triệu USD, VND, triệu đồng, tỷ đồng, ha, m2"))
        out[header.strip()] = ("-" if name == "ignore" else name, unit)
    return out


def _columns(sheet: _Sheet, kind: str, header: tuple[int, int],
             explicit: dict[str, tuple[str, Unit | None]], where: _Where
             ) -> list[_Column]:
    """Every column of the header block, with the field and unit it gives."""
    rows = range(header[0], header[1] + 1)
    out = []
    used: set[str] = set()
    previous: list[str] = []
    for col in range(1, sheet.max_col + 1):
        parts = _header_parts(sheet, rows, col)
        widened = parts == previous and any(r0 <= header[0] <= r1 and c0 < col <= c1
                                            for r0, c0, r1, c1 in sheet.merged)
        previous = parts
        if not parts or widened:  # no header, or the rest of a cell merged for width
            continue
        letter = _letter(col)
        text = " / ".join(parts)
        name, unit = _recognise(parts, kind)
        names = (_norm(text), _norm(parts[-1]))
        for key in explicit:
            # A header as written (any case, diacritics, spacing; the whole header or its
            # lowest row), or the column's letter.
            if key == letter or _norm(key) in names:
                given, given_unit = explicit[key]
                used.add(key)
                name, unit = (None if given == "-" else given), given_unit or unit
                break
        out.append(_Column(col, letter, text, name, unit))
    for key in explicit:
        if key not in used:
            where.fail(None, None, None, t("register.columns_header", where.lang,
                                           header=shorten(key), headers=listing(
                                               c.header for c in out)))
    return out


# --- cells ---------------------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?[\d.,]+")


def parse_number(text: str) -> float | None:
    """A number as Vietnamese registers write it: ``1.234,5`` (dot groups, comma decimals),
    and also ``1,234.5``, ``1234.5`` or ``12,5``; None when it is not a number.

    A single separator followed by exactly three digits groups thousands (``1.234`` is
    1234, as Vietnamese writes it); otherwise it is the decimal mark.

    >>> [parse_number(x) for x in ("1.234,5", "1,234.5", "12,5", "1.234", "1,2,3")]
    [1234.5, 1234.5, 12.5, 1234.0, None]
    """
    s = text.replace("\u00a0", "").replace(" ", "")
    if not _NUMBER.fullmatch(s) or not re.search(r"\d", s):
        return None
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        decimal = "," if s.rfind(",") > s.rfind(".") else "."
        group = "." if decimal == "," else ","
        if s.count(decimal) > 1:
            return None
        s = s.replace(group, "").replace(decimal, ".")
    elif dots or commas:
        mark = "." if dots else ","
        tail = s.rsplit(mark, 1)[1]
        if s.count(mark) > 1 or len(tail) == 3:
            groups = s.lstrip("+-").split(mark)
            if not all(len(g) == 3 for g in groups[1:]) or not groups[0]:
                return None
            s = s.replace(mark, "")
        else:
            s = s.replace(",", ".")
    try:
        value = float(s)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


_DATE = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_date(value: object) -> _dt.date | None:
    """A date cell, or text ``dd/mm/yyyy`` (also ``dd-mm-yyyy``, ``dd.mm.yyyy``, ISO
    ``yyyy-mm-dd``); None when it is not a valid date.

    >>> parse_date("05/03/2021"), parse_date("31/02/2021")
    (datetime.date(2021, 3, 5), None)
    """
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if found := _DATE.fullmatch(text):
            day, month, year = (int(g) for g in found.groups())
            return _dt.date(year, month, day)
        if found := _ISO.fullmatch(text[:10]) if len(text) in (10, 19) else None:
            year, month, day = (int(g) for g in found.groups())
            return _dt.date(year, month, day)
    except ValueError:
        return None
    return None


@dataclass
class _Where:
    """Collects problems of one sheet, each named by file, sheet, row and column."""

    file: str
    sheet: str
    lang: str
    problems: list[RegisterProblem] = field(default_factory=list)

    def fail(self, row: int | None, column: _Column | None, value: object, message: str
             ) -> None:
        self.problems.append(RegisterProblem(
            self.file, self.sheet, row, column.letter if column else None,
            column.header if column else None, message))


def _cell_value(sheet: _Sheet, row: int, column: _Column, fdef: Field, rate: float | None,
                where: _Where) -> object:
    """One cell as the schema stores it (None when empty or wrong; a problem is recorded)."""
    lang = where.lang
    value = sheet.values.get((row, column.col))
    if value is None:
        return None
    shown = shorten(_text(value), 60)
    formula = (row, column.col) in sheet.formulas
    if fdef.kind in ("text", "country", "plots", "code") and isinstance(value, bool):
        value = str(value)
    if fdef.kind == "text":
        return _text(value)
    if fdef.kind == "country":
        text = _text(value)
        return _country_codes().get(normalise(text), text)
    if fdef.kind == "plots":
        return [p for p in re.split(r"[,;\n]+", _text(value)) if p.strip()]
    if formula:
        where.fail(row, column, value, t("register.formula", lang, value=shown))
        return None
    if fdef.kind == "code":
        code = known_values(fdef.choices).get(normalise(_text(value)))
        if code is None:
            where.fail(row, column, value, t(
                "register.bad_code", lang, value=shown, field=label(fdef.name, lang),
                codes=", ".join(label(c, lang) for c in fdef.choices)))
        return code
    if fdef.kind == "date":
        found = parse_date(value)
        if found is None:
            where.fail(row, column, value, t("register.not_date", lang, value=shown))
            return None
        return pd.Timestamp(found)
    if isinstance(value, bool) or isinstance(value, _dt.date | _dt.time):
        where.fail(row, column, value, t("register.not_number", lang, value=shown))
        return None
    number = float(value) if isinstance(value, int | float) else parse_number(_text(value))
    if number is None or not math.isfinite(number):
        where.fail(row, column, value, t("register.not_number", lang, value=shown))
        return None
    if number < 0:
        where.fail(row, column, value, t("register.negative", lang, value=shown))
        return None
    if fdef.kind in ("int", "year"):
        if not float(number).is_integer():
            where.fail(row, column, value, t("register.not_integer", lang, value=shown))
            return None
        if fdef.kind == "year" and not 1900 <= number <= 2100:
            where.fail(row, column, value, t("register.not_year", lang, value=shown))
            return None
        return int(number)
    unit = column.unit
    if fdef.kind == "area":
        return number * (unit.factor if unit is not None and unit.base == "ha" else 1.0)
    # money: counted in USD or VND as the header (or the column map) says
    assert unit is not None  # checked per column before the rows are read
    amount = number * unit.factor
    if unit.base == "VND":
        assert rate is not None  # checked per column before the rows are read
        amount /= rate
    return round(amount, 2)


# --- building the plan ---------------------------------------------------------------------

@dataclass
class _Row:
    row: int
    values: dict[str, object]
    cells: dict[str, _Column]  #: field -> the column it came from (for messages)
    bad: set[str] = field(default_factory=set)  #: fields whose cell has a problem already


def _usable_columns(columns: list[_Column], kind: str, rate: float | None, where: _Where,
                    sheet: _Sheet, first: int) -> dict[str, list[_Column]]:
    """Field -> its columns (money: USD first, then VND); problems for money without a
    currency, VND without a rate, and two columns giving one field. A money column with no
    amount in it needs neither."""
    fields = {f.name: f for f in FIELDS[kind]}
    by_field: dict[str, list[_Column]] = {}
    for column in columns:
        if column.field is None or fields[column.field].kind == "skip":
            continue
        fdef = fields[column.field]
        if fdef.kind == "money" and not any(
                r >= first and c == column.col for r, c in sheet.values):
            continue
        if fdef.kind == "money":
            if column.unit is None or column.unit.base not in ("USD", "VND"):
                where.fail(None, column, None, t("register.no_currency", where.lang,
                                                 header=shorten(column.header)))
                continue
            if column.unit.base == "VND" and rate is None:
                where.fail(None, column, None, t("register.no_rate", where.lang))
                continue
        by_field.setdefault(column.field, []).append(column)
    for name, found in by_field.items():
        if fields[name].kind == "money":
            found.sort(key=lambda c: c.unit.base != "USD")  # type: ignore[union-attr]
            currencies = [c.unit.base for c in found]  # type: ignore[union-attr]
            if len(set(currencies)) == len(currencies):
                continue
        if len(found) > 1:
            where.fail(None, found[1], None, t("register.duplicate_column", where.lang,
                                               field=name, first=found[0].letter,
                                               second=found[1].letter))
    return by_field


def _data_rows(sheet: _Sheet, first: int) -> list[int]:
    """Numbers of the rows from ``first`` on holding a value: a sheet formatted down to row
    1,048,576 has few of them."""
    return sorted({r for r, _ in sheet.values if r >= first})


def _rows(sheet: _Sheet, kind: str, first: int, by_field: dict[str, list[_Column]],
          rate: float | None, where: _Where, park_of_section: _ParkNames,
          progress: Progress | None = None) -> list[_Row]:
    """The data rows: empty rows, total rows and section rows ("I. KCN Quang Châu", which
    name the park of the rows under them) are not projects. ``progress`` hears ``(rows
    read, rows)`` every :data:`ROW_CHUNK` rows."""
    fields = {f.name: f for f in FIELDS[kind]}
    rows: list[_Row] = []
    section_park: str | None = None
    numbers = _data_rows(sheet, first)
    for count, row in enumerate(numbers):
        if count % ROW_CHUNK == 0:
            notify(progress, count, len(numbers))
        filled = sorted(c for c in range(1, sheet.max_col + 1) if (row, c) in sheet.values)
        texts = [_norm(_text(sheet.values[(row, c)])) for c in filled[:3]]
        if any(x in ("tong cong", "tong", "cong", "total", "tong so") for x in texts):
            continue
        if len(filled) == 1 and isinstance(sheet.values[(row, filled[0])], str):
            section_park = park_of_section.match_section(_text(sheet.values[(row, filled[0])]))
            continue
        values: dict[str, object] = {}
        cells: dict[str, _Column] = {}
        bad: set[str] = set()
        for name, columns in by_field.items():
            for column in columns:
                known = len(where.problems)
                value = _cell_value(sheet, row, column, fields[name], rate, where)
                if len(where.problems) > known:
                    bad.add(name)
                if value is not None and value != [] and value != "":
                    values[name], cells[name] = value, column
                    break
            else:
                cells[name] = columns[0]
        if kind == "projects" and section_park and "park_code" not in values \
                and "park_name" not in values:
            values["park_code"] = section_park
        rows.append(_Row(row, values, cells, bad))
    notify(progress, len(numbers), len(numbers))
    return rows


class _ParkNames:
    """The province's parks by code and by name (normalised, without the ``KCN`` prefix)."""

    def __init__(self, parks: pd.DataFrame) -> None:
        self.codes = {str(c).upper(): str(c) for c in parks["park_code"]}
        self.names: dict[str, list[str]] = {}
        for code, vi, en in zip(parks["park_code"], parks["name_vi"], parks["name_en"],
                                strict=True):
            for name in (vi, en):
                if isinstance(name, str) and name.strip():
                    self.names.setdefault(self.key(name), []).append(str(code))

    @staticmethod
    def key(name: str) -> str:
        words = _norm(name)
        for prefix in ("khu cong nghiep ", "kcn ", "the "):
            words = words.removeprefix(prefix)
        return words.removesuffix(" industrial park").removesuffix(" ip")

    def code(self, text: str) -> str | None:
        return self.codes.get(text.strip().upper())

    def by_name(self, text: str) -> list[str]:
        return sorted(set(self.names.get(self.key(text), [])))

    def match_section(self, text: str) -> str | None:
        """The park a section row names ("I. KCN Quang Châu", "1 - KCN Yên Phong")."""
        stripped = re.sub(r"^\s*([IVXLC]+|\d+|[a-zA-Z])\s*[.)\-:]\s*", "", text)
        found = self.by_name(stripped)
        return found[0] if len(found) == 1 else self.code(stripped)


def _resolve_park(item: _Row, parks: _ParkNames, where: _Where) -> str | None:
    """The park code of a row, from its code or its park's name."""
    lang = where.lang
    code = item.values.get("park_code")
    if isinstance(code, str):
        found = parks.code(code)
        if found is None:
            where.fail(item.row, item.cells.get("park_code"), code, t(
                "register.unknown_park", lang, value=shorten(code),
                known=listing(parks.codes.values())))
        return found
    name = item.values.get("park_name")
    if isinstance(name, str):
        codes = parks.by_name(name)
        if len(codes) == 1:
            return codes[0]
        message = (t("register.ambiguous_park", lang, value=shorten(name), codes=", ".join(codes))
                   if codes else t("register.unknown_park", lang, value=shorten(name),
                                   known=listing(parks.codes.values())))
        where.fail(item.row, item.cells.get("park_name"), name, message)
    return None


def _required(item: _Row, names: Iterable[str], kind: str, where: _Where, missing: set[str]
              ) -> bool:
    """Whether a new feature's row has every required value (each missing one is named; a
    field no column gives is named once for the sheet, the first time a new row needs it)."""
    ok = True
    for name in names:
        if item.values.get(name) is None:
            column = item.cells.get(name)
            if column is None and name not in missing:
                missing.add(name)
                where.fail(None, None, None, t("register.missing_column", where.lang,
                                               field=label(name, where.lang), headers=listing(
                                                   sorted({c.header for c in
                                                           item.cells.values()}))))
            if column is None or name in item.bad:  # named already
                ok = False
                continue
            message = t("register.required", where.lang, field=label(name, where.lang),
                        kind=t(f"register.kind_{kind}", where.lang))
            where.fail(item.row, column, None, message)
            ok = False
    return ok


@dataclass
class _Change:
    """The layers as the register leaves them, and what it did."""

    layers: dict[str, pd.DataFrame]
    added: list[str]
    updated: list[str]
    rows_of: dict[tuple[str, str], int]  #: (layer, feature id) -> Excel row
    plots_linked: int = 0
    plots_leased: list[str] = field(default_factory=list)


def _apply_projects(plan: Plan, rows: list[_Row], where: _Where, has_id: bool) -> _Change:
    """The tenants, links and plots with the register's projects added or updated."""
    lang = where.lang
    schema = SCHEMAS["tenants"]
    tenants = plan.tenants.copy()
    links = plan.tenant_plots.copy()
    plots = plan.plots.copy()
    parks = _ParkNames(plan.parks)
    ids = tenants["project_id"].astype(str).tolist()
    position = {pid: i for i, pid in enumerate(ids)}
    plot_codes = {str(c): str(c) for c in plots["plot_code"]}
    plot_upper = {str(c).upper(): str(c) for c in plots["plot_code"]}
    plot_park = dict(zip(plots["plot_code"].astype(str), plots["park_code"].astype(str),
                         strict=True))
    holder = dict(zip(links["plot_code"].astype(str), links["project_id"].astype(str),
                      strict=True))
    change = _Change({}, [], [], {})
    new_rows: list[dict[str, object]] = []
    seen_ids: dict[str, int] = {}
    claimed: dict[str, tuple[int, str, _Column | None]] = {}
    relinked: dict[str, list[str]] = {}
    next_number: dict[str, int] = {}
    required = [c.name for c in schema.columns if c.required and c.name not in
                ("project_id", "park_code", "project_type")]
    missing: set[str] = set()  # required fields without a column, named once
    for item in rows:
        park = _resolve_park(item, parks, where)
        pid = item.values.get("project_id") if has_id else None
        if pid is None and not has_id and park is not None and "investor" in item.values:
            same = tenants.loc[tenants["park_code"].astype(str).eq(park).to_numpy()
                               & tenants["investor"].astype(str).map(_norm).eq(
                                   _norm(str(item.values["investor"]))).to_numpy(), "project_id"]
            if len(same) > 1:
                where.fail(item.row, item.cells.get("investor"), None, t(
                    "register.ambiguous_project", lang, investor=shorten(item.values["investor"]),
                    park=park, ids=", ".join(map(str, same))))
                continue
            pid = str(same.iloc[0]) if len(same) == 1 else None
        if pid is not None:
            pid = str(pid)
            if pid in seen_ids:
                where.fail(item.row, item.cells.get("project_id"), pid, t(
                    "register.duplicate_id", lang, value=shorten(pid), other=seen_ids[pid]))
                continue
            seen_ids[pid] = item.row
        existing = pid is not None and pid in position
        if not existing:
            if park is None and "park_code" not in item.values and "park_name" not in item.values:
                where.fail(item.row, item.cells.get("park_code") or item.cells.get("park_name"),
                           None, t("register.required", lang, field=label("park_code", lang),
                                   kind=t("register.kind_projects", lang)))
            if not _required(item, required, "projects", where, missing) or park is None:
                continue
            if pid is None:
                pid = _new_project_id(park, ids, next_number)
                ids.append(pid)
            record: dict[str, object] = {c: None for c in schema.column_names}
            record.update({k: v for k, v in item.values.items() if k in schema.column_names})
            record["project_id"], record["park_code"] = pid, park
            record.setdefault("project_type", None)
            if record["project_type"] is None:
                record["project_type"] = "secondary"  # a register of tenants: secondary projects
            new_rows.append(record)
            change.added.append(pid)
        else:
            assert pid is not None
            i = position[pid]
            for name, value in item.values.items():
                if name in schema.column_names and name != "project_id":
                    tenants.at[tenants.index[i], name] = value
            if park is not None:
                tenants.at[tenants.index[i], "park_code"] = park
            change.updated.append(pid)
        change.rows_of[("tenants", pid)] = item.row
        wanted = item.values.get("plots")
        if isinstance(wanted, list):
            codes = []
            for raw in wanted:
                code = _plot_code(raw.strip(), park, plot_codes, plot_upper)
                column = item.cells.get("plots")
                if code is None:
                    where.fail(item.row, column, raw, t("register.unknown_plot", lang,
                                                        value=shorten(raw.strip())))
                    continue
                if code in codes:  # written twice in one cell
                    continue
                if code in claimed and claimed[code][1] != pid:
                    where.fail(item.row, column, raw, t("register.plot_twice", lang,
                                                        value=code, other=claimed[code][0]))
                    continue
                if park is not None and plot_park[code] != park:
                    where.fail(item.row, column, raw, t("register.plot_other_park", lang,
                                                        value=code, park=plot_park[code],
                                                        project_park=park))
                    continue
                claimed[code] = (item.row, pid, column)
                codes.append(code)
                change.rows_of[("tenant_plots", code)] = item.row
                change.rows_of[("plots", code)] = item.row
            relinked[pid] = codes
            # The plots the project leaves: a rule they break names this row.
            for old, holder_id in holder.items():
                if holder_id == pid and old not in codes:
                    change.rows_of.setdefault(("plots", old), item.row)
    # Plots held by projects the register does not relink stay theirs.
    for code, (row, pid, column) in claimed.items():
        other = holder.get(code)
        if other is not None and other != pid and other not in relinked:
            where.fail(row, column, code, t("register.plot_taken", lang, value=code,
                                          project=other))
    if new_rows:
        added = pd.DataFrame(new_rows, columns=schema.column_names)
        tenants = pd.concat([tenants, added], ignore_index=True) if len(tenants) else added
    if relinked:
        keep = ~links["project_id"].astype(str).isin(list(relinked)).to_numpy()
        keep &= ~links["plot_code"].astype(str).isin(list(claimed)).to_numpy()
        fresh = pd.DataFrame([{"plot_code": code, "project_id": pid}
                              for pid, codes in relinked.items() for code in codes],
                             columns=["plot_code", "project_id"])
        links = pd.concat([links.loc[keep], fresh], ignore_index=True)
        change.plots_linked = len(fresh)
        status = plots["status"].astype(str)
        to_lease = plots["plot_code"].astype(str).isin(list(claimed)).to_numpy() & \
            status.ne("leased").to_numpy()
        change.plots_leased = sorted(plots.loc[to_lease, "plot_code"].astype(str))
        plots.loc[to_lease, "status"] = "leased"
    change.layers = {"tenants": coerce(tenants, schema),
                     "tenant_plots": coerce(links, SCHEMAS["tenant_plots"]),
                     "plots": coerce(plots, SCHEMAS["plots"])}
    return change


def _plot_code(raw: str, park: str | None, codes: dict[str, str], upper: dict[str, str]
               ) -> str | None:
    """A plot code as the register writes it: exact, ignoring case, or without the park
    prefix the province file adds (``A003`` of park ``BN01`` is ``BN01-A003``)."""
    for candidate in (raw, f"{park}-{raw}" if park else None):
        if candidate is None:
            continue
        if candidate in codes:
            return codes[candidate]
        if candidate.upper() in upper:
            return upper[candidate.upper()]
    return None


def _new_project_id(park: str, ids: list[str], next_number: dict[str, int]) -> str:
    """``BN01-DA007``: the park's next project number, as the province files number them."""
    if park not in next_number:
        numbers = [int(m.group(1)) for pid in ids
                   if (m := re.fullmatch(rf"{re.escape(park)}-DA(\d+)", pid))]
        next_number[park] = max(numbers, default=0) + 1
    number = next_number[park]
    next_number[park] += 1
    return f"{park}-DA{number:03d}"


def _apply_parks(plan: Plan, rows: list[_Row], where: _Where) -> _Change:
    """The parks layer with the park list's attributes (parks are matched by code or name;
    a park not in the file needs its boundary imported first)."""
    lang = where.lang
    parks = plan.parks.copy()
    names = _ParkNames(parks)
    schema = SCHEMAS["parks"]
    change = _Change({}, [], [], {})
    seen: dict[str, int] = {}
    for item in rows:
        code = None
        given = item.values.get("park_code")
        if isinstance(given, str):
            code = names.code(given)
        if code is None and isinstance(item.values.get("name_vi"), str):
            found = names.by_name(str(item.values["name_vi"]))
            code = found[0] if len(found) == 1 else None
        if code is None:
            shown = given if isinstance(given, str) else item.values.get("name_vi")
            column = item.cells.get("park_code") if isinstance(given, str) \
                else item.cells.get("name_vi")
            where.fail(item.row, column, shown, t("register.park_not_in_file", lang,
                                                  value=shorten(shown or "")))
            continue
        if code in seen:
            where.fail(item.row, item.cells.get("park_code") or item.cells.get("name_vi"), code,
                       t("register.duplicate_id", lang, value=code, other=seen[code]))
            continue
        seen[code] = item.row
        i = parks.index[parks["park_code"].astype(str).eq(code).to_numpy()][0]
        for name, value in item.values.items():
            if name in schema.column_names and name != "park_code":
                parks.at[i, name] = value
        change.updated.append(code)
        change.rows_of[("parks", code)] = item.row
    change.layers = {"parks": coerce(parks, schema)}
    return change


def _validation_problems(change: _Change, layers: dict[str, pd.DataFrame], target: str,
                         crs: str | None, where: _Where) -> None:
    """The province with the register, checked as a whole; problems of features the
    register wrote name their row."""
    report = check_plan(layers, target, crs)
    for problem in report.problems.itertuples(index=False):
        row = change.rows_of.get((str(problem.layer), str(problem.feature_id)))
        layer = t(f"layer.{problem.layer}", where.lang) if has(f"layer.{problem.layer}") \
            else str(problem.layer)
        feature = f" {shorten(problem.feature_id)}" if problem.feature_id else ""
        where.fail(row, None, None, f"{layer}{feature}: {label(str(problem.rule), where.lang)}"
                                    f": {shorten(problem.message, 300)}")


# --- the import ----------------------------------------------------------------------------

def _choose_sheet(sheets: list[_Sheet], name: str | None, kind: str, where: _Where
                  ) -> tuple[_Sheet, tuple[int, int]]:
    lang = where.lang
    if name is not None:
        chosen = [s for s in sheets if s.name == name] or \
            [s for s in sheets if _norm(s.name) == _norm(name)]
        if not chosen:
            raise RegisterError(t("register.no_sheet", lang, file=where.file,
                                  sheet=shorten(name), sheets=listing(s.name for s in sheets)))
        header = _find_header(chosen[0], kind)
        if header is None:
            raise RegisterError(t("register.no_header", lang, file=where.file,
                                  sheet=shorten(chosen[0].name), rows=HEADER_SCAN_ROWS,
                                  kind=t(f"register.kind_{kind}", lang)))
        return chosen[0], header
    for sheet in sheets:
        header = _find_header(sheet, kind)
        if header is not None:
            return sheet, header
    raise RegisterError(t("register.no_header_any", lang, file=where.file,
                          sheets=listing(s.name for s in sheets), rows=HEADER_SCAN_ROWS,
                          kind=t(f"register.kind_{kind}", lang)))


def _basis(path: Path, kind: str, sheet: str, rate: float | None, recorded_by: str | None
           ) -> Basis:
    """The change's basis: the workbook's name and SHA-256, the sheet, the rate, who."""
    sha = hashlib.sha256(path.read_bytes()).hexdigest()

    def said(lang: str) -> str:
        rate_text = t("register.basis_rate", lang, rate=format_number(rate, lang, 0)) \
            if rate else ""
        return t("register.basis", lang, kind=t(f"register.kind_{kind}", lang),
                 file=path.name, sheet=sheet, sha=sha, rate=rate_text)

    return Basis.imported(path.name, recorded_by or current_user(),
                          document_ref=f"sha256:{sha}", description=f"{said('vi')} / {said('en')}")


def import_register(
    register: str | Path,
    target: str | Path,
    kind: Kind = "projects",
    *,
    sheet: str | None = None,
    columns: Mapping[str, str] | str | None = None,
    usd_rate: float | None = None,
    dry_run: bool = False,
    recorded_by: str | None = None,
    lang: str = "vi",
    progress: Progress | None = None,
) -> RegisterResult:
    """Import a project register or park list (``.xlsx``) into a province, all or nothing.

    Parameters
    ----------
    register
        The workbook. Its header block (one to three rows, merged group cells allowed, a
        title row above it skipped) is found in the first rows of the sheet.
    target
        The province GeoPackage (or ``postgresql://...?province=KEY``).
    kind
        ``projects``: the tenants (projects) are added or updated (by ``Mã dự án`` if the
        register has it, else by park and investor), with the plots of ``Số lô`` linked to
        them (and marked leased). ``parks``: the attributes of parks already in the file
        (matched by ``Mã KCN`` or name) are updated.
    sheet
        The sheet to read (default: the first whose header is recognised).
    columns
        Header (or column letter) -> field, optionally with the unit: ``{"Tên dự án":
        "name", "E": "registered_capital_usd:triệu USD"}``, or the same as text
        ``"Tên dự án=name,E=registered_capital_usd:triệu USD"``; ``-`` ignores a column.
        Other headers are recognised from the usual Vietnamese wording.
    usd_rate
        VND per USD, required when an amount is in VND (kept in the result and in the
        change's basis).
    dry_run
        Read and check everything, write nothing; the problems are in the result.
    recorded_by
        Who imports (default: the OS user), for the plan history.
    lang
        Language of messages (``vi`` or ``en``).
    progress
        Called with ``(done, total)``: the workbook and plan read (1), the data rows as they
        are read (every :data:`ROW_CHUNK`), the rows applied, the plan checked and the change
        written (:data:`REGISTER_STEPS` steps besides the rows; a dry run ends after the check).

    Raises
    ------
    RegisterError
        The workbook, a sheet or a header cannot be read, or (not for a dry run) a row has
        problems: ``problems`` names each by file, sheet, Excel row and column letter.
        Nothing is written; the province file stays byte-identical.
    """
    path = Path(register)
    if kind not in KINDS:
        raise RegisterError(t("register.bad_kind", lang, kind=shorten(kind),
                              kinds=", ".join(KINDS)))
    if usd_rate is not None and (not math.isfinite(usd_rate) or usd_rate <= 0):
        raise RegisterError(t("register.bad_rate", lang, value=usd_rate))
    explicit = _parse_column_map(columns, kind, lang)
    sheets = _load(path, lang)
    where = _Where(str(path), "", lang)
    chosen, header = _choose_sheet(sheets, sheet, kind, where)
    plan, versions = sources.read_plan_versioned(target)
    shown_target = sources.describe(target)
    where.sheet = chosen.name
    found = _columns(chosen, kind, header, explicit, where)
    fields = {f.name: f for f in FIELDS[kind]}
    first = header[1] + 1
    if first <= chosen.max_row and _column_numbers_row(chosen, first):
        first += 1
    by_field = _usable_columns(found, kind, usd_rate, where, chosen, first)
    needs_rate = any(c.unit is not None and c.unit.base == "VND"
                     for name, cs in by_field.items() if fields[name].kind == "money"
                     for c in cs)
    read = len(_data_rows(chosen, first))
    total = read + REGISTER_STEPS
    notify(progress, 1, total)
    rows = _rows(chosen, kind, first, by_field, usd_rate, where, _ParkNames(plan.parks),
                 offset(progress, 1, total))
    identity = ("park_code", "park_name") if kind == "projects" else ("park_code", "name_vi")
    # The park comes from a column, or (projects) from section rows ("I. KCN Quang Châu").
    if not any(name in by_field or any(name in r.values for r in rows) for name in identity):
        where.fail(None, None, None, t("register.no_identity", lang, fields=", ".join(
            identity), headers=listing(c.header for c in found)))
    if not rows:
        where.fail(None, None, None, t("register.no_rows", lang, row=first))
    if kind == "projects":
        change = _apply_projects(plan, rows, where, "project_id" in by_field)
    else:
        change = _apply_parks(plan, rows, where)
    notify(progress, read + 2, total)
    layers = {**plan.layers(), **change.layers}
    province = file_province(sources.read_dataset_info(target))
    if not where.problems:
        _validation_problems(change, layers, shown_target, province.crs if province else None,
                             where)
    result = RegisterResult(
        str(path), chosen.name, shown_target, kind, tuple(range(header[0], header[1] + 1)),
        tuple((c.letter, c.header, c.field) for c in found if c.field),
        tuple((c.letter, c.header) for c in found if c.field is None),
        len(rows), tuple(change.added), tuple(change.updated), change.plots_linked,
        tuple(change.plots_leased), usd_rate if needs_rate else None,
        tuple(sorted(where.problems, key=lambda p: (p.row or 0, p.column or ""))), False,
        lang=lang)
    notify(progress, read + 3, total)
    if dry_run:
        notify(progress, total, total)
        return result
    if result.problems:
        first_problem = result.problems[0].text(lang)
        raise RegisterError(t("register.failed", lang, first=first_problem,
                              n=len(result.problems)), result.problems)
    change_id = write_plan(target, Plan.from_layers(layers), expected_versions=versions,
                           basis=_basis(path, kind, chosen.name,
                                        usd_rate if needs_rate else None, recorded_by))
    notify(progress, total, total)
    return replace(result, written=True, change_id=change_id)


def export_register(source: str | Path, path: str | Path, kind: Kind = "projects", *,
                    lang: str = "vi") -> int:
    """Write a province's project register or park list as a board keeps it in Excel:
    one row per project (or park), headers in ``lang`` that :func:`import_register` reads
    back, codes as their labels, amounts in USD, dates as date cells, a project's plots as
    ``A1, A2``. Text is neutralised (:func:`gis_app.spreadsheet.write_excel`), so nothing in
    the file is a formula. Returns the number of rows written.
    """
    from ..spreadsheet import write_excel

    if kind not in KINDS:
        raise RegisterError(t("register.bad_kind", lang, kind=shorten(kind),
                              kinds=", ".join(KINDS)))
    plan = sources.read_plan(source)
    if kind == "projects":
        frame = pd.DataFrame(plan.tenants).copy()
        links = plan.tenant_plots.astype({"plot_code": str, "project_id": str})
        plots = links.groupby("project_id")["plot_code"].agg(lambda c: ", ".join(sorted(c)))
        frame["plots"] = frame["project_id"].astype(str).map(plots)
        codes: tuple[str, ...] = ("project_type", "project_status")
    else:
        frame = pd.DataFrame(plan.parks.drop(columns=plan.parks.geometry.name))
        codes = ("status",)
    for column in codes:
        frame[column] = [label(str(c), lang) if isinstance(c, str) else c
                         for c in frame[column]]
    fields = EXPORT_FIELDS[kind]
    out = frame[list(fields)].rename(columns={f: t(f"register.header.{f}", lang)
                                              for f in fields})
    write_excel({t(f"register.kind_{kind}", lang): out}, path)
    return len(out)
