"""Opening the SQLite file safely: where it may live, how it is configured, whether it is sound.

Every connection: WAL journal, synchronous=FULL (a committed batch survives a power cut),
foreign keys on (set outside any transaction, or SQLite ignores it), a busy timeout. A network
share is refused: SQLite's WAL needs shared memory, which NFS/SMB do not provide.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path, PureWindowsPath

from ldn_desktop.store.errors import (
    DatabaseDamaged,
    DatabaseUnavailable,
    NetworkShareRefused,
    environment_fault,
)

NETWORK_FILESYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "fuse.sshfs", "9p", "afs", "ncpfs"}
)
DEFAULT_BUSY_TIMEOUT_MS = 5000


def network_filesystem(path: Path, mounts_text: str | None = None) -> str | None:
    """The network file system type `path` lives on ("nfs4", "cifs" ...), or None if local.

    Linux: the longest mount point in /proc/mounts containing the path. Windows: a UNC path
    (\\\\server\\share) or a mapped network drive.
    """
    text = str(path)
    if text.startswith(("\\\\", "//")) and not text.startswith(("\\\\?\\", "\\\\.\\")):
        return "windows-share"
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        return _windows_drive_type(path)
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/mounts").read_text(encoding="utf-8")
        except OSError:
            return None
    resolved = os.path.realpath(text)
    best, best_type = "", ""
    for line in mounts_text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        mount_point = fields[1].replace("\\040", " ")
        prefix = mount_point.rstrip("/") + "/"
        if (resolved == mount_point or resolved.startswith(prefix) or mount_point == "/") and len(
            mount_point
        ) >= len(best):
            best, best_type = mount_point, fields[2]
    return best_type if best_type in NETWORK_FILESYSTEMS else None


def _windows_drive_type(path: Path) -> str | None:  # pragma: no cover - Windows only
    import ctypes

    drive = PureWindowsPath(os.path.abspath(path)).drive + "\\"
    drive_remote = 4  # DRIVE_REMOTE from GetDriveTypeW
    if ctypes.windll.kernel32.GetDriveTypeW(drive) == drive_remote:  # type: ignore[attr-defined]
        return "windows-share"
    return None


def refuse_network_share(path: Path, mounts_text: str | None = None) -> None:
    kind = network_filesystem(path.parent if not path.exists() else path, mounts_text)
    if kind is not None:
        raise NetworkShareRefused(
            f"The database {path} is on a network drive ({kind}). SQLite cannot keep a "
            "database safe there (its write-ahead log needs a local disk): keep it on this "
            "computer's own disk. Several workstations will need the server edition."
        )


def connect(
    path: Path, *, read_only: bool, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS
) -> sqlite3.Connection:
    """A configured connection, or an EnvironmentFault saying why there is none."""
    if not read_only:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DatabaseUnavailable(
                f"The folder for the database ({path.parent}) cannot be created: {error.strerror}."
            ) from error
    elif not path.exists():
        raise DatabaseUnavailable(f"There is no database at {path}.")
    try:
        if read_only:
            uri = path.resolve().as_uri() + "?mode=ro"
            conn = sqlite3.connect(uri, uri=True, timeout=busy_timeout_ms / 1000)
        else:
            conn = sqlite3.connect(str(path), timeout=busy_timeout_ms / 1000)
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                conn.close()
                raise DatabaseUnavailable(
                    f"The database {path} cannot use write-ahead logging (journal mode {mode})."
                )
        conn.execute("PRAGMA synchronous = FULL")
    except sqlite3.Error as error:
        fault = environment_fault(error)
        if fault is None or isinstance(fault, DatabaseDamaged):
            fault = DatabaseDamaged(
                f"The file {path} is not an LDN Desktop database, or is damaged ({error}). "
                "Choose another file or restore a backup."
            )
        raise fault from error
    return conn


def quick_check(conn: sqlite3.Connection) -> str:
    """ "ok", or the first problem SQLite's quick_check finds."""
    try:
        rows = conn.execute("PRAGMA quick_check(1)").fetchall()
    except sqlite3.DatabaseError as error:
        return str(error)
    return _one_line(str(rows[0][0])) if rows else "no answer from quick_check"


def integrity_check(conn: sqlite3.Connection) -> str:
    try:
        rows = conn.execute("PRAGMA integrity_check(1)").fetchall()
    except sqlite3.DatabaseError as error:
        return str(error)
    return _one_line(str(rows[0][0])) if rows else "no answer from integrity_check"


def _one_line(text: str) -> str:
    """SQLite's own report spans lines; a message for a person is one line."""
    return " ".join(text.replace("***", "").split())
