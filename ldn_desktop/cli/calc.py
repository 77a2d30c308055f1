"""`ldn-desktop calc capsule|liquid|cream|titration`: a preparation's numbers, headless.

Doses carry their unit (`--dose 4.5mg`, `--dose 250mcg`). `--json` prints the plan for
scripts and pharmacy systems (decimals as exact strings); without it, a readable report
with the working and the findings. Exit 0: a plan; 2: an input was refused; 3: the plan
has a STOP finding and must not be made as entered.
"""

from __future__ import annotations

import argparse
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ldn_desktop.cli import CommandFailed
from ldn_desktop.cli._common import (
    choice,
    findings_exit,
    number,
    option,
    print_json,
    print_report,
    renamed,
    required,
    whole,
)
from ldn_desktop.core.findings import InputRefused

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence
    from decimal import Decimal
    from pathlib import Path

    from ldn_desktop.core.capsules import CapsuleOrder, CapsulePlan
    from ldn_desktop.core.liquid import PhaseVolume
    from ldn_desktop.core.pharmacy_settings import CalculationSettings
    from ldn_desktop.core.quantities import Strength
    from ldn_desktop.core.titration import PhaseOrder

EPILOG = "Exit status: 0 a plan, 2 an input refused, 3 the plan has a STOP finding."


def register(subparsers: Any) -> None:
    calc = subparsers.add_parser(
        "calc",
        help="calculate a capsule, liquid, cream or titration plan",
        description="Calculate a preparation: the amounts, the working and the findings. "
        "Add --json to any kind for JSON (exact decimals as strings).",
        epilog=EPILOG,
    )
    kinds = calc.add_subparsers(dest="calc_kind", metavar="KIND")
    calc.set_defaults(func=_missing_kind)

    capsule = kinds.add_parser(
        "capsule",
        help="capsules: units to make, drug and filler to weigh, trituration",
        epilog=EPILOG,
    )
    capsule.add_argument("--dose", help="naltrexone HCl per capsule, e.g. 4.5mg or 250mcg")
    capsule.add_argument("--quantity", help="capsules ordered, e.g. 30")
    capsule.add_argument("--size", default="1", help="capsule size 000 to 5 (default 1)")
    capsule.add_argument("--overage", default="0", help="extra capsules: 3, or 10%% (default 0)")
    capsule.add_argument("--fill-mg", help="filler-only fill per capsule, mg (default: settings)")
    _potency_options(capsule)
    capsule.add_argument("--source", default="api", help="api or tablets (default api)")
    capsule.add_argument("--tablets", help="with --source tablets: 50 mg tablets crushed")
    capsule.add_argument("--tablet-powder", help="with --source tablets: their powder, e.g. 1250mg")
    capsule.add_argument("--filler", default="microcrystalline cellulose", help="filler name")
    capsule.add_argument("--days", help="with a titration: the days to cover")
    _titration_options(capsule)
    _common_options(capsule)
    capsule.set_defaults(func=run_capsule)

    liquid = kinds.add_parser(
        "liquid", help="oral liquid: mL per dose, total mL, tablets or API", epilog=EPILOG
    )
    liquid.add_argument("--dose", help="dose, e.g. 4.5mg (or give a titration)")
    liquid.add_argument("--strength", help="mg/mL, e.g. 1mg/mL (default: settings)")
    liquid.add_argument("--days", help="days' supply")
    kept = liquid.add_mutually_exclusive_group()
    kept.add_argument("--preserved", dest="preserved", action="store_true", default=False)
    kept.add_argument(
        "--unpreserved", dest="preserved", action="store_false", help="(default) 14-day BUD"
    )
    liquid.add_argument("--source", default="tablets", help="tablets or api (default tablets)")
    _potency_options(liquid)
    liquid.add_argument("--doses-per-day", default="1", help="doses a day (default 1)")
    _titration_options(liquid)
    _common_options(liquid)
    liquid.set_defaults(func=run_liquid)

    cream = kinds.add_parser(
        "cream", help="transdermal cream: mg per click, clicks per dose, total mL", epilog=EPILOG
    )
    cream.add_argument("--dose", help="dose, e.g. 4.5mg (or give a titration)")
    cream.add_argument("--strength", help="3mg/mL, or 10mg/g with --specific-gravity")
    cream.add_argument("--specific-gravity", help="the base's g/mL, e.g. 1.05")
    cream.add_argument("--click-ml", help="mL a click delivers (default: settings, 0.25)")
    cream.add_argument("--days", help="days' supply")
    cream.add_argument("--priming-ml", help="cream lost priming the dispenser (default: settings)")
    cream.add_argument("--doses-per-day", default="1", help="doses a day (default 1)")
    cream.add_argument(
        "--type",
        default="preserved-aqueous",
        help="BUD category: preserved-aqueous (default) or capsule (anhydrous)",
    )
    _titration_options(cream)
    _common_options(cream)
    cream.set_defaults(func=run_cream)

    titration = kinds.add_parser(
        "titration", help="phases with day ranges and doses, total drug", epilog=EPILOG
    )
    _titration_options(titration)
    titration.add_argument("--days", help="days to plan")
    _common_options(titration)
    titration.set_defaults(func=run_titration)


def _potency_options(parser: argparse.ArgumentParser) -> None:
    """The API's assay, water and salt form, for capsules and liquids made from API."""
    parser.add_argument("--assay", default="100", help="API assay %% (default 100)")
    parser.add_argument("--water", default="0", help="API water content %% (default 0)")
    parser.add_argument("--api-form", default="hcl", help="hcl or base (default hcl)")


def _common_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--balance", help="balance readability, e.g. 0.1mg (default: settings)")
    parser.add_argument("--json", action="store_true", help="print the plan as JSON")


def _titration_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("titration (instead of --dose)")
    group.add_argument("--start", help="starting dose, e.g. 1.5mg")
    group.add_argument("--step", help="added at each step, e.g. 1.5mg")
    group.add_argument("--every", help="days between steps, e.g. 14")
    group.add_argument("--target", help="the dose to reach, e.g. 4.5mg")
    group.add_argument(
        "--phase",
        action="append",
        default=[],
        metavar="DOSE:DAYS",
        help="an explicit phase, repeated in order, e.g. --phase 1.5mg:14 --phase 3mg:14 "
        "--phase 4.5mg (the last one runs to the end)",
    )


def _missing_kind(args: argparse.Namespace) -> int:
    raise InputRefused("calc", "say what to calculate: capsule, liquid, cream or titration")


def _settings(args: argparse.Namespace) -> CalculationSettings:
    """The pharmacy's saved settings (from the database, if there is one), then --balance."""
    from dataclasses import replace

    from ldn_desktop.core.quantities import parse_mass_mg

    settings = _saved_settings(args.db)
    if args.balance is None:
        return settings
    readability = parse_mass_mg(args.balance, "--balance")
    if not readability > 0 or readability > 1000:
        raise InputRefused("--balance", f"'{args.balance}' is not a balance's readability")
    return replace(settings, balance_readability_mg=readability)


def _saved_settings(db: Path | None) -> CalculationSettings:
    """Settings saved in the database; the defaults when there is no database yet.

    The database is opened read-only: a calculation never creates or changes one.
    """
    from ldn_desktop.core.pharmacy_settings import DEFAULT_SETTINGS, CalculationSettings
    from ldn_desktop.paths import default_database_path

    path = default_database_path() if db is None else db
    if not path.exists():
        if db is not None:
            raise CommandFailed(f"no database at {path}")
        return DEFAULT_SETTINGS
    from ldn_desktop.store import StoreError, open_store

    try:
        store = open_store(path, read_only=True)
        try:
            saved = store.calculation_settings()
        finally:
            store.close()
    except StoreError as error:
        raise CommandFailed(f"cannot read the pharmacy's settings from {path}: {error}") from None
    if saved is None:
        return DEFAULT_SETTINGS
    try:
        return CalculationSettings.from_dict(saved)
    except InputRefused as refused:
        raise CommandFailed(f"the saved calculation settings are not usable: {refused}") from None


def _mass(text: str, field: str) -> Decimal:
    from ldn_desktop.core.quantities import parse_mass_mg

    return parse_mass_mg(text, option(field))


def _optional_dose(text: str | None) -> Decimal | None:
    return None if text is None else _mass(text, "dose")


def _titration(args: argparse.Namespace, settings: CalculationSettings) -> tuple[PhaseOrder, ...]:
    """The titration options as phases; () when none were given."""
    from ldn_desktop.core.titration import PhaseOrder, TitrationSchedule, schedule_phases

    stepped = [args.start, args.step, args.every, args.target]
    if args.phase and any(v is not None for v in stepped):
        raise InputRefused("--phase", "give explicit phases or --start/--step/--every/--target")
    if args.phase:
        phases = []
        for text in args.phase:
            dose, _, days = text.partition(":")
            phases.append(PhaseOrder(_mass(dose, "phase"), whole(days, "phase") if days else 0))
        return tuple(phases)
    if all(v is None for v in stepped):
        return ()
    schedule = TitrationSchedule(
        start_mg=_mass(required(args.start, "start"), "start"),
        step_mg=_mass(required(args.step, "step"), "step"),
        every_days=whole(required(args.every, "every"), "every"),
        target_mg=_mass(required(args.target, "target"), "target"),
    )
    with _options_named():
        return schedule_phases(schedule, settings)


CORE_TO_OPTION = {
    "dose": "--dose",
    "quantity": "--quantity",
    "size": "--size",
    "overage": "--overage",
    "fill_mg": "--fill-mg",
    "assay": "--assay",
    "water": "--water",
    "api_form": "--api-form",
    "tablets": "--tablets",
    "tablet_powder": "--tablet-powder",
    "strength": "--strength",
    "days": "--days",
    "doses_per_day": "--doses-per-day",
    "specific_gravity": "--specific-gravity",
    "click_ml": "--click-ml",
    "priming_ml": "--priming-ml",
    "start": "--start",
    "step": "--step",
    "every": "--every",
    "target": "--target",
    "titration": "--phase",
}


@contextmanager
def _options_named() -> Iterator[None]:
    """A refusal from the core names the command-line option, not the core's field."""
    try:
        yield
    except InputRefused as refused:
        raise renamed(refused, CORE_TO_OPTION) from None


def _optional_number(text: str | None, field: str, unit: str) -> Decimal | None:
    return None if text is None else number(text, field, unit)


def _strength(args: argparse.Namespace, default: Strength) -> Strength:
    """--strength as typed, or the pharmacy's default strength for the form."""
    from ldn_desktop.core.quantities import parse_strength

    return default if args.strength is None else parse_strength(args.strength, "--strength")


def _capsule_order(args: argparse.Namespace, dose_mg: Decimal, quantity: int) -> CapsuleOrder:
    from ldn_desktop.core.capsules import CapsuleOrder, Overage, TabletPowder
    from ldn_desktop.core.potency import ApiForm, DrugSource
    from ldn_desktop.core.quantities import parse_mass_mg

    powder = None
    if args.tablets is not None or args.tablet_powder is not None:
        powder = TabletPowder(
            whole(required(args.tablets, "tablets"), "tablets"),
            parse_mass_mg(required(args.tablet_powder, "tablet_powder"), "--tablet-powder"),
        )
    return CapsuleOrder(
        dose_mg=dose_mg,
        quantity=quantity,
        size=args.size.strip(),
        overage=Overage.parse(args.overage),
        fill_mg=_optional_number(args.fill_mg, "fill_mg", "mg"),
        assay_percent=number(args.assay, "assay", "%"),
        water_percent=number(args.water, "water", "%"),
        api_form=ApiForm(choice(args.api_form, "api_form", ("hcl", "base"))),
        source=DrugSource(choice(args.source, "source", ("api", "tablets"))),
        tablet_powder=powder,
        filler_name=args.filler.strip() or "microcrystalline cellulose",
    )


def _print_capsule_plan(plan: CapsulePlan, title: str) -> None:
    from ldn_desktop.core.dose_text import count_text, mass_text, weighing_text

    d = plan.balance_readability_mg
    print_report(
        title,
        [
            ("Units to make", count_text(plan.units_to_make, "capsule")),
            ("Naltrexone HCl", mass_text(plan.drug_mg_total, 3)),
            ("Fill per capsule", mass_text(plan.fill_mg_per_unit)),
            ("Total fill", mass_text(plan.fill_mg_total)),
            ("Minimum weight", mass_text(plan.minimum_weight_mg)),
        ],
        plan.steps,
        plan.findings,
        [("Weigh", [(w.what, weighing_text(w.mg, d)) for w in plan.weighings])],
    )


def run_capsule(args: argparse.Namespace) -> int:
    from ldn_desktop.core.capsules import plan_capsules
    from ldn_desktop.core.dose_text import count_text, dose_text

    settings = _settings(args)
    phases = _titration(args, settings)
    if phases:
        return _run_capsule_titration(args, phases, settings)
    if args.days is not None:
        raise InputRefused("--days", "is for a titration; give --quantity for one batch")
    order = _capsule_order(
        args,
        _mass(required(args.dose, "dose"), "dose"),
        whole(required(args.quantity, "quantity"), "quantity"),
    )
    with _options_named():
        plan = plan_capsules(order, settings)
    if args.json:
        print_json(plan.to_dict())
    else:
        _print_capsule_plan(
            plan,
            f"Capsules: {dose_text(order.dose_mg)} × {count_text(order.quantity, 'capsule')}, "
            f"size {order.size}",
        )
    return findings_exit(plan.findings)


def _run_capsule_titration(
    args: argparse.Namespace, phases: tuple[PhaseOrder, ...], settings: CalculationSettings
) -> int:
    """Capsules hold one strength: a titration is one batch per phase."""
    from ldn_desktop.core.capsules import plan_capsules, titration_capsule_orders
    from ldn_desktop.core.dose_text import count_text, dose_text
    from ldn_desktop.core.titration import plan_phases

    if args.dose is not None or args.quantity is not None:
        raise InputRefused("--dose", "give a dose and quantity, or a titration and --days")
    days = whole(required(args.days, "days"), "days")
    with _options_named():
        titration = plan_phases(phases, days, settings)
        template = _capsule_order(args, phases[0].dose_mg, 1)
        plans = [plan_capsules(o, settings) for o in titration_capsule_orders(titration, template)]
    findings = [f for plan in plans for f in plan.findings]
    if args.json:
        print_json(
            {
                "titration": titration.to_dict(),
                "batches": [
                    {"from_day": phase.from_day, "to_day": phase.to_day, **plan.to_dict()}
                    for phase, plan in zip(titration.phases, plans, strict=True)
                ],
                "findings": [f.to_dict() for f in findings],
            }
        )
        return findings_exit(findings)
    for number_, (phase, plan) in enumerate(zip(titration.phases, plans, strict=True), start=1):
        if number_ > 1:
            print()
        _print_capsule_plan(
            plan,
            f"Batch {number_} of {len(plans)}, days {phase.from_day} to {phase.to_day}: "
            f"{dose_text(phase.dose_mg)} × {count_text(plan.order.quantity, 'capsule')}, "
            f"size {plan.order.size}",
        )
    return findings_exit(findings)


def run_liquid(args: argparse.Namespace) -> int:
    from ldn_desktop.core.dose_text import (
        count_text,
        dose_text,
        mass_text,
        strength_text,
        volume_text,
        weighing_text,
    )
    from ldn_desktop.core.liquid import LiquidOrder, plan_liquid
    from ldn_desktop.core.potency import ApiForm, DrugSource

    settings = _settings(args)
    strength = _strength(args, settings.liquid_strength)
    order = LiquidOrder(
        strength=strength,
        days=whole(required(args.days, "days"), "days"),
        dose_mg=_optional_dose(args.dose),
        titration=_titration(args, settings),
        doses_per_day=whole(args.doses_per_day, "doses_per_day"),
        preserved=args.preserved,
        source=DrugSource(choice(args.source, "source", ("tablets", "api"))),
        assay_percent=number(args.assay, "assay", "%"),
        water_percent=number(args.water, "water", "%"),
        api_form=ApiForm(choice(args.api_form, "api_form", ("hcl", "base"))),
    )
    with _options_named():
        plan = plan_liquid(order, settings)
    if args.json:
        print_json(plan.to_dict())
        return findings_exit(plan.findings)
    lines = [
        ("Strength", strength_text(strength.mg, "mL")),
        (
            "Dose" if len(plan.phases) == 1 else "Target dose",
            f"{volume_text(plan.dose_ml)} ({dose_text(plan.phases[-1].phase.dose_mg)})",
        ),
        ("Total for the supply", volume_text(plan.total_ml)),
        ("Naltrexone HCl", mass_text(plan.drug_mg_total, 3)),
    ]
    if plan.tablets is not None:
        lines.append(("Tablets (50 mg)", count_text(plan.tablets, "tablet")))
    if plan.api_mg_to_weigh is not None:
        api = weighing_text(plan.api_mg_to_weigh, plan.balance_readability_mg)
        lines.append(("API to weigh", api))
    lines.append(("Batch", volume_text(plan.batch_ml)))
    lines.append(("BUD (USP <795>)", count_text(plan.bud_days, "day")))
    print_report(
        f"Oral liquid: {count_text(order.days, 'day')}",
        lines,
        plan.steps,
        plan.findings,
        _phase_rows(
            plan.phases, lambda p: f"{volume_text(p.dose_ml)} ({dose_text(p.phase.dose_mg)})"
        ),
    )
    return findings_exit(plan.findings)


def _phase_rows(
    phases: Sequence[PhaseVolume], dose: Callable[[PhaseVolume], str]
) -> list[tuple[str, list[tuple[str, str]]]]:
    """A 'Phases' table for a titration; nothing for a single dose."""
    if len(phases) < 2:
        return []
    return [("Phases", [(f"Days {p.phase.from_day} to {p.phase.to_day}", dose(p)) for p in phases])]


def run_cream(args: argparse.Namespace) -> int:
    from ldn_desktop.core.bud import PreparationType
    from ldn_desktop.core.cream import CreamOrder, plan_cream
    from ldn_desktop.core.dose_text import (
        count_text,
        dose_text,
        format_number,
        mass_text,
        mg_text,
        strength_text,
        volume_text,
    )

    settings = _settings(args)
    strength = _strength(args, settings.cream_strength)
    order = CreamOrder(
        strength=strength,
        days=whole(required(args.days, "days"), "days"),
        dose_mg=_optional_dose(args.dose),
        titration=_titration(args, settings),
        specific_gravity=_optional_number(args.specific_gravity, "specific_gravity", "g/mL"),
        click_ml=_optional_number(args.click_ml, "click_ml", "mL"),
        priming_ml=_optional_number(args.priming_ml, "priming_ml", "mL"),
        doses_per_day=whole(args.doses_per_day, "doses_per_day"),
        preparation=PreparationType(choice(args.type, "type", ("preserved-aqueous", "capsule"))),
    )
    with _options_named():
        plan = plan_cream(order, settings)
    if args.json:
        print_json(plan.to_dict())
        return findings_exit(plan.findings)
    lines = [
        ("Strength", strength_text(plan.mg_per_ml, "mL")),
        ("Per click", f"{mg_text(plan.mg_per_click, 4)} ({volume_text(plan.click_ml, 3)})"),
        (
            "Clicks per dose" if len(plan.phases) == 1 else "Clicks per target dose",
            format_number(plan.clicks_per_dose, 3),
        ),
        ("Dose volume", volume_text(plan.dose_ml, 3)),
        ("Priming loss", volume_text(plan.priming_ml)),
        ("Total", volume_text(plan.total_ml)),
        ("Naltrexone HCl", mass_text(plan.drug_mg_total, 3)),
        ("BUD (USP <795>)", count_text(plan.bud_days, "day")),
    ]
    print_report(
        f"Transdermal cream: {count_text(order.days, 'day')}",
        lines,
        plan.steps,
        plan.findings,
        _phase_rows(
            plan.phases,
            lambda p: (
                f"{count_text(p.phase.dose_mg / plan.mg_per_click, 'click')} "
                f"({dose_text(p.phase.dose_mg)})"
            ),
        ),
    )
    return findings_exit(plan.findings)


def run_titration(args: argparse.Namespace) -> int:
    from ldn_desktop.core.dose_text import count_text, dose_text, mg_text
    from ldn_desktop.core.titration import plan_phases

    settings = _settings(args)
    phases = _titration(args, settings)
    if not phases:
        raise InputRefused("--start", "give --start/--step/--every/--target or --phase")
    with _options_named():
        plan = plan_phases(phases, whole(required(args.days, "days"), "days"), settings)
    if args.json:
        print_json(plan.to_dict())
        return findings_exit(plan.findings)
    rows = [
        (f"Days {p.from_day} to {p.to_day}", f"{dose_text(p.dose_mg)} a day") for p in plan.phases
    ]
    print_report(
        f"Titration: {count_text(plan.days, 'day')}",
        [("Total", mg_text(plan.total_mg))],
        plan.steps,
        plan.findings,
        [("Phases", rows)],
    )
    return findings_exit(plan.findings)
