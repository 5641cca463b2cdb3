"""Officer accounts: salted scrypt password hashes in a TOML file outside the repository.

The file (``KCN_GIS_AUTH_FILE``, default ``~/.config/kcn-gis/officers.toml``) looks like::

    [officers.lan]
    hash = "scrypt$16384$8$1$<salt hex>$<hash hex>"

Only the standard library is used (``hashlib.scrypt``); no plain password is ever stored.
This module does not import Streamlit, so the ``kcn-gis officer add`` command shares it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import tomllib
from pathlib import Path

from ..errors import GisAppError
from .frame_env import AUTH_ENV

#: scrypt cost parameters (n, r, p): about 16 MiB and some tens of ms per check.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class AuthError(GisAppError):
    """The officer file cannot be read or written, or a name or password is unusable."""


def auth_file() -> Path:
    """The officer file: ``$KCN_GIS_AUTH_FILE`` or ``~/.config/kcn-gis/officers.toml``."""
    value = os.environ.get(AUTH_ENV)
    if value:
        return Path(value).expanduser()
    return Path.home() / ".config" / "kcn-gis" / "officers.toml"


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """A self-describing salted scrypt hash: ``scrypt$n$r$p$salt$hash`` (hex)."""
    if not password:
        raise AuthError("the password is empty")
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R,
                            p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches ``stored`` (constant-time comparison)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        candidate = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n),
                                   r=int(r), p=int(p), dklen=len(bytes.fromhex(digest)))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(candidate.hex(), digest)


def load_officers(path: Path | None = None) -> dict[str, str]:
    """Officer name -> stored hash; an absent file means no officer (public mode only)."""
    path = path or auth_file()
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise AuthError(f"{path}: cannot read the officer file ({exc})") from exc
    officers = data.get("officers", {})
    return {str(name): str(entry.get("hash", "")) for name, entry in officers.items()
            if isinstance(entry, dict)}


def check_login(name: str, password: str, path: Path | None = None) -> bool:
    """True when ``name`` is an officer and ``password`` is theirs."""
    stored = load_officers(path).get(name)
    if stored is None:
        # Spend the same work as a real check so timing does not reveal which names exist.
        verify_password(password, hash_password("x", salt=b"\0" * 16))
        return False
    return verify_password(password, stored)


def add_officer(name: str, password: str, path: Path | None = None) -> Path:
    """Create or replace ``name``'s hash in the officer file (written 0600, atomically)."""
    if not _NAME.match(name):
        raise AuthError(
            f"officer name {name!r}: use 1-64 letters, digits, '_' or '-' (it is a TOML key)"
        )
    path = path or auth_file()
    officers = load_officers(path)
    officers[name] = hash_password(password)
    lines = ["# KCN-GIS officer accounts: salted scrypt hashes. Edit with 'kcn-gis officer add'.",
             ""]
    for officer, stored in sorted(officers.items()):
        lines += [f"[officers.{officer!s}]", f'hash = "{stored}"', ""]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines))
        os.replace(tmp, path)
    except OSError as exc:
        raise AuthError(f"{path}: cannot write the officer file ({exc})") from exc
    return path
