"""`ldn-desktop`: with no command it opens the window; with one it runs headless.

Each module of this package that defines `register(subparsers)` adds its commands
(calc, bud, db, recall, render ...). A command's handler takes the parsed arguments and
returns an exit code. A refused input prints one clear line on stderr and exits 2:
never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence
from pathlib import Path

from ldn_desktop import __version__
from ldn_desktop.core.findings import InputRefused

EXIT_REFUSED = 2


class CommandFailed(Exception):
    """A command could not do its work for a reason the user can act on (message only)."""


def _command_modules() -> list[str]:
    return sorted(
        name
        for _, name, is_pkg in pkgutil.iter_modules(__path__)
        if not is_pkg and not name.startswith("_")
    )


def build_parser(*, with_commands: bool = True) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ldn-desktop",
        description="Compound, record and label low-dose naltrexone (LDN).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        metavar="PATH",
        help="the SQLite database to use (default: the app's data folder)",
    )
    parser.add_argument(
        "--selftest",
        action="store_true",
        help="run the installation self-test headless and exit (0 = all good)",
    )
    if not with_commands:
        return parser
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _command_modules():
        module = importlib.import_module(f"{__name__}.{name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(subparsers)
    return parser


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line, importing the command modules only when a command is given.

    Opening the window (no command) is the common case and start-up time matters there.
    """
    words = list(sys.argv[1:] if argv is None else argv)
    bare = build_parser(with_commands=False)
    if not {"-h", "--help"} & set(words):
        args, rest = bare.parse_known_args(words)
        if not rest:
            args.func = None
            return args
    return build_parser().parse_args(words)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    try:
        if args.selftest:
            from ldn_desktop.selftest import run_selftest

            return run_selftest()
        handler = getattr(args, "func", None)
        if handler is None:
            from ldn_desktop.ui.app import run_app

            return run_app(db_path=args.db)
        return int(handler(args))
    except InputRefused as refused:
        print(f"ldn-desktop: refused: {refused}", file=sys.stderr)
        return EXIT_REFUSED
    except CommandFailed as failed:
        print(f"ldn-desktop: {failed}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `ldn-desktop calc ... | head`: the reader left; say nothing more.
        sys.stderr.close()
        return 0
