"""``kcn-gis history``, ``as-of``, ``diff``, ``approve`` and ``reverse``: the plan history on
the command line.

``history FILE`` lists the changes with their basis; ``as-of FILE DATE`` prints the provincial
summary of the plan valid on that date; ``diff FILE DATE1 DATE2`` lists the features that
changed in between and the decision behind each change. ``approve FILE SCENARIO`` makes a
stored scenario the plan, and ``reverse FILE CHANGE`` undoes a change; both need the decision
that orders it (number, date, issuing authority).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date

import pandas as pd

from ..formatting import date as date_text
from ..formatting import number
from ..history.model import Basis
from ..i18n import t
from ..model.schema import SCHEMAS
from .common import check_output, iso_date

#: Columns of the change list shown as a text table (CSV/Excel get every column).
HISTORY_TABLE_COLUMNS = ("change_id", "effective_date", "basis_type", "decision_no",
                         "authority", "features_count", "description")
#: Shown as text (the decision of an import is its source file).
DIFF_TABLE_COLUMNS = ("layer", "feature_id", "park_code", "action", "columns", "change_ids",
                      "decision_nos")


#: Park columns shown with their values before and after in the diff summary, and the
#: label (gis_app.i18n) each is shown under.
_PARK_VALUES: dict[str, str] = {
    "planned_area_ha": "planned_ha", "established_area_ha": "established_ha",
    "leasable_area_ha": "leasable_ha", "cleared_area_ha": "cleared_ha", "status": "status",
}


def _dates_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d").astype("string")
    return out


def _blank_missing(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells without a value print empty, not ``<NA>``/``NaN`` (a change by import has
    no decision number; that is not an error to show)."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if not (pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)):
            out[column] = series.astype("object").where(series.notna(), "")
    return out


def _check_output(args: argparse.Namespace) -> None:
    check_output(args)


def _cmd_history(args: argparse.Namespace, source: str) -> int:
    _check_output(args)
    from .._tables import write_frame
    from ..history.query import changes

    table = _dates_as_text(changes(source, park_code=args.park))
    if args.basis:
        table = table.loc[table["basis_type"].isin(args.basis)]
    if args.format == "table":
        table = _blank_missing(table[list(HISTORY_TABLE_COLUMNS)])
    write_frame(table.set_index("change_id"), fmt=args.format, lang=args.lang,
                output=args.output, sheet="plan_changes")
    return 0


def _first_day(history: object, source: str, day: date, lang: str) -> None:
    """Refuse a date before the first recorded change: the plan of that day is unknown,
    not empty (an empty table of zeros would read as 'no parks then')."""
    from ..history.model import HistoryError

    dates = history.changes["effective_date"].dropna()  # type: ignore[attr-defined]
    if dates.empty:
        raise HistoryError(t("history_cli.no_history", lang, src=source))
    first = dates.min().date()
    if day < first:
        raise HistoryError(t("history_cli.before_history", lang, src=source,
                             first=date_text(first, lang), day=date_text(day, lang)))


def _cmd_as_of(args: argparse.Namespace, source: str) -> int:
    _check_output(args)
    from .._tables import write_frame
    from ..analytics import province_indicators
    from ..history.query import as_of
    from ..history.store import read_history

    history = read_history(source)
    _first_day(history, source, args.date, args.lang)
    plan = as_of(history, args.date)
    table = province_indicators(plan, by=args.by)
    day = date_text(args.date, args.lang)
    print(f"# {source}: {t('history_cli.plan_as_of', args.lang, day=day)}")
    write_frame(table, fmt=args.format, lang=args.lang, output=args.output,
                sheet="summary", transpose=True)
    return 0


def _str(value: object) -> str:
    """A text cell of the diff, ``""`` where it has none (``pd.NA`` has no truth value)."""
    return "" if value is None or pd.isna(value) else str(value)


def _value(value: object, column: str, lang: str) -> str:
    from ..i18n import label

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    if isinstance(value, float):
        return number(value, lang, 2)
    return label(str(value), lang) if column == "status" else str(value)


def _park_lines(table: pd.DataFrame, before: pd.DataFrame, after: pd.DataFrame,
                lang: str) -> list[str]:
    """One line per park added, removed or changed: code, name, each shown value before ->
    after (e.g. ``BN09 KCN Nam Sơn – Hạp Lĩnh: Diện tích quy hoạch (ha) 432.00 → 300.00``),
    and the decisions."""
    from ..i18n import label

    rows = table.loc[table["layer"] == "parks"]
    old = before.set_index("park_code")
    new = after.set_index("park_code")
    name_col = "name_vi" if lang == "vi" else "name_en"
    lines = []
    for row in rows.itertuples(index=False):
        code = str(row.feature_id)
        shown = new if code in new.index else old
        name = shown.at[code, name_col] if code in shown.index else ""
        columns = [c.strip() for c in _str(row.columns).split(",") if c.strip()]
        if row.action == "changed":
            wanted = [c for c in _PARK_VALUES if c in columns]
        else:
            wanted = [c for c in ("planned_area_ha", "status") if c in shown.columns]
        parts = []
        for column in wanted:
            key = _PARK_VALUES[column]
            a = old.at[code, column] if code in old.index else None
            b = new.at[code, column] if code in new.index else None
            if row.action == "changed":
                parts.append(f"{label(key, lang)} {_value(a, column, lang)} → "
                             f"{_value(b, column, lang)}")
            else:
                value = b if b is not None else a
                parts.append(f"{label(key, lang)} {_value(value, column, lang)}")
        if row.action == "changed" and "geometry" in columns:
            parts.append(t("history_cli.outline", lang))
        basis = f" ({_str(row.decision_nos)})" if _str(row.decision_nos) else ""
        lines.append(f"  {code} {name}: {label(str(row.action), lang)}"
                     f"{' – ' + '; '.join(parts) if parts else ''}{basis}")
    return lines


def _diff_summary(table: pd.DataFrame, before: pd.DataFrame, after: pd.DataFrame,
                  args: argparse.Namespace, source: str) -> None:
    """Counts per layer and kind of change, then every park that changed with its values."""
    from ..i18n import label

    lang = args.lang
    print(f"# {source}: " + t("history_cli.changes_between", lang,
                              d1=date_text(args.date1, lang), d2=date_text(args.date2, lang)))
    if table.empty:
        print(t("history_cli.no_changes", lang))
        return
    counts = (table.groupby(["layer", "action"], sort=False).size().unstack(fill_value=0)
              .reindex(columns=["added", "removed", "changed"], fill_value=0))
    counts.columns = [label(c, lang) for c in counts.columns]
    counts.index = counts.index.rename(label("layer", lang))
    print(counts.to_string())
    lines = _park_lines(table, before, after, lang)
    if lines:
        print(t("history_cli.parks_changed", lang))
        print("\n".join(lines))
    if not args.features:
        print(t("history_cli.more_features", lang))


def _cmd_diff(args: argparse.Namespace, source: str) -> int:
    _check_output(args)
    from .._tables import write_frame
    from ..history.query import as_of, diff
    from ..history.store import read_history

    layers = tuple(args.layer) if args.layer else None
    history = read_history(source)
    table = diff(history, args.date1, args.date2, layers=layers)
    if args.format != "table":
        write_frame(table.set_index(["layer", "feature_id"]), fmt=args.format, lang=args.lang,
                    output=args.output, sheet="diff")
        return 0
    if args.output is None:
        _diff_summary(table, as_of(history, args.date1).parks,
                      as_of(history, args.date2).parks, args, source)
        if not args.features or table.empty:
            return 0
    shown = _blank_missing(table[list(DIFF_TABLE_COLUMNS)])
    write_frame(shown.set_index(["layer", "feature_id"]), fmt=args.format, lang=args.lang,
                output=args.output, sheet="diff")
    return 0


_iso_date = iso_date  # the name the parsers below use


def _decision(args: argparse.Namespace) -> Basis:
    return Basis.decision(args.decision, args.date, args.authority,
                          document_ref=args.document_ref, recorded_by=args.by,
                          description=args.description)


def _cmd_approve(args: argparse.Namespace, source: str) -> int:
    from ..scenarios.approve import approve_scenario

    change = approve_scenario(source, args.scenario, _decision(args), args.effective_date)
    print(f"{change}: kịch bản {args.scenario} đã được phê duyệt theo {args.decision} / "
          f"scenario {args.scenario} approved by {args.decision}")
    return 0


def _cmd_reverse(args: argparse.Namespace, source: str) -> int:
    from ..history.record import reverse

    change = reverse(source, args.change, _decision(args), args.effective_date)
    print(f"{change}: đã đảo ngược {args.change} theo {args.decision} / "
          f"{args.change} reversed by {args.decision}")
    return 0


def _add_decision_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--decision", required=True, metavar="NO",
                   help='decision number, e.g. "30/QĐ-UBND"')
    p.add_argument("--date", required=True, type=_iso_date, metavar="YYYY-MM-DD",
                   help="decision date")
    p.add_argument("--authority", required=True,
                   help='issuing authority, e.g. "UBND tỉnh Bắc Ninh"')
    p.add_argument("--document-ref", help="where the decision is published or filed")
    p.add_argument("--effective-date", type=_iso_date, metavar="YYYY-MM-DD",
                   help="date the change takes effect (default: the decision date)")
    p.add_argument("--by", help="who records the change")
    p.add_argument("--description", help="a note kept with the change")


def add_parsers(sub: argparse._SubParsersAction, resolve: Callable[[str], object],
                add_output_options: Callable[[argparse.ArgumentParser], None]) -> None:
    """Register the commands; ``resolve`` turns a province key into its file."""

    def bind(handler: Callable[[argparse.Namespace, str], int]
             ) -> Callable[[argparse.Namespace], int]:
        return lambda args: handler(args, str(resolve(args.file)))

    p = sub.add_parser("history", help="plan changes with their basis (decision or import)")
    p.add_argument("file", help="province key, GeoPackage path or postgresql:// URL")
    p.add_argument("--park", help="only the changes that touched this park (park_code)")
    p.add_argument("--basis", action="append",
                   choices=("decision", "import", "scenario_approval", "reversal"),
                   help="only changes of this basis type (repeatable)")
    add_output_options(p)
    p.set_defaults(func=bind(_cmd_history))

    p = sub.add_parser("as-of", help="provincial summary of the plan valid on a date")
    p.add_argument("file", help="province key, GeoPackage path or postgresql:// URL")
    p.add_argument("date", type=iso_date, help="YYYY-MM-DD")
    p.add_argument("--by", choices=("province", "legacy_province"), default="province",
                   help="group by the 2025 province (default) or the pre-merger province")
    add_output_options(p)
    p.set_defaults(func=bind(_cmd_as_of))

    p = sub.add_parser("diff", help="features changed between two dates, and by which "
                       "decision")
    p.add_argument("file", help="province key, GeoPackage path or postgresql:// URL")
    p.add_argument("date1", type=iso_date, help="YYYY-MM-DD")
    p.add_argument("date2", type=iso_date, help="YYYY-MM-DD (not earlier than DATE1)")
    p.add_argument("--features", action="store_true",
                   help="after the summary, list every feature that changed (a text table "
                   "to --output, or CSV/Excel, always lists them)")
    p.add_argument("--layer", action="append", choices=list(SCHEMAS),
                   help="only this layer (repeatable; default: all)")
    add_output_options(p)
    p.set_defaults(func=bind(_cmd_diff))

    p = sub.add_parser("approve", help="make a stored scenario the plan, by a decision")
    p.add_argument("file", help="province key, GeoPackage path or postgresql:// URL")
    p.add_argument("scenario", help="scenario id (see `kcn-gis scenario list`)")
    _add_decision_options(p)
    p.set_defaults(func=bind(_cmd_approve))

    p = sub.add_parser("reverse", help="undo a recorded change, by a decision")
    p.add_argument("file", help="province key, GeoPackage path or postgresql:// URL")
    p.add_argument("change", help="change id (see `kcn-gis history`)")
    _add_decision_options(p)
    p.set_defaults(func=bind(_cmd_reverse))
