"""The SQLite implementation of the `Store` protocol, assembled from its parts."""

from __future__ import annotations

from pathlib import Path

from ldn_desktop.store.api import Store
from ldn_desktop.store.backups import BackupsMixin
from ldn_desktop.store.base import Clock, utc_now
from ldn_desktop.store.batches import BatchesMixin
from ldn_desktop.store.connection import DEFAULT_BUSY_TIMEOUT_MS
from ldn_desktop.store.passwords import OWASP_SCRYPT_N
from ldn_desktop.store.patients import PatientsMixin


class SqliteStore(BatchesMixin, PatientsMixin, BackupsMixin):
    """One pharmacy's records in one local SQLite file (see `ldn_desktop.store.api.Store`)."""

    def __init__(
        self,
        path: Path,
        *,
        read_only: bool = False,
        scrypt_n: int = OWASP_SCRYPT_N,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
        clock: Clock = utc_now,
    ) -> None:
        super().__init__(
            path,
            read_only=read_only,
            scrypt_n=scrypt_n,
            busy_timeout_ms=busy_timeout_ms,
            clock=clock,
        )


def _satisfies_the_protocol(store: SqliteStore) -> Store:  # pragma: no cover
    return store  # mypy checks here that SqliteStore implements every Store method
