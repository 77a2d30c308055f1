import pytest

from ldn_desktop.core.signing import (
    ACTION_WORDS,
    PERMISSIONS,
    ROLES,
    action_refusal,
    verification_refusal,
)


def test_every_action_has_words_and_only_known_roles() -> None:
    assert set(ACTION_WORDS) == set(PERMISSIONS)
    for roles in PERMISSIONS.values():
        assert roles <= set(ROLES)


@pytest.mark.parametrize(
    ("role", "action", "allowed"),
    [
        ("technician", "prepare", True),
        ("technician", "verify", False),
        ("technician", "release-lot", False),
        ("pharmacist", "release-lot", True),
        ("administrator", "prepare", False),
        ("administrator", "users", True),
        ("pharmacist", "users", False),
    ],
)
def test_action_refusal(role: str, action: str, allowed: bool) -> None:
    reason = action_refusal(role, action)
    if allowed:
        assert reason is None
    else:
        article = "an" if role == "administrator" else "a"
        assert reason == f"{article} {role} may not {ACTION_WORDS[action]}"


def test_only_a_different_pharmacist_may_verify() -> None:
    assert verification_refusal("pharmacist", 2, 1) is None
    own = verification_refusal("pharmacist", 1, 1)
    assert own is not None and "someone other than" in own
    tech = verification_refusal("technician", 2, 1)
    assert tech is not None and "only a pharmacist" in tech
    admin = verification_refusal("administrator", 2, 1)
    assert admin is not None and admin.endswith("(you are signed in as an administrator)")
