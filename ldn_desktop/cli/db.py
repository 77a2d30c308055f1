"""`ldn-desktop db init [--demo] | backup | restore FILE | check | verify-audit`.

For administrators and scripts. Exit 0: done / all good; 1: a problem, said on one line.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ldn_desktop.cli import CommandFailed

if TYPE_CHECKING:
    from ldn_desktop.store import Store


def register(subparsers: Any) -> None:
    db = subparsers.add_parser(
        "db",
        help="create, back up, restore and check the database",
        description="Look after the pharmacy's database (see docs/database.md).",
    )
    db.set_defaults(func=_missing_action)
    actions = db.add_subparsers(dest="db_action", metavar="ACTION")
    init = actions.add_parser("init", help="create the database (with --demo: a demo pharmacy)")
    init.add_argument(
        "--demo", action="store_true", help="fill a new database with a demo pharmacy"
    )
    init.set_defaults(func=run_init)
    backup = actions.add_parser("backup", help="make a checked backup now")
    backup.add_argument("--folder", type=Path, help="where to put it (default: from settings)")
    backup.set_defaults(func=run_backup)
    restore = actions.add_parser("restore", help="replace the database with a backup")
    restore.add_argument("file", type=Path, metavar="FILE", help="the backup .sqlite3 file")
    restore.set_defaults(func=run_restore)
    check = actions.add_parser("check", help="check the file's integrity and schema")
    check.set_defaults(func=run_check)
    verify = actions.add_parser("verify-audit", help="check the audit trail and every record")
    verify.set_defaults(func=run_verify_audit)


def database_path(args: argparse.Namespace) -> Path:
    if args.db is not None:
        return Path(args.db)
    from ldn_desktop.paths import default_database_path

    return default_database_path()


def open_for_cli(args: argparse.Namespace, *, read_only: bool = False) -> Store:
    from ldn_desktop.store import StoreError, open_store

    path = database_path(args)
    if read_only and not path.exists():
        raise CommandFailed(f"There is no database at {path}.")
    try:
        return open_store(path, read_only=read_only)
    except StoreError as error:
        raise CommandFailed(error.message) from None


def _missing_action(args: argparse.Namespace) -> int:
    raise CommandFailed("say what to do: db init|backup|restore FILE|check|verify-audit")


def run_init(args: argparse.Namespace) -> int:
    from ldn_desktop.store import StoreError

    store = open_for_cli(args)
    try:
        if args.demo:
            if not store.is_first_run():
                raise CommandFailed(
                    f"{store.path} already holds a pharmacy: the demo needs a new database "
                    "(give another --db PATH)."
                )
            from ldn_desktop.store.demo import DEMO_ADMIN, DEMO_USERS, fill_demo

            made = fill_demo(store)
            print(f"Demo pharmacy created in {store.path}:")
            print(", ".join(f"{count} {name}" for name, count in made.items()))
            for user in (DEMO_ADMIN, *DEMO_USERS):
                print(f"  {user.role.value:<13} {user.username:<6} password: {user.password}")
        else:
            state = "new, set it up in the app" if store.is_first_run() else "already set up"
            print(f"Database ready at {store.path} (schema {store.schema_version}, {state}).")
    except StoreError as error:
        raise CommandFailed(error.message) from None
    finally:
        store.close()
    return 0


def run_backup(args: argparse.Namespace) -> int:
    from ldn_desktop.store import StoreError

    store = open_for_cli(args)
    try:
        info = store.make_backup(reason="manual", folder=args.folder)
    except StoreError as error:
        raise CommandFailed(error.message) from None
    finally:
        store.close()
    print(
        f"Backup made: {info.path} ({info.size_bytes:,} bytes, audit head {info.audit_head[:12]})"
    )
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from ldn_desktop.store import StoreError, restore_backup

    path = database_path(args)
    try:
        kept = restore_backup(args.file, path)
    except StoreError as error:
        raise CommandFailed(error.message) from None
    print(f"Restored {path} from {args.file}.")
    if kept is not None:
        print(f"The database it replaced was kept as {kept}.")
    return 0


def run_check(args: argparse.Namespace) -> int:
    import sqlite3

    from ldn_desktop.store.connection import integrity_check

    path = database_path(args)
    if not path.exists():
        raise CommandFailed(f"There is no database at {path}.")
    store = open_for_cli(args, read_only=True)
    try:
        version = store.schema_version
        reason = store.read_only_reason
    finally:
        store.close()
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        problem = integrity_check(conn)
    finally:
        conn.close()
    if problem != "ok":
        raise CommandFailed(f"{path} is damaged: {problem}. Restore the latest backup.")
    if "damaged" in reason:
        raise CommandFailed(reason)
    print(f"{path}: integrity ok, schema {version}.")
    return 0


def run_verify_audit(args: argparse.Namespace) -> int:
    store = open_for_cli(args, read_only=True)
    try:
        result = store.verify_audit()
    finally:
        store.close()
    if not result.ok:
        raise CommandFailed(f"audit check FAILED: {result.problem}")
    print(
        f"Audit trail verified: {result.entries_checked:,} entries, "
        f"{result.rows_checked:,} records match."
    )
    return 0
