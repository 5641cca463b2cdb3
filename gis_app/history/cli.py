"""``kcn-gis history``, ``as-of`` and ``diff``: the plan history on the command line.

``history FILE`` lists the changes with their basis; ``as-of FILE DATE`` prints the provincial
summary of the plan valid on that date; ``diff FILE DATE1 DATE2`` lists the features that
changed in between and the decision behind each change.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

import pandas as pd

from ..layers.schema import SCHEMAS

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


def add_parsers(sub: argparse._SubParsersAction, resolve: Callable[[str], object],
                add_output_options: Callable[[argparse.ArgumentParser], None]) -> None:
    """Register the three commands; ``resolve`` turns a province key into its file."""

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
