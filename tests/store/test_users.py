"""First run, sign-in with lockout, users and settings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ldn_desktop.store.errors import (
    AccountLocked,
    InvalidField,
    PermissionRefused,
    RuleRefused,
    SignInRefused,
)
from ldn_desktop.store.passwords import check_password, hash_password
from ldn_desktop.store.records import AppSettings, PharmacyDetails, Role
from ldn_desktop.store.users import MAX_FAILED_SIGN_INS
from tests.store.conftest import PASSWORD, Pharmacy, open_test_store


def test_first_run_sets_up_the_pharmacy_admin_and_the_usual_formulas(tmp_path: Path) -> None:
    store = open_test_store(tmp_path / "new.sqlite3")
    assert store.is_first_run()
    admin = store.create_pharmacy(PharmacyDetails("Corner Pharmacy"), "boss", "Bo Ss", PASSWORD)
    assert not store.is_first_run()
    assert admin.role is Role.ADMINISTRATOR
    assert store.pharmacy_details().name == "Corner Pharmacy"
    codes = {f.code: f for f in store.list_formulas()}
    assert set(codes) == {
        "ldn-capsules-mcc",
        "ldn-oral-liquid-1mg-unpreserved",
        "ldn-oral-liquid-1mg-preserved",
        "ldn-cream-0.5mg-ml",
        "ldn-cream-3mg-ml",
    }
    assert codes["ldn-oral-liquid-1mg-unpreserved"].preparation_type == "unpreserved-aqueous"
    assert "14 days" in codes["ldn-oral-liquid-1mg-unpreserved"].bud_reference
    assert codes["ldn-capsules-mcc"].preparation_type == "capsule"
    assert all(f.steps for f in codes.values())
    with pytest.raises(RuleRefused, match="already been set up"):
        store.create_pharmacy(PharmacyDetails("Again"), "boss2", "B", PASSWORD)
    store.close()


def test_sign_in_gives_the_user_and_refuses_wrong_passwords_alike(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    assert store.authenticate("phil", PASSWORD) == pharmacy.pharmacist
    assert store.authenticate("PHIL ", PASSWORD) == pharmacy.pharmacist
    with pytest.raises(SignInRefused, match="username or password is not right") as wrong:
        store.authenticate("phil", "not it at all")
    with pytest.raises(SignInRefused) as unknown:
        store.authenticate("nobody", PASSWORD)
    assert str(wrong.value) == str(unknown.value)


def test_repeated_failures_lock_the_account_for_a_while(pharmacy: Pharmacy) -> None:
    store, clock = pharmacy.store, pharmacy.clock
    for _ in range(MAX_FAILED_SIGN_INS - 1):
        with pytest.raises(SignInRefused):
            store.authenticate("phil", "guess")
    with pytest.raises(AccountLocked, match="locked for 15 minutes"):
        store.authenticate("phil", "guess")
    with pytest.raises(AccountLocked, match="locked for"):
        store.authenticate("phil", PASSWORD)  # even the right password, while locked
    clock.advance(minutes=16)
    assert store.authenticate("phil", PASSWORD) == pharmacy.pharmacist
    assert store.verify_audit().ok  # the counters are not clinical records


def test_a_successful_sign_in_resets_the_failure_count(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    for _ in range(MAX_FAILED_SIGN_INS - 1):
        with pytest.raises(SignInRefused):
            store.authenticate("phil", "guess")
    store.authenticate("phil", PASSWORD)
    with pytest.raises(SignInRefused):
        store.authenticate("phil", "guess")
    assert store.authenticate("phil", PASSWORD)


def test_an_administrator_can_unlock_by_setting_a_new_password(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    for _ in range(MAX_FAILED_SIGN_INS):
        with pytest.raises(SignInRefused):
            store.authenticate("tess", "guess")
    store.set_password(pharmacy.technician.id, "a brand new one", by=pharmacy.admin)
    assert store.authenticate("tess", "a brand new one") == pharmacy.technician
    with pytest.raises(PermissionRefused, match="may not manage users"):
        store.set_password(pharmacy.admin.id, "taken over!", by=pharmacy.technician)


def test_deactivated_users_cannot_sign_in(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    store.set_user_active(pharmacy.technician.id, False, by=pharmacy.admin)
    with pytest.raises(SignInRefused, match="deactivated"):
        store.authenticate("tess", PASSWORD)
    with pytest.raises(RuleRefused, match="your own account"):
        store.set_user_active(pharmacy.admin.id, False, by=pharmacy.admin)


def test_passwords_and_usernames_are_checked(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    with pytest.raises(InvalidField, match="password: must be at least 8"):
        store.add_user("newbie", "New Bie", Role.TECHNICIAN, "short", by=pharmacy.admin)
    with pytest.raises(InvalidField, match="username: must not contain spaces"):
        store.add_user("new bie", "New Bie", Role.TECHNICIAN, PASSWORD, by=pharmacy.admin)
    with pytest.raises(RuleRefused, match="already exists"):
        store.add_user("Phil", "Another Phil", Role.TECHNICIAN, PASSWORD, by=pharmacy.admin)
    assert [u.username for u in store.list_users()] == ["admin", "pam", "phil", "tess"]


def test_the_hash_uses_owasp_scrypt_by_default_and_keeps_its_parameters() -> None:
    stored = hash_password("pharmacist's secret")  # the real cost: about a third of a second
    assert stored.startswith("scrypt$131072$8$1$")
    assert check_password("pharmacist's secret", stored)
    assert not check_password("pharmacist's secreT", stored)
    assert not check_password("anything", "md5$abc")


def test_settings_round_trip_and_are_audited(pharmacy: Pharmacy) -> None:
    store = pharmacy.store
    assert store.app_settings() == AppSettings()
    chosen = AppSettings(label_stock="Avery 5160", paper_size="Letter", idle_lock_minutes=5)
    store.set_app_settings(chosen, by=pharmacy.pharmacist)
    assert store.app_settings() == chosen
    assert store.calculation_settings() is None
    store.set_calculation_settings({"balance_readability": "0.1 mg"}, by=pharmacy.pharmacist)
    store.set_calculation_settings({"balance_readability": "1 mg"}, by=pharmacy.admin)
    assert store.calculation_settings() == {"balance_readability": "1 mg"}
    with pytest.raises(PermissionRefused):
        store.set_calculation_settings({}, by=pharmacy.technician)
    with pytest.raises(InvalidField, match="idle lock minutes"):
        store.set_app_settings(AppSettings(idle_lock_minutes=0), by=pharmacy.admin)
    store.set_pharmacy_details(PharmacyDetails("Riverside", phone="555"), by=pharmacy.admin)
    assert store.pharmacy_details() == PharmacyDetails("Riverside", phone="555")
    assert [e.action for e in store.audit_entries(table="settings")] == [
        "update",
        "insert",
        "insert",
    ]
    assert store.verify_audit().ok


def test_the_first_run_window_can_add_the_demo_data_after_its_admin(tmp_path: Path) -> None:
    from ldn_desktop.store.demo import add_demo_data
    from ldn_desktop.store.records import BatchQuery, BatchState

    store = open_test_store(tmp_path / "first.sqlite3")
    admin = store.create_pharmacy(PharmacyDetails("Own Name"), "owner", "O. Wner", PASSWORD)
    made = add_demo_data(store, by=admin, today=date(2026, 11, 22))
    assert made == {"users": 4, "lots": 10, "patients": 5, "batches": 7}
    assert {r.state for r in store.search_batches(BatchQuery()).rows} == set(BatchState)
    assert store.pharmacy_details().name == "Own Name"
    assert store.verify_audit().ok
    store.close()
