"""Officer login rules that outlive a browser tab: throttling, lockout, audit log, idle timeout.

Without them a password could be guessed at full speed (30 wrong passwords in 7.7 s met no
slowdown and left no trace) and a logged-in officer stayed logged in for as long as the tab was
open. The rules live here, without Streamlit, so they are unit-tested with an injected clock;
``app.py`` only asks and shows the answer.

- Every failed attempt is counted against the account *and* the client (its IP address, or
  its browser session where Streamlit gives none): guessing one account from many clients, or
  many accounts from one client, meets the same limits. After a failure the next attempt on
  that key waits 1, 2, 4, 8 s; the 5th failure within 15 minutes locks the key for 15 minutes,
  each further lock twice as long (up to a day). A locked key is refused without checking the
  password, so a lock cannot be used to go on guessing. Unknown accounts are counted like real
  ones: the answer does not reveal which names exist.
- The state is one :class:`LoginGuard` per officer file, shared by every session of the server
  (module level, guarded by a lock); only one attempt per key runs at a time.
- Logins, failures, locks and logouts go to the ``gis_app.viewer.login`` logger and to an audit
  file (JSON lines, never a password). Refused attempts (still locked or waiting) only go to
  the logger: an attacker hammering a lock must not fill the disk.
"""

from __future__ import annotations

import json
import logging
import math
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .auth import AuthError, auth_file
from .frame_env import AUDIT_ENV, IDLE_ENV

LOGGER = logging.getLogger("gis_app.viewer.login")
#: Idle minutes after which an officer session ends when ``KCN_GIS_IDLE_MINUTES`` is unset.
DEFAULT_IDLE_MINUTES = 30.0
#: Names and client ids are user input: shortened in keys and logs.
_MAX_TEXT = 80


@dataclass(frozen=True)
class Policy:
    """How many failures lock a key, and for how long."""

    max_failures: int = 5  #: failures within ``window`` that lock a key
    window: float = 15 * 60.0  #: seconds a failure counts for
    delay: float = 1.0  #: wait after the first failure, doubled after each further one
    lock: float = 15 * 60.0  #: the first lock; each further lock lasts twice as long
    max_lock: float = 24 * 3600.0  #: longest lock; a key quiet this long starts afresh
    max_keys: int = 10_000  #: forget expired keys beyond this many (memory stays bounded)


@dataclass(frozen=True)
class Refusal:
    """Why an attempt is not made now: ``locked`` (a lock) or a short wait; ``wait`` seconds."""

    locked: bool
    wait: float


@dataclass(frozen=True)
class Outcome:
    """The answer to one attempt: ``ok`` or not, and the refusal or lock it met or caused."""

    ok: bool
    refusal: Refusal | None = None


@dataclass
class _Record:
    """One key's recent failures (times), its lock and whether an attempt is running."""

    failures: deque[float] = field(default_factory=deque)
    last_failure: float = -math.inf
    locked_until: float = -math.inf
    locks: int = 0
    busy: bool = False


def short(text: str, limit: int = _MAX_TEXT) -> str:
    """``text`` cut to ``limit`` characters (user input in keys, logs and messages)."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def audit_file(auth_path: Path | None = None) -> Path:
    """The audit file: ``$KCN_GIS_AUDIT_FILE``, or ``<officer file>-audit.log`` beside it."""
    value = os.environ.get(AUDIT_ENV)
    if value:
        return Path(value).expanduser()
    auth_path = auth_path or auth_file()
    return auth_path.with_name(auth_path.stem + "-audit.log")


class LoginGuard:
    """Throttling, lockout and audit of officer logins for one officer file (thread-safe)."""

    def __init__(self, policy: Policy | None = None, *, audit: Path | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.policy = policy or Policy()
        self.audit = audit
        self._clock = clock
        self._lock = threading.Lock()
        self._records: dict[tuple[str, str], _Record] = {}

    def attempt(self, account: str, client: str, verify: Callable[[], bool]) -> Outcome:
        """Check a login: refuse it while either key waits or is locked, else ``verify()``.

        ``verify`` (the password check) runs outside the lock; an error it raises (an
        unreadable officer file) counts as no attempt and propagates.
        """
        keys = (("account", short(account)), ("client", short(client)))
        with self._lock:
            now = self._clock()
            refusal = self._refusal(keys, now)
            if refusal is None:
                for key in keys:
                    self._record(key).busy = True
        if refusal is not None:
            LOGGER.info("login refused (%s, retry in %.0f s): account=%r client=%r",
                        "locked" if refusal.locked else "too soon", refusal.wait,
                        short(account), short(client))
            return Outcome(False, refusal)
        try:
            ok = verify()
        except BaseException:
            with self._lock:
                for key in keys:
                    self._record(key).busy = False
            raise
        with self._lock:
            lock = self._settle(keys, ok, self._clock())
        if ok:
            self.log("login_ok", account, client)
        else:
            self.log("login_failed", account, client)
            if lock is not None:
                self.log("login_locked", account, client, retry_in=round(lock.wait))
        return Outcome(ok, lock)

    def log(self, event: str, account: str, client: str, **extra: object) -> None:
        """Log ``event`` to the logger and append it to the audit file (one JSON line)."""
        level = logging.WARNING if event in ("login_failed", "login_locked") else logging.INFO
        LOGGER.log(level, "%s: account=%r client=%r %s", event, short(account), short(client),
                   " ".join(f"{k}={v}" for k, v in extra.items()))
        if self.audit is None:
            return
        stamp = datetime.fromtimestamp(self._clock(), UTC).isoformat(timespec="seconds")
        line = json.dumps({"time": stamp, "event": event, "account": short(account),
                           "client": short(client), **extra}, ensure_ascii=False)
        try:
            self.audit.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.audit, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            with self._lock, os.fdopen(fd, "a", encoding="utf-8") as handle:
                handle.write(line + "\n")
        except OSError as exc:
            # The login itself must not fail because the log cannot be written; say so loudly.
            LOGGER.error("%s: cannot write the login audit file (%s)", self.audit, exc)

    def _record(self, key: tuple[str, str]) -> _Record:
        record = self._records.get(key)
        if record is None:
            if len(self._records) >= self.policy.max_keys:
                self._forget_expired(self._clock())
            record = self._records[key] = _Record()
        return record

    def _refusal(self, keys: tuple[tuple[str, str], ...], now: float) -> Refusal | None:
        """The longest refusal among ``keys`` at ``now``, or None when an attempt may run."""
        refusals: list[Refusal] = []
        for key in keys:
            record = self._records.get(key)
            if record is None:
                continue
            self._expire(record, now)
            if record.locked_until > now:
                refusals.append(Refusal(True, record.locked_until - now))
            elif record.busy:
                refusals.append(Refusal(False, self.policy.delay))
            elif record.failures:
                ready = record.last_failure + self.policy.delay * 2 ** (len(record.failures) - 1)
                if ready > now:
                    refusals.append(Refusal(False, ready - now))
        if not refusals:
            return None
        return max(refusals, key=lambda r: (r.locked, r.wait))

    def _settle(self, keys: tuple[tuple[str, str], ...], ok: bool, now: float
                ) -> Refusal | None:
        """Record the attempt's result on every key; the lock it caused, if any."""
        caused: Refusal | None = None
        for kind, name in keys:
            record = self._record((kind, name))
            record.busy = False
            if ok:
                if kind == "account":  # the client's failures stand: one good account
                    self._records.pop((kind, name), None)  # must not reset guessing others
                continue
            if now - record.last_failure > self.policy.max_lock:
                record.locks = 0
            record.failures.append(now)
            record.last_failure = now
            self._expire(record, now)
            if len(record.failures) >= self.policy.max_failures:
                length = min(self.policy.lock * 2 ** record.locks, self.policy.max_lock)
                record.locked_until = now + length
                record.locks += 1
                record.failures.clear()
                caused = Refusal(True, length) if caused is None or length > caused.wait \
                    else caused
        return caused

    def _expire(self, record: _Record, now: float) -> None:
        while record.failures and now - record.failures[0] > self.policy.window:
            record.failures.popleft()

    def _forget_expired(self, now: float) -> None:
        for key, record in list(self._records.items()):
            self._expire(record, now)
            if (not record.busy and not record.failures and record.locked_until <= now
                    and now - record.last_failure > self.policy.max_lock):
                del self._records[key]


_GUARDS: dict[tuple[Path, Path], LoginGuard] = {}
_GUARDS_LOCK = threading.Lock()


def guard(auth_path: Path | None = None) -> LoginGuard:
    """The server-wide guard of an officer file (one per file and audit file, shared by every
    session of this process)."""
    auth_path = (auth_path or auth_file()).resolve()
    audit = audit_file(auth_path).resolve()
    with _GUARDS_LOCK:
        found = _GUARDS.get((auth_path, audit))
        if found is None:
            found = _GUARDS[(auth_path, audit)] = LoginGuard(audit=audit)
        return found


def idle_minutes(env: Mapping[str, str] | None = None) -> float:
    """Minutes without activity after which an officer session ends (``KCN_GIS_IDLE_MINUTES``)."""
    value = (os.environ if env is None else env).get(IDLE_ENV, "").strip()
    if not value:
        return DEFAULT_IDLE_MINUTES
    try:
        minutes = float(value)
    except ValueError:
        minutes = math.nan
    if not (math.isfinite(minutes) and minutes > 0):
        raise AuthError(f"{IDLE_ENV}={short(value)!r}: give a positive number of minutes "
                        f"(default {DEFAULT_IDLE_MINUTES:g})")
    return minutes


def idle_expired(last_activity: float, now: float, minutes: float) -> bool:
    """True when an officer last active at ``last_activity`` has been idle too long."""
    return now - last_activity >= minutes * 60.0


def idle_check_seconds(minutes: float) -> float:
    """How often an open page checks for idleness: a quarter of the limit, 1 s to 1 min."""
    return max(1.0, min(60.0, minutes * 60.0 / 4))
