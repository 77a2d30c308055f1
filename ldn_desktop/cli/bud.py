"""`ldn-desktop bud`: the beyond-use date by USP <795>, capped by the earliest component expiry.

`--component-expiry` takes a date, or NAME=DATE / NAME:LOT=DATE so the answer can say which
lot limited the BUD. A longer BUD than USP <795>'s needs `--stability-days` and the
`--stability-reference` it rests on.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING, Any

from ldn_desktop.cli._common import choice, print_json, print_report, renamed, required, whole
from ldn_desktop.core.findings import InputRefused

if TYPE_CHECKING:
    from ldn_desktop.core.bud import ComponentExpiry

TYPES = ("capsule", "nonaqueous-liquid", "preserved-aqueous", "unpreserved-aqueous")


def register(subparsers: Any) -> None:
    bud = subparsers.add_parser(
        "bud",
        help="beyond-use date by USP <795>",
        description="The beyond-use date (BUD) of a compounded preparation, by USP <795>, "
        "never later than the earliest component expiry.",
        epilog="Exit status: 0 a BUD, 2 an input refused.",
    )
    bud.add_argument("--type", help=f"preparation type: {', '.join(TYPES)}")
    bud.add_argument("--compounded", help="date compounded, YYYY-MM-DD")
    bud.add_argument(
        "--component-expiry",
        action="extend",
        nargs="+",
        default=[],
        metavar="[NAME[:LOT]=]YYYY-MM-DD",
        help="expiry of each component lot used (repeatable)",
    )
    bud.add_argument("--stability-days", help="days supported by stability data")
    bud.add_argument("--stability-reference", help="the study the stability days rest on")
    bud.add_argument("--stability-storage", default="", help="storage the study requires")
    bud.add_argument("--json", action="store_true", help="print the BUD as JSON")
    bud.set_defaults(func=run_bud)


def parse_date(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputRefused(field, f"'{text}' is not a date (write YYYY-MM-DD)") from None


def parse_component(text: str, number: int) -> ComponentExpiry:
    """'2027-03-31', 'MCC=2027-03-31' or 'naltrexone HCl:L123=2027-03-31'."""
    from ldn_desktop.core.bud import ComponentExpiry

    label, sep, when = text.rpartition("=")
    if not sep:
        label = f"component {number}"
    name, _, lot = label.partition(":")
    return ComponentExpiry(
        name=name.strip() or f"component {number}",
        lot=lot.strip(),
        expiry=parse_date(when, "--component-expiry"),
    )


def run_bud(args: argparse.Namespace) -> int:
    from ldn_desktop.core.bud import PreparationType, StabilityReference, beyond_use_date
    from ldn_desktop.core.dose_text import count_text

    preparation = PreparationType(choice(required(args.type, "type"), "type", TYPES))
    compounded = parse_date(required(args.compounded, "compounded"), "--compounded")
    components = [parse_component(text, n) for n, text in enumerate(args.component_expiry, start=1)]
    stability = None
    if args.stability_days is not None or args.stability_reference is not None:
        stability = StabilityReference(
            days=whole(required(args.stability_days, "stability_days"), "stability_days"),
            reference=required(args.stability_reference, "stability_reference"),
            storage=args.stability_storage,
        )
    try:
        result = beyond_use_date(preparation, compounded, components, stability)
    except InputRefused as refused:
        options = {"stability": "--stability-days", "component_expiry": "--component-expiry"}
        raise renamed(refused, options) from None
    if args.json:
        print_json(result.to_dict())
        return 0
    limited = "no component" if result.limited_by is None else result.limited_by.words
    print_report(
        f"Beyond-use date: {preparation.value}, compounded {compounded.isoformat()}",
        [
            ("BUD", result.bud.isoformat()),
            ("Days", count_text(result.days, "day")),
            ("Storage", result.storage),
            ("Basis", result.basis),
            ("Limited by", limited),
        ],
        result.steps,
        result.findings,
    )
    return 0
