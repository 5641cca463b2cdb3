"""No traceback reaches a user: bad dates, end of input at the password prompt, an output name
with the wrong extension, output piped into ``head`` and generated bad arguments to every
subcommand end with a one-line reason and a non-zero exit, and leave every file as it was.

Commands run in-process through :func:`gis_app.cli.main` (an exception escaping it is what a
user would see as a traceback); the prompt and the broken pipe need a real process.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gis_app.cli import build_parser, main
from gis_app.settings import PROVINCES

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str


def run(argv: list[str], stdin: str = "") -> Outcome:
    """``kcn-gis ARGV`` in-process: exit status, stdout and stderr. argparse's usage errors
    (SystemExit) are an exit status; any other exception propagates and fails the test."""
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.stdin = old_stdin
    return Outcome(code, out.getvalue(), err.getvalue())


def assert_refused(result: Outcome) -> str:
    """Non-zero exit, no traceback, and the reason on the last line of stderr, one line
    (``validate`` reports the problems it found on stdout, its output)."""
    assert result.code != 0, result
    assert "Traceback" not in result.err + result.out, result
    lines = result.err.strip().splitlines() or result.out.strip().splitlines()[-1:]
    assert lines and lines[-1].strip(), result
    if result.err:
        assert lines[-1].startswith("kcn-gis"), result.err
    return lines[-1]


def digest(paths: list[Path]) -> dict[Path, str]:
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths if p.exists()}


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Copies of the shipped province files (commands that write must not touch them)."""
    base = tmp_path_factory.mktemp("provinces")
    return {key: Path(shutil.copy2(p.default_path, base / f"{key}.gpkg"))
            for key, p in PROVINCES.items()}


# --- bad dates ----------------------------------------------------------------------------

BAD_DATES = ["2099-13-45", "2014-13-01", "2019-02-30", "yesterday"]


@pytest.mark.parametrize("bad", BAD_DATES)
def test_a_bad_date_is_a_one_line_usage_error(copies, bad):
    bac_ninh = str(copies["bac_ninh"])
    for argv in (["as-of", bac_ninh, bad], ["diff", bac_ninh, "2014-01-01", bad],
                 ["diff", bac_ninh, bad, "2020-01-01"],
                 ["export", "sheet", bac_ninh, "--park", "BN06", "--as-of", bad, "-o",
                  str(copies["bac_ninh"].parent / "never.pdf")]):
        reason = assert_refused(run(argv))
        assert f"{bad!r} is not a date (YYYY-MM-DD)" in reason, reason
    assert not (copies["bac_ninh"].parent / "never.pdf").exists()


# --- end of input at the password prompt ---------------------------------------------------

def _kcn_gis(args: list[str], **kwargs) -> subprocess.CompletedProcess:  # noqa: ANN003
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "gis_app.cli", *args], env=env,
                          capture_output=True, text=True, timeout=120, check=False, **kwargs)


def test_end_of_input_at_the_password_prompt_writes_nothing(tmp_path):
    officers = tmp_path / "officers.toml"
    # A new session has no terminal, so getpass reads standard input: /dev/null, at its end.
    done = _kcn_gis(["officer", "add", "x", "--file", str(officers)],
                    stdin=subprocess.DEVNULL, start_new_session=True)
    assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr
    assert "end of input" in done.stderr.strip().splitlines()[-1]
    assert not officers.exists()


def test_end_of_input_with_password_stdin_writes_nothing(tmp_path):
    officers = tmp_path / "officers.toml"
    reason = assert_refused(run(["officer", "add", "x", "--password-stdin", "--file",
                                 str(officers)], stdin=""))
    assert "end of input" in reason
    assert not officers.exists()


# --- an output name with the wrong extension -----------------------------------------------

def test_an_output_name_with_the_wrong_extension_is_refused(copies, tmp_path):
    nb, bn = str(copies["ninh_binh"]), str(copies["bac_ninh"])
    cases = {
        "x.csv": ["summary", bn, "--format", "xlsx", "--output"],
        "x.xlsx": ["report", bn, "--format", "csv", "--output"],
        "y.xlsx": ["history", bn, "--format", "csv", "--output"],
        "x.png": ["export", "sheet", bn, "--park", "BN06", "-o"],
        "x.pdf": ["export", "sheet", bn, "--park", "BN06", "--format", "png", "-o"],
        "atlas.png": ["export", "atlas", bn, "-o"],
        "out.pdf": ["scenario", "export", nb, "ninh-binh-2024", "--gpkg", str(tmp_path / "o.gpkg"),
                    "--report"],
        "out.csv": ["scenario", "export", nb, "ninh-binh-2024", "--report",
                    str(tmp_path / "o.csv"), "--gpkg"],
        "c.xlsx": ["scenario", "compare", nb, "ninh-binh-2024", "--csv"],
        "p.txt": ["validate", bn, "--csv"],
    }
    before = digest(list(copies.values()))
    for name, argv in cases.items():
        reason = assert_refused(run([*argv, str(tmp_path / name)]))
        assert "the file name must end in" in reason and name in reason, reason
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    assert digest(list(copies.values())) == before


# --- output piped into head ------------------------------------------------------------------

def test_output_piped_into_head_is_a_one_line_reason(copies):
    # The feature list of a decade of changes is far larger than a pipe's buffer.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), os.environ.get("PYTHONPATH", "")])}
    with subprocess.Popen(
            [sys.executable, "-m", "gis_app.cli", "diff", str(copies["bac_ninh"]), "2000-01-01",
             "2023-11-17", "--features"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()  # `head -1`
        proc.stdout.close()
        err = proc.stderr.read().decode()
        code = proc.wait(timeout=120)
    assert code != 0 and "Traceback" not in err and "Exception ignored" not in err, err
    assert err.strip().splitlines() == ["kcn-gis diff: output closed early (broken pipe)"]


# --- generated bad arguments to every subcommand ------------------------------------------

def _real_codes() -> set[str]:
    """Park codes, scenario ids and change ids that exist: a generated word must not be one."""
    import pyogrio

    codes: set[str] = {"ninh-binh-2024"}
    for province in PROVINCES.values():
        codes |= set(pyogrio.read_dataframe(province.default_path, layer="parks",
                                            columns=["park_code"], read_geometry=False,
                                            )["park_code"])
    return codes


REAL_CODES = _real_codes()


def _not_a_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return True
    return False


dates = st.one_of(st.sampled_from(BAD_DATES + ["2014-02-29", "0000-01-01", "2020-1-1x", "",
                                               "-1", "31/12/2020"]),
                  st.text(max_size=12)).filter(_not_a_date)
words = st.one_of(
    st.sampled_from(["BN99", "'; DROP TABLE parks; --", "../../etc/passwd", "Ạ", "C9999",
                     "-", " ", "nb-2099", "x" * 200]),
    st.text(alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
            min_size=1, max_size=10),
).filter(lambda w: w not in REAL_CODES and not re.fullmatch(r"C\d{4}", w))
extensions = st.sampled_from([".txt", ".doc", "", ".pdf", ".png", ".csv", ".xlsx", ".gpkg",
                              ".shp"])
DECISION = ["--decision", "1/QĐ", "--authority", "UBND"]

#: Every subcommand, each with bad arguments: ``(name, strategy of argv builders)``. A builder
#: takes the file copies and a scratch directory. A new subcommand fails the test below until
#: it is added here.
COMMANDS: dict[str, st.SearchStrategy] = {
    "validate": st.builds(lambda w, e: lambda f, d: (
        ["validate", str(d / f"{w}.gpkg")] if e is None
        else ["validate", f["bac_ninh"], "--csv", str(d / f"p{e}")]),
        words, st.none() | extensions.filter(lambda e: e != ".csv")),
    "import": st.builds(lambda w, m: lambda f, d: ["import", str(d / "none.gpkg"), f["bac_ninh"],
                                                   "--layer", "plots"]
                        if not m else ["import", f["ninh_binh"], f["bac_ninh"], "--layer",
                                       "plots", "--map", w.replace("=", "")],
                        words, st.booleans()),
    "import-register": st.builds(lambda w, how: lambda f, d: {
        "missing": ["import-register", str(d / f"{w}.xlsx"), f["bac_ninh"]],
        "not_xlsx": ["import-register", f["ninh_binh"], f["bac_ninh"], "--kind", "parks"],
        "options": ["import-register", f["ninh_binh"], f["bac_ninh"], "--columns", w,
                    "--usd-rate", "-1"],
    }[how], words, st.sampled_from(["missing", "not_xlsx", "options"])),
    "export-register": st.builds(lambda w, e: lambda f, d: (
        ["export-register", str(d / f"{w}.gpkg"), str(d / "r.xlsx")] if e is None
        else ["export-register", f["bac_ninh"], str(d / f"r{e}")]),
        words, st.none() | extensions.filter(lambda e: e != ".xlsx")),
    "summary": st.builds(lambda e: lambda f, d: ["summary", f["bac_ninh"], "--format", "xlsx",
                                                 "--output", str(d / f"s{e}")],
                         extensions.filter(lambda e: e != ".xlsx")),
    "report": st.builds(lambda e: lambda f, d: ["report", f["bac_ninh"], "--format", "csv",
                                                "--output", str(d / f"r{e}")],
                        extensions.filter(lambda e: e != ".csv")),
    "package": st.builds(
        lambda what, w: lambda f, d: {
            "export": ["package", "export", str(d / f"{w}.gpkg"), "-o", str(d / "p.zip")],
            "missing": ["package", "import", str(d / f"{w}.zip")],
            "not-zip": ["package", "import", f["bac_ninh"], "--output-dir", str(d)],
        }[what],
        st.sampled_from(["export", "missing", "not-zip"]), words),
    "sample": st.builds(lambda w: lambda f, d: ["sample", "bac_ninh", w, "--output-dir", str(d)],
                        words.filter(lambda w: w not in PROVINCES)),
    "scenario": st.builds(
        lambda action, w: lambda f, d: {
            "list": ["scenario", "list", str(d / "none.gpkg")],
            "show": ["scenario", "show", f["ninh_binh"], w],
            "compare": ["scenario", "compare", f["ninh_binh"], w],
            "export": ["scenario", "export", f["ninh_binh"], w, "--gpkg", str(d / "o.gpkg"),
                       "--report", str(d / "o.csv")],
            "delete": ["scenario", "delete", f["ninh_binh"], w],
            "create-example": ["scenario", "create-example", f["ninh_binh"]],  # exists
        }[action],
        st.sampled_from(["list", "show", "compare", "export", "delete", "create-example"]),
        words),
    "export": st.builds(
        lambda what, w, day: lambda f, d: {
            "park": ["export", "sheet", f["bac_ninh"], "--park", w, "-o", str(d / "s.pdf")],
            "date": ["export", "sheet", f["bac_ninh"], "--park", "BN06", "--as-of", day, "-o",
                     str(d / "s.pdf")],
            "atlas": ["export", "atlas", f["bac_ninh"], "--parks", w, "-o", str(d / "a.pdf")],
        }[what],
        st.sampled_from(["park", "date", "atlas"]), words, dates),
    "init": st.builds(
        lambda what, w: lambda f, d: {
            "key": ["init", f"{w}_nowhere", "-o", str(d / "n.gpkg")],
            "exists": ["init", "bac_ninh", "-o", f["bac_ninh"]],
            "epsg": ["init", "hue", "-o", str(d / "n.gpkg"), "--epsg", "4326"],
            "suffix": ["init", "hue", "-o", str(d / "n.csv")],
        }[what],
        st.sampled_from(["key", "exists", "epsg", "suffix"]), words),
    "view": st.builds(lambda w: lambda f, d: ["view", str(d / f"{w}.gpkg")], words),
    "officer": st.builds(lambda w: lambda f, d: ["officer", "add", w + " !", "--password-stdin",
                                                 "--file", str(d / "officers.toml")], words),
    "db": st.builds(lambda action, e: lambda f, d: {
        "init": ["db", "init", f"postgresql:///kcn?host={d}&province=bac_ninh"],
        "push": ["db", "push", f["bac_ninh"], f"postgresql:///kcn?host={d}&province=bac_ninh"],
        "pull": ["db", "pull", f"postgresql:///kcn?host={d}&province=bac_ninh",
                 str(d / f"copy{e}")],
    }[action], st.sampled_from(["init", "push", "pull"]),
        extensions.filter(lambda e: e != ".gpkg")),
    "history": st.builds(lambda e: lambda f, d: ["history", f["bac_ninh"], "--format", "xlsx",
                                                 "--output", str(d / f"h{e}")],
                         extensions.filter(lambda e: e != ".xlsx")),
    "as-of": st.builds(lambda day: lambda f, d: ["as-of", f["bac_ninh"], day], dates),
    "diff": st.builds(lambda day, first: lambda f, d: (
        ["diff", f["bac_ninh"], day, "2020-01-01"] if first
        else ["diff", f["bac_ninh"], "2020-01-01", day]), dates, st.booleans()),
    "approve": st.builds(lambda w, day: lambda f, d: (
        ["approve", f["ninh_binh"], w, *DECISION, "--date", "2024-06-01"] if day is None
        else ["approve", f["ninh_binh"], "ninh-binh-2024", *DECISION, "--date", day]),
        words, st.none() | dates),
    "reverse": st.builds(lambda w, day: lambda f, d: (
        ["reverse", f["bac_ninh"], w, *DECISION, "--date", "2024-06-01"] if day is None
        else ["reverse", f["bac_ninh"], "C0001", *DECISION, "--date", day]),
        words, st.none() | dates),
}
#: Options the subcommand does not have: argparse's usage errors.
unknown_options = st.sampled_from(["--no-such-option", "-Z", "--lang=xx", "--format=doc"])


def test_every_subcommand_is_driven_with_bad_arguments():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert set(sub.choices) == set(COMMANDS)  # type: ignore[union-attr]


@pytest.mark.parametrize("command", sorted(COMMANDS))
@settings(max_examples=6, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_bad_arguments_never_end_in_a_traceback_or_a_changed_file(copies, tmp_path, command,
                                                                  data):
    builder = data.draw(st.one_of(
        COMMANDS[command],
        st.builds(lambda flag: lambda f, d: [command, flag], unknown_options)))
    scratch = tmp_path / "out"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    files = {k: str(v) for k, v in copies.items()}
    shipped = [p.default_path for p in PROVINCES.values()]
    before = digest([*copies.values(), *shipped])
    argv = builder(files, scratch)
    result = run(argv, stdin="password\n")
    assert_refused(result)
    assert digest([*copies.values(), *shipped]) == before, argv
    assert list(scratch.iterdir()) == [], argv
