"""Backups: checked copies of the database with a manifest, kept N, and restore.

A backup is written with `VACUUM INTO` to a temporary name, integrity-checked, then renamed,
so a half-written file never looks like a backup. Its manifest (JSON beside it) records the
audit chain's latest hash and the file's SHA-256: a restore refuses a backup that does not
match, or whose own audit chain does not verify.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ldn_desktop.store import audit
from ldn_desktop.store.base import iso
from ldn_desktop.store.connection import integrity_check
from ldn_desktop.store.errors import (
    DatabaseDamaged,
    DatabaseUnavailable,
    NewerSchema,
    environment_fault,
)
from ldn_desktop.store.records import BackupInfo
from ldn_desktop.store.schema import SCHEMA_VERSION, schema_version
from ldn_desktop.store.users import UsersMixin

PREFIX = "ldn-desktop-"
ROTATED_REASONS = ("manual", "daily", "exit")  # "before-..." copies are never pruned


def default_backup_folder(database: Path) -> Path:
    return database.parent / "backups"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _check_copy(path: Path) -> tuple[int, str]:
    """(schema version, audit head) of a database copy, if it is sound; else DatabaseDamaged."""
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise DatabaseDamaged(f"The backup {path.name} cannot be opened ({error}).") from error
    try:
        problem = integrity_check(conn)
        if problem != "ok":
            raise DatabaseDamaged(f"The backup {path.name} is damaged ({problem}).")
        try:
            return schema_version(conn), audit.head(conn)
        except sqlite3.Error as error:
            raise DatabaseDamaged(
                f"{path.name} is not an LDN Desktop database ({error})."
            ) from error
    finally:
        conn.close()


def write_backup(conn: sqlite3.Connection, folder: Path, reason: str, now: datetime) -> BackupInfo:
    """Copy the database behind `conn` into `folder`; the connection must not be mid-write."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DatabaseUnavailable(
            f"The backup folder {folder} cannot be created: {error.strerror}."
        ) from error
    name = f"{PREFIX}{now.astimezone(UTC):%Y%m%d-%H%M%S-%f}-{reason}.sqlite3"
    final = folder / name
    partial = folder / (name + ".part")
    try:
        conn.execute("VACUUM INTO ?", (str(partial),))
    except sqlite3.Error as error:
        partial.unlink(missing_ok=True)
        fault = environment_fault(error)
        raise (fault or error) from error
    try:
        version, head = _check_copy(partial)
        _fsync(partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, final)
    return _with_manifest(final, now, reason, version, head)


def _with_manifest(final: Path, now: datetime, reason: str, version: int, head: str) -> BackupInfo:
    info = BackupInfo(
        path=final,
        made_at=now,
        size_bytes=final.stat().st_size,
        schema_version=version,
        audit_head=head,
        reason=reason,
    )
    manifest = {
        "file": final.name,
        "made_at": iso(now),
        "reason": reason,
        "schema_version": version,
        "audit_head": head,
        "size_bytes": info.size_bytes,
        "sha256": _sha256(final),
    }
    partial_manifest = final.with_suffix(".json.part")
    partial_manifest.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    os.replace(partial_manifest, final.with_suffix(".json"))
    return info


def list_backups(folder: Path) -> tuple[BackupInfo, ...]:
    """The backups in `folder` that have a manifest, newest first."""
    found: list[BackupInfo] = []
    if not folder.is_dir():
        return ()
    for manifest_path in folder.glob(f"{PREFIX}*.json"):
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            path = manifest_path.with_suffix(".sqlite3")
            if not path.exists():
                continue
            found.append(
                BackupInfo(
                    path=path,
                    made_at=datetime.fromisoformat(manifest["made_at"]),
                    size_bytes=int(manifest["size_bytes"]),
                    schema_version=int(manifest["schema_version"]),
                    audit_head=str(manifest["audit_head"]),
                    reason=str(manifest["reason"]),
                )
            )
        except (OSError, ValueError, KeyError, TypeError):
            continue  # not one of ours, or damaged: never listed as restorable
    return tuple(sorted(found, key=lambda b: b.made_at, reverse=True))


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete the rotated backups beyond the newest `keep`; returns what was deleted."""
    rotated = [b for b in list_backups(folder) if b.reason in ROTATED_REASONS]
    deleted = []
    for old in rotated[keep:]:
        old.path.unlink(missing_ok=True)
        old.path.with_suffix(".json").unlink(missing_ok=True)
        deleted.append(old.path)
    return deleted


def backup_before_migration(conn: sqlite3.Connection, database: Path, version: int) -> BackupInfo:
    return write_backup(
        conn, default_backup_folder(database), f"before-migration-v{version}", datetime.now(UTC)
    )


def restore_backup(backup: Path, database: Path) -> Path | None:
    """Replace `database` with `backup` after checking it; returns the copy of the old database.

    The store on `database` must be closed. Refused (nothing touched) when the backup is
    damaged, from a newer version, altered since it was made, or its audit chain is broken.
    """
    if not backup.is_file():
        raise DatabaseUnavailable(f"There is no backup file at {backup}.")
    version, head = _check_copy(backup)
    if version > SCHEMA_VERSION:
        raise NewerSchema(f"The backup {backup.name} was made by a newer version of LDN Desktop.")
    manifest_path = backup.with_suffix(".json")
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("audit_head") != head or manifest.get("sha256") != _sha256(backup):
            raise DatabaseDamaged(
                f"The backup {backup.name} does not match its manifest: it was changed after "
                "it was made. Choose another backup."
            )
    conn = sqlite3.connect(backup.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        verification = audit.verify(conn)
    finally:
        conn.close()
    if not verification.ok:
        raise DatabaseDamaged(
            f"The backup {backup.name} fails the audit check ({verification.problem})."
        )
    kept: Path | None = None
    if database.exists():
        kept = _copy_current(database)
    staging = database.with_name(database.name + ".restoring")
    shutil.copyfile(backup, staging)
    _fsync(staging)
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            database.with_name(database.name + suffix).unlink()
    os.replace(staging, database)
    return kept


def _copy_current(database: Path) -> Path:
    """A copy of the database about to be replaced (its WAL included), via the backup API."""
    folder = default_backup_folder(database)
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    target = folder / f"{PREFIX}{now:%Y%m%d-%H%M%S-%f}-before-restore.sqlite3"
    source = sqlite3.connect(str(database))
    try:
        destination = sqlite3.connect(str(target))
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    try:
        version, head = _check_copy(target)
    except DatabaseDamaged:
        return target  # kept as it was, damage and all, but never offered as a backup
    _fsync(target)
    _with_manifest(target, now, "before-restore", version, head)
    return target


class BackupsMixin(UsersMixin):
    def backup_folder(self) -> Path:
        chosen = self.app_settings().backup_folder
        return Path(chosen) if chosen else default_backup_folder(self._path)

    def make_backup(self, *, reason: str = "manual", folder: Path | None = None) -> BackupInfo:
        target = folder or self.backup_folder()
        info = write_backup(self._conn, target, reason, self._now())
        prune(target, self.app_settings().backup_keep)
        return info

    def list_backups(self, folder: Path | None = None) -> tuple[BackupInfo, ...]:
        return list_backups(folder or self.backup_folder())

    def last_backup_time(self) -> datetime | None:
        backups = self.list_backups()
        return backups[0].made_at if backups else None

    def backup_due(self, *, now: datetime | None = None) -> bool:
        last = self.last_backup_time()
        if last is None:
            return True
        interval = timedelta(hours=self.app_settings().backup_interval_hours)
        return (now or self._now()) - last >= interval

    def backup_on_exit(self) -> BackupInfo | None:
        if self._read_only:
            return None
        backups = self.list_backups()
        if backups and backups[0].audit_head == audit.head(self._conn):
            return None
        return self.make_backup(reason="exit")
