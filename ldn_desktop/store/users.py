"""Users, sign-in with lockout, and the pharmacy's settings."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, fields
from datetime import timedelta
from typing import Any

from ldn_desktop.store.base import StoreBase, iso, parse_time, text_field
from ldn_desktop.store.errors import (
    AccountLocked,
    InvalidField,
    NotFound,
    PermissionRefused,
    RuleRefused,
    SignatureRefused,
    SignInRefused,
)
from ldn_desktop.store.passwords import (
    MIN_PASSWORD_LENGTH,
    check_password,
    dummy_check,
    hash_password,
)
from ldn_desktop.store.records import AppSettings, PharmacyDetails, Role, User

# OWASP Authentication Cheat Sheet: lock an account after a few failures, for a while.
MAX_FAILED_SIGN_INS = 5
LOCKOUT = timedelta(minutes=15)

CALCULATION_SETTINGS_KEY = "calculation_settings"
APP_SETTINGS_KEY = "app_settings"


def _user(row: tuple[Any, ...]) -> User:
    return User(int(row[0]), str(row[1]), str(row[2]), Role(row[3]), bool(row[4]))


_USER_COLUMNS = "id, username, full_name, role, active"


class UsersMixin(StoreBase):
    def is_first_run(self) -> bool:
        row = self._conn.execute("SELECT count(*) FROM users").fetchone()
        return int(row[0]) == 0

    def create_pharmacy(
        self, details: PharmacyDetails, admin_username: str, admin_full_name: str, password: str
    ) -> User:
        from ldn_desktop.store.seed import seed_formulas

        pharmacy = self._checked_details(details)
        username = self._checked_username(admin_username)
        full_name = text_field("full_name", admin_full_name, max_length=200)
        password_hash = self._new_password_hash(password)
        with self._write():
            if not self.is_first_run():
                raise RuleRefused("This pharmacy has already been set up.")
            self._insert("pharmacy", {"id": 1, **asdict(pharmacy)}, None)
            user_id = self._insert(
                "users",
                {
                    "username": username,
                    "full_name": full_name,
                    "role": Role.ADMINISTRATOR.value,
                    "password_hash": password_hash,
                    "active": 1,
                    "failed_attempts": 0,
                    "locked_until": None,
                    "created_at": iso(self._now()),
                },
                None,
            )
            admin = User(user_id, username, full_name, Role.ADMINISTRATOR)
            seed_formulas(self, admin)
        return admin

    def authenticate(self, username: str, password: str) -> User:
        refused = SignInRefused("The username or password is not right.")
        row = self._conn.execute(
            f"SELECT {_USER_COLUMNS}, password_hash, failed_attempts, locked_until FROM users "
            "WHERE username = ?",
            (username.strip(),),
        ).fetchone()
        if row is None:
            dummy_check(password, n=self._scrypt_n)
            raise refused
        user = _user(row)
        locked_until = parse_time(row[7])
        now = self._now()
        if locked_until is not None and locked_until > now:
            minutes = max(1, int((locked_until - now).total_seconds() // 60) + 1)
            raise AccountLocked(
                f"Too many wrong passwords: {user.username} is locked for {minutes} more "
                "minute(s), or until an administrator sets a new password."
            )
        if not check_password(password, str(row[5])):
            failures = int(row[6]) + 1
            lock = iso(now + LOCKOUT) if failures >= MAX_FAILED_SIGN_INS else None
            if not self._read_only:
                with self._write() as conn:  # not audited: a counter, not a record
                    conn.execute(
                        "UPDATE users SET failed_attempts = ?, locked_until = ? WHERE id = ?",
                        (0 if lock else failures, lock, user.id),
                    )
            if lock:
                raise AccountLocked(
                    f"Too many wrong passwords: {user.username} is locked for "
                    f"{int(LOCKOUT.total_seconds() // 60)} minutes."
                )
            raise refused
        if not user.active:
            raise SignInRefused(f"{user.username} has been deactivated by an administrator.")
        if (int(row[6]) or row[7]) and not self._read_only:
            with self._write() as conn:
                conn.execute(
                    "UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = ?",
                    (user.id,),
                )
        return user

    def add_user(
        self, username: str, full_name: str, role: Role, password: str, *, by: User
    ) -> User:
        name = self._checked_username(username)
        full = text_field("full_name", full_name, max_length=200)
        role = Role(role)
        password_hash = self._new_password_hash(password)
        with self._write():
            actor = self._actor(by, "users")
            user_id = self._insert(
                "users",
                {
                    "username": name,
                    "full_name": full,
                    "role": role.value,
                    "password_hash": password_hash,
                    "active": 1,
                    "failed_attempts": 0,
                    "locked_until": None,
                    "created_at": iso(self._now()),
                },
                actor,
            )
        return User(user_id, name, full, role)

    def set_password(self, user_id: int, new_password: str, *, by: User) -> None:
        password_hash = self._new_password_hash(new_password)
        with self._write():
            actor = by if by.id == user_id else self._actor(by, "users")
            self._update(
                "users",
                user_id,
                {"password_hash": password_hash, "failed_attempts": 0, "locked_until": None},
                actor,
                "password changed",
            )

    def set_user_active(self, user_id: int, active: bool, *, by: User) -> None:
        with self._write():
            actor = self._actor(by, "users")
            if user_id == actor.id and not active:
                raise RuleRefused("You cannot deactivate your own account.")
            self._update("users", user_id, {"active": int(active)}, actor, "activation changed")

    def list_users(self) -> tuple[User, ...]:
        rows = self._conn.execute(
            f"SELECT {_USER_COLUMNS} FROM users ORDER BY username COLLATE NOCASE"
        ).fetchall()
        return tuple(_user(r) for r in rows)

    def user(self, user_id: int) -> User:
        row = self._conn.execute(
            f"SELECT {_USER_COLUMNS} FROM users WHERE id = ?", (user_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"There is no user {user_id}.")
        return _user(row)

    def _check_signature_password(self, user: User, password: str) -> None:
        """A signature needs the password again (21 CFR 11.200: both identification parts)."""
        row = self._conn.execute(
            "SELECT password_hash FROM users WHERE id = ?", (user.id,)
        ).fetchone()
        if row is None or not check_password(password, str(row[0])):
            raise SignatureRefused("The password is not right: the record was not signed.")

    def _new_password_hash(self, password: str) -> str:
        if len(password) < MIN_PASSWORD_LENGTH:
            raise InvalidField("password", f"must be at least {MIN_PASSWORD_LENGTH} characters")
        text_field("password", password, max_length=200)
        return hash_password(password, n=self._scrypt_n)

    def _checked_username(self, username: str) -> str:
        name = text_field("username", username, max_length=64)
        if name != name.strip() or any(ch.isspace() for ch in name):
            raise InvalidField("username", "must not contain spaces")
        return name

    # --- settings ---------------------------------------------------------------------------
    def pharmacy_details(self) -> PharmacyDetails:
        row = self._conn.execute(
            "SELECT name, address, phone, licence_number FROM pharmacy WHERE id = 1"
        ).fetchone()
        if row is None:
            return PharmacyDetails(name="")
        return PharmacyDetails(*row)

    def set_pharmacy_details(self, details: PharmacyDetails, *, by: User) -> None:
        checked = self._checked_details(details)
        with self._write():
            actor = self._actor(by, "pharmacy-settings")
            self._update("pharmacy", 1, asdict(checked), actor, "update")

    def _checked_details(self, details: PharmacyDetails) -> PharmacyDetails:
        return PharmacyDetails(
            name=text_field("name", details.name, label="pharmacy name", max_length=200),
            address=text_field("address", details.address, required=False, max_length=500),
            phone=text_field("phone", details.phone, required=False, max_length=50),
            licence_number=text_field(
                "licence_number", details.licence_number, required=False, max_length=100
            ),
        )

    def app_settings(self) -> AppSettings:
        stored = self._setting(APP_SETTINGS_KEY)
        if not isinstance(stored, dict):
            return AppSettings()
        known = {f.name for f in fields(AppSettings)}
        return AppSettings(**{k: v for k, v in stored.items() if k in known})

    def set_app_settings(self, settings: AppSettings, *, by: User) -> None:
        for name in ("backup_keep", "backup_interval_hours", "idle_lock_minutes"):
            value = getattr(settings, name)
            if not isinstance(value, int) or value < 1 or value > 10_000:
                raise InvalidField(name, "must be a whole number from 1 to 10,000")
        for name in ("label_stock", "paper_size", "backup_folder"):
            text_field(name, getattr(settings, name), required=False)
        with self._write():
            actor = self._actor(by, "pharmacy-settings")
            self._put_setting(APP_SETTINGS_KEY, asdict(settings), actor)

    def calculation_settings(self) -> dict[str, Any] | None:
        stored = self._setting(CALCULATION_SETTINGS_KEY)
        return stored if isinstance(stored, dict) else None

    def set_calculation_settings(self, settings: Mapping[str, Any], *, by: User) -> None:
        try:
            value = json.loads(json.dumps(dict(settings), default=str))
        except (TypeError, ValueError) as error:
            raise InvalidField("calculation_settings", f"cannot be saved ({error})") from error
        with self._write():
            actor = self._actor(by, "calculation-settings")
            self._put_setting(CALCULATION_SETTINGS_KEY, value, actor)

    def _setting(self, key: str) -> Any:
        row = self._conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return None if row is None else json.loads(row[0])

    def _put_setting(self, key: str, value: Any, actor: User) -> None:
        text = json.dumps(value, sort_keys=True, ensure_ascii=False)
        row = self._conn.execute("SELECT id FROM settings WHERE key = ?", (key,)).fetchone()
        if row is None:
            self._insert("settings", {"key": key, "value": text}, actor)
        else:
            self._update("settings", int(row[0]), {"value": text}, actor, "update")


__all__ = ["LOCKOUT", "MAX_FAILED_SIGN_INS", "PermissionRefused", "UsersMixin"]
