"""The SQLite store offers exactly the Store protocol's methods, with the same parameters."""

from __future__ import annotations

import inspect

from ldn_desktop.store import Store
from ldn_desktop.store.api import Store as ApiStore
from ldn_desktop.store.sqlite_store import SqliteStore


def protocol_members() -> list[str]:
    return [
        name
        for name, _ in inspect.getmembers(ApiStore)
        if not name.startswith("_") and name in ApiStore.__dict__
    ]


def test_every_protocol_method_exists_with_the_same_parameters() -> None:
    assert Store is ApiStore
    members = protocol_members()
    assert len(members) > 50
    for name in members:
        wanted = getattr(ApiStore, name)
        have = getattr(SqliteStore, name)
        if isinstance(wanted, property):
            assert isinstance(have, property), name
            continue
        assert list(inspect.signature(have).parameters) == list(
            inspect.signature(wanted).parameters
        ), name


def test_the_public_methods_of_the_store_are_all_in_the_protocol() -> None:
    public = {n for n in dir(SqliteStore) if not n.startswith("_")}
    assert public == set(protocol_members())
