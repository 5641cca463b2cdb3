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


def _province_path(value: str) -> Path | str:
    """A province key (``bac_ninh``) names the shipped file; a ``postgresql://`` URL stays a
    URL (see :mod:`gis_app.layers.source`); anything else is a path."""
    if value in PROVINCES:
        return PROVINCES[value].default_path
    if value.startswith(("postgresql://", "postgres://")):
        return value
    return Path(value)


def _cmd_validate(args: argparse.Namespace) -> int:
    from .layers.source import describe, validate_source

    failed = False
    for value in args.files:
        report = validate_source(_province_path(value))
        print(f"{describe(_province_path(value))}: {report.summary(limit=args.limit)}")
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


def _cmd_db(args: argparse.Namespace) -> int:
    from .layers import postgis
    from .layers.pg_schema import SCHEMA_VERSION
    from .layers.source import describe
    from .layers.transfer import copy_province

    if args.db_command == "init":
        before = postgis.init_database(args.url)
        print(f"{describe(args.url)}: schema ready (version {before} -> "
              f"{SCHEMA_VERSION})")
        return 0
    if args.db_command == "push":
        src, dst = _province_path(args.gpkg), args.url
    else:
        src, dst = args.url, _province_path(args.gpkg)
    names = copy_province(src, dst)
    print(f"{describe(src)} -> {describe(dst)}: {len(names)} layers copied "
          f"({', '.join(names)})")
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

    p = sub.add_parser("db", help="PostGIS: create the schema, copy a province in or out")
    db = p.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    url_help = ("postgresql://[user@host/db]?province=KEY (credentials from PG* variables, "
                "~/.pgpass or a service file: postgresql:///?service=kcn&province=KEY)")
    q = db.add_parser("init", help="create or upgrade a province schema and the roles")
    q.add_argument("url", help=url_help)
    q = db.add_parser("push", help="copy a GeoPackage into PostGIS (replaces the province)")
    q.add_argument("gpkg", help="province key or GeoPackage path")
    q.add_argument("url", help=url_help + "; province defaults to the file's")
    q = db.add_parser("pull", help="copy a province from PostGIS into a new GeoPackage")
    q.add_argument("url", help=url_help)
    q.add_argument("gpkg", help="GeoPackage path to write (replaced atomically)")
    p.set_defaults(func=_cmd_db)

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
