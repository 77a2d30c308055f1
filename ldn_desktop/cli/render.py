"""`ldn-desktop render label|leaflet|record|idcard --data FILE.json -o OUT.pdf`.

The JSON format is in docs/printing.md (schema: resources/schema/document-data.schema.json).
Bad data or a label that cannot fit exits non-zero with one line naming the problem, and
nothing is written: the PDF goes to a temporary file beside OUT.pdf, renamed when complete.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from ldn_desktop.cli import CommandFailed

KINDS = ("label", "leaflet", "record", "idcard")
DEFAULT_STOCK = "thermal-4x2"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "render",
        help="print a label, patient leaflet, compounding record or wallet card to PDF",
        description="Render a document from its JSON data (docs/printing.md) to a PDF file.",
    )
    parser.add_argument("kind", choices=KINDS, help="which document")
    parser.add_argument("--data", type=Path, required=True, metavar="FILE.json")
    parser.add_argument(
        "--stock",
        default=DEFAULT_STOCK,
        help=f"label stock (labels only; default {DEFAULT_STOCK}; see docs/printing.md)",
    )
    parser.add_argument(
        "--start",
        type=int,
        default=1,
        metavar="N",
        help="first free position on a label sheet (1 = top left, across then down)",
    )
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.pdf")
    parser.set_defaults(func=run_render)


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CommandFailed(f"no such data file: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise CommandFailed(f"cannot read {path}: {error}") from None
    except json.JSONDecodeError as error:
        raise CommandFailed(
            f"{path} is not valid JSON (line {error.lineno}, column {error.colno})"
        ) from None


def run_render(args: argparse.Namespace) -> int:
    from ldn_desktop.documents import data as docdata
    from ldn_desktop.documents.fit import DoesNotFit

    raw = _read(args.data)
    if args.kind != "label" and (args.stock != DEFAULT_STOCK or args.start != 1):
        raise CommandFailed("--stock and --start apply to labels only")
    # Read and check everything before a file is touched.
    if args.kind == "label":
        from ldn_desktop.documents.label import render_labels
        from ldn_desktop.documents.stocks import load_stock

        prescriptions = docdata.prescriptions_from_json(raw)
        stock = load_stock(args.stock)

        def render(out: Any) -> None:
            render_labels(prescriptions, stock, out, start=args.start)

    elif args.kind == "leaflet":
        from ldn_desktop.documents.leaflet import render_leaflet

        leaflet = docdata.leaflet_from_json(raw)

        def render(out: Any) -> None:
            render_leaflet(leaflet, out)

    elif args.kind == "record":
        from ldn_desktop.documents.record_sheet import render_record

        record = docdata.record_from_json(raw)

        def render(out: Any) -> None:
            render_record(record, out)

    else:
        from ldn_desktop.documents.idcard import render_idcard

        card = docdata.prescription_from_json(raw)

        def render(out: Any) -> None:
            render_idcard(card, out)

    target = args.output
    folder = target.resolve().parent
    if not folder.is_dir():
        raise CommandFailed(f"no such folder for the output: {folder}")
    handle, temp_name = tempfile.mkstemp(prefix=".render-", suffix=".pdf", dir=folder)
    os.close(handle)
    try:
        render(temp_name)
        os.replace(temp_name, target)
    except DoesNotFit as error:
        raise CommandFailed(str(error)) from None
    finally:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
    print(target)
    return 0
