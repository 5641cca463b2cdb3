"""Officer accounts (salted scrypt hashes in a TOML file), the viewer's CLI commands and its
navigation list."""

from __future__ import annotations

import io
import stat
import sys
import tomllib
from pathlib import Path

import pytest

from gis_app import cli
from gis_app.settings import PROVINCES
from gis_app.viewer import auth, launch


def test_hash_is_salted_and_verifies():
    first, second = auth.hash_password("mật khẩu"), auth.hash_password("mật khẩu")
    assert first != second  # a fresh salt each time
    assert first.startswith("scrypt$16384$8$1$")
    assert "mật khẩu" not in first
    assert auth.verify_password("mật khẩu", first) and auth.verify_password("mật khẩu", second)
    assert not auth.verify_password("mat khau", first)
    assert not auth.verify_password("x", "garbage")
    assert not auth.verify_password("x", "md5$a$b$c$d$e")


def test_known_salt_gives_the_stdlib_scrypt_digest():
    import hashlib

    salt = bytes(range(16))
    stored = auth.hash_password("pw", salt=salt)
    digest = hashlib.scrypt(b"pw", salt=salt, n=2**14, r=8, p=1, dklen=32).hex()
    assert stored == f"scrypt$16384$8$1${salt.hex()}${digest}"


def test_add_officer_writes_private_toml_and_logins_check(tmp_path):
    path = tmp_path / "conf" / "officers.toml"
    auth.add_officer("lan", "một", path)
    auth.add_officer("minh", "hai", path)
    auth.add_officer("lan", "ba", path)  # reset lan's password
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert sorted(data["officers"]) == ["lan", "minh"]
    assert auth.check_login("lan", "ba", path)
    assert not auth.check_login("lan", "một", path)
    assert auth.check_login("minh", "hai", path)
    assert not auth.check_login("nobody", "hai", path)


def test_bad_names_and_files_are_refused(tmp_path):
    with pytest.raises(auth.AuthError, match="officer name"):
        auth.add_officer("a.b", "pw", tmp_path / "o.toml")
    with pytest.raises(auth.AuthError, match="empty"):
        auth.add_officer("lan", "", tmp_path / "o.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[officers\n", encoding="utf-8")
    with pytest.raises(auth.AuthError, match="broken.toml"):
        auth.check_login("lan", "pw", broken)
    assert auth.load_officers(tmp_path / "absent.toml") == {}


def test_auth_file_location_from_env(monkeypatch, tmp_path):
    monkeypatch.setenv("KCN_GIS_AUTH_FILE", str(tmp_path / "x.toml"))
    assert auth.auth_file() == tmp_path / "x.toml"
    monkeypatch.delenv("KCN_GIS_AUTH_FILE")
    assert auth.auth_file() == Path.home() / ".config" / "kcn-gis" / "officers.toml"


def test_cli_officer_add_reads_password_from_stdin(monkeypatch, tmp_path, capsys):
    path = tmp_path / "officers.toml"
    monkeypatch.setenv("KCN_GIS_AUTH_FILE", str(path))
    monkeypatch.setattr(sys, "stdin", io.StringIO("bí mật\n"))
    assert cli.main(["officer", "add", "lan", "--password-stdin"]) == 0
    assert "lan" in capsys.readouterr().out
    assert auth.check_login("lan", "bí mật", path)


def test_cli_officer_add_prompts_twice(monkeypatch, tmp_path, capsys):
    import getpass

    answers = iter(["một", "hai"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))
    code = cli.main(["officer", "add", "lan", "--file", str(tmp_path / "o.toml")])
    assert code == 2 and "differ" in capsys.readouterr().err
    assert not (tmp_path / "o.toml").exists()


def test_view_command_line_and_environment(tmp_path):
    cmd = launch.command(port=8599, address="127.0.0.1")
    assert cmd[:4] == [sys.executable, "-m", "streamlit", "run"]
    assert cmd[4] == str(launch.APP_PATH) and launch.APP_PATH.exists()
    assert cmd[cmd.index("--browser.gatherUsageStats") + 1] == "false"  # no phoning home
    assert cmd[cmd.index("--server.port") + 1] == "8599"
    other = tmp_path / "other.gpkg"
    other.write_bytes(b"")
    files = launch.province_files(str(other))
    assert files[0] == other.resolve()
    env = launch.environment(files, base={"PATH": "/bin"})
    assert env["KCN_GIS_FILES"].split(":")[0] == str(other.resolve()) and env["PATH"] == "/bin"


def test_view_refuses_a_missing_file(capsys):
    assert cli.main(["view", "/nowhere/x.gpkg"]) == 2
    assert "/nowhere/x.gpkg" in capsys.readouterr().err


def test_view_opens_a_shipped_province_first():
    ninh_binh = PROVINCES["ninh_binh"]
    files = launch.province_files("ninh_binh")
    assert files[0] == ninh_binh.default_path.resolve()
    assert PROVINCES["bac_ninh"].default_path in files[1:]


def test_navigation_lists_only_pages_that_exist(tmp_path, monkeypatch):
    from gis_app.viewer import views

    keys = [spec.module for spec in views.available()]
    assert keys[:3] == ["overview", "park", "vacant_land"] and keys[-1] == "data"
    # Lines for pages that have not landed yet are kept but skipped.
    monkeypatch.setattr(views, "HERE", tmp_path)
    (tmp_path / "park.py").write_text("")
    assert [spec.module for spec in views.available()] == ["park"]
    # Not "pages/": Streamlit would run such a folder's scripts without app.py (MPA v1).
    assert Path(views.__file__).parent.name == "views"
    assert not (launch.APP_PATH.parent / "pages").exists()
