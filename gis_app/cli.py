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


def _cmd_view(args: argparse.Namespace) -> int:
    import subprocess

    from .viewer import launch

    files = launch.province_files(args.province)
    if not files:
        raise GisAppError("no province file found; run 'kcn-gis sample' first")
    cmd = launch.command(port=args.port, address=args.address)
    print(f"kcn-gis view: {files[0]} (Ctrl+C to stop)", file=sys.stderr)
    return subprocess.call(cmd, env=launch.environment(files))


def _read_new_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    import getpass

    first = getpass.getpass(f"Password for {args.name}: ")
    if first != getpass.getpass("Repeat the password: "):
        raise GisAppError("the two passwords differ; nothing was written")
    return first


def _cmd_officer(args: argparse.Namespace) -> int:
    from .viewer import auth

    path = Path(args.file) if args.file else None
    if args.action == "add":
        written = auth.add_officer(args.name, _read_new_password(args), path)
        print(f"officer {args.name!r} saved in {written}")
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

    p = sub.add_parser("view", help="open the map viewer in the browser (Streamlit)")
    p.add_argument("province", nargs="?", help="province key or GeoPackage path to open first")
    p.add_argument("--port", type=int, help="port to listen on (default: Streamlit's 8501)")
    p.add_argument("--address", help="address to listen on (default: all interfaces)")
    p.set_defaults(func=_cmd_view)

    p = sub.add_parser("officer", help="manage officer accounts of the viewer")
    p.add_argument("action", choices=["add"], help="add (or reset the password of) an officer")
    p.add_argument("name", help="officer login name")
    p.add_argument("--password-stdin", action="store_true",
                   help="read the password from the first line of standard input")
    p.add_argument("--file", help="officer file (default: $KCN_GIS_AUTH_FILE or "
                   "~/.config/kcn-gis/officers.toml)")
    p.set_defaults(func=_cmd_officer)

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
