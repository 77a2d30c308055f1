"""Master formulation records: versioned recipes. Editing saves a new version; old ones stay."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from ldn_desktop.core.bud import PreparationType
from ldn_desktop.store.base import StoreBase, iso, parse_time, text_field
from ldn_desktop.store.errors import InvalidField, NotFound
from ldn_desktop.store.records import FormulaComponent, Ingredient, MasterFormulation, User

_COLUMNS = (
    "id, code, version, name, dosage_form, strength, preparation_type, components_json, "
    "steps_json, equipment_json, container, storage, bud_reference, stability_days, "
    "stability_reference, quality_checks_json, change_reason, created_at, created_by, "
    "version = (SELECT max(version) FROM formulas f2 WHERE f2.code = formulas.code)"
)


def _formula(row: tuple[Any, ...]) -> MasterFormulation:
    return MasterFormulation(
        id=int(row[0]),
        code=row[1],
        version=int(row[2]),
        name=row[3],
        dosage_form=row[4],
        strength=row[5],
        preparation_type=row[6],
        components=tuple(FormulaComponent(**c) for c in json.loads(row[7])),
        steps=tuple(json.loads(row[8])),
        equipment=tuple(json.loads(row[9])),
        container=row[10],
        storage=row[11],
        bud_reference=row[12],
        stability_days=row[13],
        stability_reference=row[14],
        quality_checks=tuple(json.loads(row[15])),
        change_reason=row[16],
        created_at=parse_time(row[17]),
        created_by=row[18],
        current=bool(row[19]),
    )


class FormulasMixin(StoreBase):
    def list_formulas(self, *, include_old_versions: bool = False) -> tuple[MasterFormulation, ...]:
        rows = self._conn.execute(
            f"SELECT {_COLUMNS} FROM formulas ORDER BY name COLLATE NOCASE, code, version"
        ).fetchall()
        formulas = [_formula(r) for r in rows]
        return tuple(f for f in formulas if include_old_versions or f.current)

    def formula(self, formula_id: int) -> MasterFormulation:
        row = self._conn.execute(
            f"SELECT {_COLUMNS} FROM formulas WHERE id = ?", (formula_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"There is no master formulation record {formula_id}.")
        return _formula(row)

    def formula_versions(self, code: str) -> tuple[MasterFormulation, ...]:
        rows = self._conn.execute(
            f"SELECT {_COLUMNS} FROM formulas WHERE code = ? ORDER BY version", (code,)
        ).fetchall()
        return tuple(_formula(r) for r in rows)

    def save_formula_version(
        self, formula: MasterFormulation, *, reason: str, by: User
    ) -> MasterFormulation:
        values = _checked(formula, reason)
        with self._write():
            actor = self._actor(by, "edit-formula")
            formula_id = self._save_formula(values, actor)
        return self.formula(formula_id)

    def _save_formula(self, values: dict[str, Any], actor: User | None) -> int:
        row = self._conn.execute(
            "SELECT coalesce(max(version), 0) FROM formulas WHERE code = ?", (values["code"],)
        ).fetchone()
        values["version"] = int(row[0]) + 1
        values["created_at"] = iso(self._now())
        values["created_by"] = "system" if actor is None else actor.username
        return self._insert("formulas", values, actor)

    # --- ingredients ------------------------------------------------------------------------
    def list_ingredients(self) -> tuple[Ingredient, ...]:
        rows = self._conn.execute(
            "SELECT id, name, kind, salt_form, grade FROM ingredients ORDER BY name COLLATE NOCASE"
        ).fetchall()
        return tuple(Ingredient(int(r[0]), r[1], r[2], r[3], r[4]) for r in rows)

    def add_ingredient(
        self, name: str, kind: str, *, salt_form: str = "", grade: str = "", by: User
    ) -> Ingredient:
        values = {
            "name": text_field("name", name, label="ingredient name", max_length=200),
            "kind": text_field("kind", kind, max_length=50),
            "salt_form": text_field("salt_form", salt_form, required=False, max_length=100),
            "grade": text_field("grade", grade, required=False, max_length=100),
        }
        with self._write():
            actor = self._actor(by, "receive-lot")
            ingredient_id = self._insert("ingredients", values, actor)
        return Ingredient(ingredient_id, **values)


def _checked(formula: MasterFormulation, reason: str) -> dict[str, Any]:
    try:
        PreparationType(formula.preparation_type)
    except ValueError as error:
        kinds = ", ".join(p.value for p in PreparationType)
        raise InvalidField("preparation_type", f"must be one of {kinds}", "BUD category") from error
    if not formula.components:
        raise InvalidField("components", "a formula needs at least one component")
    if not formula.steps:
        raise InvalidField("steps", "a formula needs its compounding steps")
    if formula.stability_days is not None and not formula.stability_reference.strip():
        raise InvalidField("stability_reference", "a stability BUD needs its reference")
    for component in formula.components:
        text_field("components", component.ingredient, label="component", max_length=200)
        text_field("components", component.role, label="component role", max_length=50)
        text_field("components", component.amount, label="component amount", max_length=200)
        text_field(
            "components",
            component.characteristics,
            label="component characteristics",
            required=False,
        )
    for step in formula.steps:
        text_field("steps", step, label="step")
    return {
        "code": text_field("code", formula.code, label="formula code", max_length=100),
        "name": text_field("name", formula.name, label="formula name", max_length=200),
        "dosage_form": text_field("dosage_form", formula.dosage_form, max_length=100),
        "strength": text_field("strength", formula.strength, max_length=100),
        "preparation_type": formula.preparation_type,
        "components_json": json.dumps([asdict(c) for c in formula.components], ensure_ascii=False),
        "steps_json": json.dumps(list(formula.steps), ensure_ascii=False),
        "equipment_json": json.dumps(
            [text_field("equipment", e) for e in formula.equipment], ensure_ascii=False
        ),
        "container": text_field("container", formula.container, required=False),
        "storage": text_field("storage", formula.storage, required=False),
        "bud_reference": text_field(
            "bud_reference", formula.bud_reference, label="BUD reference", required=False
        ),
        "stability_days": formula.stability_days,
        "stability_reference": text_field(
            "stability_reference", formula.stability_reference, required=False
        ),
        "quality_checks_json": json.dumps(
            [
                text_field("quality_checks", q, label="quality check")
                for q in formula.quality_checks
            ],
            ensure_ascii=False,
        ),
        "change_reason": text_field("reason", reason, label="reason for the change"),
    }


def formula_values(formula: MasterFormulation, reason: str) -> dict[str, Any]:
    """The checked column values of a formula (used by the seed, too)."""
    return _checked(formula, reason)
