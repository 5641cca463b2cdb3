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

from ..layers.schema import SCHEMAS
from .model import Basis

#: Columns of the change list shown as a text table (CSV/Excel get every column).
HISTORY_TABLE_COLUMNS = ("change_id", "effective_date", "basis_type", "decision_no",
                         "authority", "features_count", "description")
#: Shown as text (the decision of an import is its source file).
DIFF_TABLE_COLUMNS = ("layer", "feature_id", "park_code", "action", "columns", "change_ids",
                      "decision_nos")


def _dates_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d").astype("string")
    return out


def _cmd_history(args: argparse.Namespace, source: str) -> int:
    from .._tables import write_frame
    from .query import changes

    table = _dates_as_text(changes(source, park_code=args.park))
    if args.basis:
        table = table.loc[table["basis_type"].isin(args.basis)]
    if args.format == "table":
        table = table[list(HISTORY_TABLE_COLUMNS)]
    write_frame(table.set_index("change_id"), fmt=args.format, lang=args.lang,
                output=args.output, sheet="plan_changes")
    return 0


def _cmd_as_of(args: argparse.Namespace, source: str) -> int:
    from .._tables import write_frame
    from ..analytics import province_indicators
    from .query import as_of

    plan = as_of(source, args.date)
    table = province_indicators(plan, by=args.by)
    print(f"# {source}: kế hoạch tại ngày / plan as of {pd.Timestamp(args.date).date()}")
    write_frame(table, fmt=args.format, lang=args.lang, output=args.output,
                sheet="summary", transpose=True)
    return 0


def _cmd_diff(args: argparse.Namespace, source: str) -> int:
    from .._tables import write_frame
    from .query import diff

    layers = tuple(args.layer) if args.layer else None
    table = diff(source, args.date1, args.date2, layers=layers)
    if args.format == "table":
        table = table[list(DIFF_TABLE_COLUMNS)]
    write_frame(table.set_index(["layer", "feature_id"]), fmt=args.format, lang=args.lang,
                output=args.output, sheet="diff")
    return 0


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _decision(args: argparse.Namespace) -> Basis:
    return Basis.decision(args.decision, args.date, args.authority,
                          document_ref=args.document_ref, recorded_by=args.by,
                          description=args.description)


def _cmd_approve(args: argparse.Namespace, source: str) -> int:
    from .record import approve_scenario

    change = approve_scenario(source, args.scenario, _decision(args), args.effective_date)
    print(f"{change}: kịch bản {args.scenario} đã được phê duyệt theo {args.decision} / "
          f"scenario {args.scenario} approved by {args.decision}")
    return 0


def _cmd_reverse(args: argparse.Namespace, source: str) -> int:
    from .record import reverse

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
    p.add_argument("date", help="YYYY-MM-DD")
    p.add_argument("--by", choices=("province", "legacy_province"), default="province",
                   help="group by the 2025 province (default) or the pre-merger province")
    add_output_options(p)
    p.set_defaults(func=bind(_cmd_as_of))

    p = sub.add_parser("diff", help="features changed between two dates, and by which "
                       "decision")
    p.add_argument("file", help="province key, GeoPackage path or postgresql:// URL")
    p.add_argument("date1", help="YYYY-MM-DD")
    p.add_argument("date2", help="YYYY-MM-DD (not earlier than DATE1)")
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
