"""`ldn-desktop recall LOT [--json]`: every batch made with an ingredient lot, and who got it."""

from __future__ import annotations

import argparse
from typing import Any

from ldn_desktop.cli import CommandFailed


def register(subparsers: Any) -> None:
    recall = subparsers.add_parser(
        "recall",
        help="trace an ingredient lot to every batch and patient",
        description="Find every batch that used an ingredient lot, with each patient "
        "(for a supplier recall or an inspector's question).",
    )
    recall.add_argument("lot", metavar="LOT", help="the ingredient's lot number")
    recall.add_argument("--json", action="store_true", help="print JSON for scripts")
    recall.set_defaults(func=run_recall)


def run_recall(args: argparse.Namespace) -> int:
    from ldn_desktop.cli.db import open_for_cli
    from ldn_desktop.store import StoreError

    store = open_for_cli(args, read_only=True)
    try:
        trace = store.recall_trace(args.lot)
    except StoreError as error:
        raise CommandFailed(error.message) from None
    finally:
        store.close()
    if not trace.lots:
        raise CommandFailed(f"No ingredient lot {args.lot.strip()} has been received.")
    if args.json:
        import json

        print(json.dumps(trace.to_dict(), indent=2, ensure_ascii=False))
        return 0
    for lot in trace.lots:
        print(
            f"Lot {lot.lot_number}: {lot.ingredient_name} from {lot.supplier}, "
            f"expires {lot.expiry.isoformat()}, {lot.status.value}"
        )
    if not trace.batches:
        print("No batch used it.")
        return 0
    print(f"{len(trace.batches)} batch(es) used it:")
    for batch in trace.batches:
        who = batch.patient_name or "stock (no patient)"
        if batch.patient_date_of_birth is not None:
            who += f", born {batch.patient_date_of_birth.isoformat()}"
        if batch.rx_number:
            who += f", {batch.rx_number}"
        print(
            f"  {batch.lot_number}  {batch.compounded_on.isoformat()}  {batch.state.value:<10} "
            f"{who}"
        )
    patients = trace.patients
    print(f"Patients to contact: {', '.join(patients) if patients else 'none'}")
    return 0
