"""The steering accounts (tender §6.5: 4 Carsat, CNAV, AMOA), their sessions, the login
throttle and the audit log, kept in the records database (separate from the platform's
API credentials)."""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..records import REGIONS, RecordStore

ROLES = ("carsat", "cnav", "amoa", "admin")
CARSAT_REGIONS = tuple(r for r in REGIONS if r != "autre")
SESSION_SECONDS = 8 * 3600
MAX_FAILURES = 5  # per login (and per address) within FAILURE_WINDOW_S
FAILURE_WINDOW_S = 15 * 60
_LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
_hasher = PasswordHasher()


class AccountError(ValueError):
    """A bad account request; the message says what to change."""


@dataclass(frozen=True)
class User:
    login: str
    role: str
    region: str | None  # a Carsat account sees only its region's calls

    @property
    def sees_all_regions(self) -> bool:
        return self.region is None

    @property
    def can_publish(self) -> bool:
        """Messages, voice and improvement actions: CNAV, AMOA and administrators."""
        return self.role in ("cnav", "amoa", "admin")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Accounts:
    def __init__(self, store: RecordStore) -> None:
        self.store = store

    # -- users -------------------------------------------------------------------------
    def add_user(self, login: str, role: str, password: str, region: str | None = None) -> User:
        if not _LOGIN.match(login):
            raise AccountError("login: 2 to 64 lower-case letters, digits, '.', '_' or '-'")
        if role not in ROLES:
            raise AccountError(f"role: one of {', '.join(ROLES)}")
        if role == "carsat" and region not in CARSAT_REGIONS:
            raise AccountError(f"a carsat account needs --region ({', '.join(CARSAT_REGIONS)})")
        if role != "carsat" and region is not None:
            raise AccountError("only a carsat account has a region")
        if len(password) < 12:
            raise AccountError("password: at least 12 characters")
        if self.store.query("SELECT 1 FROM admin_users WHERE login = ?", [login]):
            raise AccountError(f"login {login!r} exists already")
        self.store.execute("INSERT INTO admin_users (login, password_hash, role, region,"
                           " created_utc) VALUES (?, ?, ?, ?, ?)",
                           [login, _hasher.hash(password), role, region, int(time.time())])
        self.audit(login, "account.created", f"role={role} region={region or '-'}")
        return User(login, role, region)

    def user(self, login: str) -> User | None:
        rows = self.store.query("SELECT login, role, region FROM admin_users WHERE login = ?",
                                [login])
        return User(*rows[0]) if rows else None

    # -- login -------------------------------------------------------------------------
    def throttled(self, login: str, address: str, now: float | None = None) -> bool:
        since = int((now or time.time()) - FAILURE_WINDOW_S)
        rows = self.store.query(
            "SELECT COUNT(*) FROM admin_failures WHERE at_utc >= ? AND (login = ? OR address = ?)",
            [since, login, address])
        return int(rows[0][0]) >= MAX_FAILURES

    def authenticate(self, login: str, password: str, address: str) -> User | None:
        """The user, or None (a failure is counted; the same answer for an unknown login
        and a wrong password)."""
        rows = self.store.query("SELECT password_hash FROM admin_users WHERE login = ?",
                                [login])
        try:
            if rows and _hasher.verify(rows[0][0], password):
                self.audit(login, "login", address)
                return self.user(login)
        except (VerificationError, InvalidHashError):
            pass
        if not rows:  # spend the same time as a real check
            _hasher.hash(password)
        self.store.execute("INSERT INTO admin_failures (login, address, at_utc) VALUES (?, ?, ?)",
                           [login[:64], address[:64], int(time.time())])
        return None

    # -- sessions ----------------------------------------------------------------------
    def open_session(self, user: User) -> tuple[str, str]:
        """A new session token (for the cookie) and its CSRF token (for the forms)."""
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
        now = int(time.time())
        self.store.execute("DELETE FROM admin_sessions WHERE expires_utc < ?", [now])
        self.store.execute("INSERT INTO admin_sessions (token_hash, login, csrf, expires_utc)"
                           " VALUES (?, ?, ?, ?)",
                           [_hash(token), user.login, csrf, now + SESSION_SECONDS])
        return token, csrf

    def session(self, token: str) -> tuple[User, str] | None:
        """The user and CSRF token of a live session."""
        rows = self.store.query("SELECT login, csrf FROM admin_sessions WHERE token_hash = ?"
                                " AND expires_utc >= ?", [_hash(token), int(time.time())])
        if not rows:
            return None
        user = self.user(rows[0][0])
        return (user, str(rows[0][1])) if user else None

    def close_session(self, token: str) -> None:
        self.store.execute("DELETE FROM admin_sessions WHERE token_hash = ?", [_hash(token)])

    # -- audit -------------------------------------------------------------------------
    def audit(self, login: str, action: str, detail: str = "") -> None:
        """Every change, publication, export and login (tender §6.5)."""
        self.store.execute("INSERT INTO admin_audit (at_utc, login, action, detail)"
                           " VALUES (?, ?, ?, ?)",
                           [int(time.time()), login, action, detail[:500]])

    def audit_log(self, limit: int = 200) -> list[tuple[int, str, str, str]]:
        rows = self.store.query("SELECT at_utc, login, action, detail FROM admin_audit"
                                " ORDER BY at_utc DESC, id DESC LIMIT ?", [limit])
        return [(int(a), str(b), str(c), str(d)) for a, b, c, d in rows]
