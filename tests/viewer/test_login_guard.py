"""Officer login throttling, lockout, audit log and idle timeout (gis_app.viewer.login_guard),
driven with an injected clock: no browser, no waiting."""

from __future__ import annotations

import json
import logging
import threading
import time
from pathlib import Path

import pytest

from gis_app.viewer import auth, login_guard
from gis_app.viewer.login_guard import LoginGuard, Policy

PASSWORD, WRONG = "mật-khẩu-đúng", "mật-khẩu-sai-Zq9"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Passwords:
    """The password check of a real officer file, counting how often it ran."""

    def __init__(self, path: Path) -> None:
        auth.add_officer("lan", PASSWORD, path)
        auth.add_officer("minh", PASSWORD, path)
        self.path, self.calls = path, 0

    def __call__(self, name: str, password: str):
        def verify() -> bool:
            self.calls += 1
            return auth.check_login(name, password, self.path)
        return verify


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def passwords(tmp_path: Path) -> Passwords:
    return Passwords(tmp_path / "officers.toml")


@pytest.fixture
def guard(clock: Clock, tmp_path: Path) -> LoginGuard:
    return LoginGuard(audit=tmp_path / "audit.log", clock=clock)


def fail_until_locked(guard: LoginGuard, clock: Clock, passwords: Passwords, account: str,
                      clients: list[str]) -> login_guard.Outcome:
    """Wrong passwords, each after the wait the guard asks for, until one locks."""
    for i in range(20):
        outcome = guard.attempt(account, clients[i % len(clients)], passwords(account, WRONG))
        assert not outcome.ok
        if outcome.refusal is not None and outcome.refusal.locked:
            return outcome
        clock.advance(outcome.refusal.wait if outcome.refusal else guard.policy.delay * 2 ** i)
    raise AssertionError("never locked")


def test_failures_wait_longer_each_time_then_lock_the_account(guard, clock, passwords):
    waits = []
    for _ in range(4):
        outcome = guard.attempt("lan", "10.0.0.5", passwords("lan", WRONG))
        assert (outcome.ok, outcome.refusal) == (False, None)
        too_soon = guard.attempt("lan", "10.0.0.5", passwords("lan", PASSWORD))
        assert too_soon.refusal is not None and not too_soon.refusal.locked
        waits.append(too_soon.refusal.wait)
        clock.advance(too_soon.refusal.wait)
    assert waits == [1.0, 2.0, 4.0, 8.0]  # increasing delay
    calls = passwords.calls
    fifth = guard.attempt("lan", "10.0.0.5", passwords("lan", WRONG))
    assert not fifth.ok and fifth.refusal == login_guard.Refusal(True, 15 * 60.0)
    assert passwords.calls == calls + 1
    # Locked: even the right password is refused, without being checked.
    clock.advance(14 * 60)
    locked = guard.attempt("lan", "10.0.0.5", passwords("lan", PASSWORD))
    assert not locked.ok and locked.refusal == login_guard.Refusal(True, 60.0)
    assert passwords.calls == calls + 1
    clock.advance(60)
    assert guard.attempt("lan", "10.0.0.5", passwords("lan", PASSWORD)).ok


def test_the_account_locks_whatever_client_guesses(guard, clock, passwords):
    clients = [f"10.0.0.{i}" for i in range(1, 20)]
    fail_until_locked(guard, clock, passwords, "lan", clients)
    fresh = guard.attempt("lan", "192.168.1.7", passwords("lan", PASSWORD))
    assert not fresh.ok and fresh.refusal is not None and fresh.refusal.locked
    # Another account is not locked by it.
    assert guard.attempt("minh", "192.168.1.7", passwords("minh", PASSWORD)).ok


def test_the_client_locks_whatever_account_it_guesses(guard, clock, passwords):
    names = ["lan", "minh", "an", "binh", "chi", "dung"]
    for i in range(5):
        outcome = guard.attempt(names[i], "10.0.0.9", passwords(names[i], WRONG))
        clock.advance(2 ** i)  # the client's growing delay
    assert outcome.refusal is not None and outcome.refusal.locked
    refused = guard.attempt("minh", "10.0.0.9", passwords("minh", PASSWORD))
    assert refused.refusal is not None and refused.refusal.locked
    # The same account from another client is fine: each lock counts its own failures.
    assert guard.attempt("minh", "10.0.0.10", passwords("minh", PASSWORD)).ok


def test_a_success_clears_the_account_but_not_the_client(guard, clock, passwords):
    for name in ("an", "binh", "chi"):
        guard.attempt(name, "10.0.0.9", passwords(name, WRONG))
        clock.advance(10)
    assert guard.attempt("lan", "10.0.0.9", passwords("lan", PASSWORD)).ok
    clock.advance(10)
    # Logging into one's own account does not buy more guesses at others.
    guard.attempt("dung", "10.0.0.9", passwords("dung", WRONG))
    clock.advance(10)
    last = guard.attempt("em", "10.0.0.9", passwords("em", WRONG))
    assert last.refusal is not None and last.refusal.locked


def test_failures_expire_and_further_locks_last_longer(guard, clock, passwords):
    for _ in range(4):
        guard.attempt("lan", "c", passwords("lan", WRONG))
        clock.advance(10)
    clock.advance(16 * 60)  # out of the 15-minute window: a fresh start
    first = guard.attempt("lan", "c", passwords("lan", WRONG))
    assert first.refusal is None
    clock.advance(1)
    assert fail_until_locked(guard, clock, passwords, "lan", ["c"]).refusal.wait == 15 * 60
    clock.advance(15 * 60)
    assert fail_until_locked(guard, clock, passwords, "lan", ["c"]).refusal.wait == 30 * 60
    clock.advance(30 * 60)
    assert fail_until_locked(guard, clock, passwords, "lan", ["c"]).refusal.wait == 60 * 60


def test_one_attempt_at_a_time_per_account_across_threads(tmp_path, passwords):
    """Sessions of one server are threads: 12 at once on one account get one password check;
    the others are refused without one (no parallel guessing past the limit)."""
    guard = LoginGuard(audit=None)
    running = []
    barrier = threading.Barrier(12)
    outcomes = []

    def slow_wrong() -> bool:
        running.append(1)
        time.sleep(0.3)
        return False

    def session(i: int) -> None:
        barrier.wait()
        outcomes.append(guard.attempt("lan", f"10.0.0.{i}", slow_wrong))

    threads = [threading.Thread(target=session, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(running) == 1
    assert sum(o.refusal is not None for o in outcomes) == 11


def test_an_unreadable_officer_file_is_no_failed_attempt(guard, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("[officers\n", encoding="utf-8")
    for _ in range(8):
        with pytest.raises(auth.AuthError, match="broken.toml"):
            guard.attempt("lan", "c", lambda: auth.check_login("lan", "x", broken))
    assert guard.attempt("lan", "c", lambda: True).ok


def test_logins_are_logged_and_audited_without_passwords(guard, clock, passwords, tmp_path,
                                                         caplog):
    caplog.set_level(logging.INFO, logger="gis_app.viewer.login")
    hostile = 'lan\n{"event": "login_ok"}'
    guard.attempt(hostile, "10.0.0.5", passwords(hostile, WRONG))
    clock.advance(5)
    guard.attempt("lan", "10.0.0.5", passwords("lan", PASSWORD))
    fail_until_locked(guard, clock, passwords, "minh", ["10.0.0.6"])
    guard.log("logout", "lan", "10.0.0.5")
    lines = (tmp_path / "audit.log").read_text(encoding="utf-8").splitlines()
    events = [json.loads(line) for line in lines]  # one JSON object per line, even for hostile
    assert [e["event"] for e in events] == ["login_failed", "login_ok"] + [
        "login_failed"] * 5 + ["login_locked", "logout"]
    assert events[0]["account"] == hostile and events[0]["client"] == "10.0.0.5"
    assert events[1]["time"] == "2027-01-15T08:00:05+00:00"
    assert events[-2]["retry_in"] == 900
    assert (tmp_path / "audit.log").stat().st_mode & 0o077 == 0
    logged = caplog.text + "\n".join(lines)
    assert WRONG not in logged and PASSWORD not in logged
    assert any(r.levelno == logging.WARNING and "login_failed" in r.getMessage()
               for r in caplog.records)
    assert any("login_ok" in r.getMessage() for r in caplog.records)


def test_the_guard_is_shared_per_officer_file(tmp_path, monkeypatch):
    monkeypatch.delenv("KCN_GIS_AUDIT_FILE", raising=False)
    first = login_guard.guard(tmp_path / "a" / "officers.toml")
    assert login_guard.guard(tmp_path / "a" / ".." / "a" / "officers.toml") is first
    assert login_guard.guard(tmp_path / "b.toml") is not first
    assert first.audit == (tmp_path / "a" / "officers-audit.log").resolve()
    monkeypatch.setenv("KCN_GIS_AUDIT_FILE", str(tmp_path / "elsewhere.log"))
    assert login_guard.audit_file(tmp_path / "b.toml") == tmp_path / "elsewhere.log"


def test_idle_timeout_setting_and_check():
    assert login_guard.idle_minutes({}) == 30
    assert login_guard.idle_minutes({"KCN_GIS_IDLE_MINUTES": "0.1"}) == 0.1
    for bad in ("0", "-5", "nan", "inf", "ba mươi"):
        with pytest.raises(auth.AuthError, match="KCN_GIS_IDLE_MINUTES"):
            login_guard.idle_minutes({"KCN_GIS_IDLE_MINUTES": bad})
    assert not login_guard.idle_expired(1000.0, 1000.0 + 29 * 60, 30)
    assert login_guard.idle_expired(1000.0, 1000.0 + 30 * 60, 30)
    assert login_guard.idle_check_seconds(30) == 60
    assert login_guard.idle_check_seconds(0.1) == 1.5
    assert login_guard.idle_check_seconds(0.01) == 1.0


def test_policy_defaults_match_the_readme():
    policy = Policy()
    assert (policy.max_failures, policy.window, policy.lock) == (5, 900.0, 900.0)
