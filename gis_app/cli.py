"""The ``kcn-gis`` command line.

Each subcommand is a small function ``_cmd_<name>(args) -> int`` registered in
:func:`build_parser`. Errors the product raises on purpose (:class:`GisAppError`) end the
command with a one-line reason on stderr and a non-zero exit status.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import GisAppError, ValidationError
from .settings import PROVINCES


def _province_path(value: str) -> Path:
    """A province key (``bac_ninh``) names the shipped file; anything else is a path."""
    if value in PROVINCES:
        return PROVINCES[value].default_path
    return Path(value)


def _cmd_validate(args: argparse.Namespace) -> int:
    from .layers import validate_file

    failed = False
    for value in args.files:
        report = validate_file(_province_path(value))
        print(f"{_province_path(value)}: {report.summary(limit=args.limit)}")
        if args.csv:
            report.problems.to_csv(args.csv, index=False)
        failed |= not report.ok
    return 1 if failed else 0


def _cmd_sample(args: argparse.Namespace) -> int:
    from .sample.build import write_province

    keys = args.provinces or list(PROVINCES)
    for key in keys:
        if key not in PROVINCES:
            raise SystemExit(f"kcn-gis sample: unknown province {key!r} (known: {', '.join(PROVINCES)})")
        target = Path(args.output_dir) / f"{key}.gpkg" if args.output_dir else None
        path = write_province(key, target, seed=args.seed)
        print(f"wrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kcn-gis",
        description="GIS for industrial-park management boards (KCN). "
        "Province files: a key (" + ", ".join(PROVINCES) + ") or a GeoPackage path.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check province files and list every problem")
    p.add_argument("files", nargs="+", help="province keys or GeoPackage paths")
    p.add_argument("--limit", type=int, default=50, help="problems to print per file")
    p.add_argument("--csv", help="also write the problems to this CSV file")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("sample", help="generate the illustrative province files shipped in layers/")
    p.add_argument("provinces", nargs="*", help=f"province keys (default: all of {', '.join(PROVINCES)})")
    p.add_argument("--output-dir", help="write here instead of layers/")
    p.add_argument("--seed", type=int, default=2023, help="random seed (default 2023)")
    p.set_defaults(func=_cmd_sample)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except ValidationError as exc:
        first = str(exc).splitlines()
        print(f"kcn-gis {args.command}: {first[1] if len(first) > 1 else first[0]}"
              f" ({len(exc.report)} problem(s) in all; run 'kcn-gis validate')",  # type: ignore[arg-type]
              file=sys.stderr)
        return 2
    except GisAppError as exc:
        print(f"kcn-gis {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
