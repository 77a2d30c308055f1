"""Password hashing with scrypt (hashlib), OWASP Password Storage Cheat Sheet parameters.

OWASP: scrypt with N=2^17, r=8, p=1 as the minimum. hashlib needs `maxmem` set above
128·N·r bytes or it refuses (PLATFORM.md): ~0.34 s a hash here, fine for a sign-in.
The parameters are stored with each hash, so a later, stronger setting still verifies old ones.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

OWASP_SCRYPT_N = 2**17  # OWASP Password Storage Cheat Sheet (scrypt minimum)
SCRYPT_R = 8
SCRYPT_P = 1
MAXMEM = 256 * 1024 * 1024
MIN_PASSWORD_LENGTH = 8  # NIST SP 800-63B: at least 8 characters for a memorised secret


def hash_password(password: str, *, n: int = OWASP_SCRYPT_N) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=SCRYPT_R, p=SCRYPT_P, maxmem=MAXMEM, dklen=32
    )
    return "$".join(
        (
            "scrypt",
            str(n),
            str(SCRYPT_R),
            str(SCRYPT_P),
            base64.b64encode(salt).decode("ascii"),
            base64.b64encode(digest).decode("ascii"),
        )
    )


def check_password(password: str, stored: str) -> bool:
    """True if `password` matches the stored hash (constant-time comparison)."""
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return False
    n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
    salt = base64.b64decode(parts[4])
    expected = base64.b64decode(parts[5])
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=MAXMEM, dklen=len(expected)
    )
    return hmac.compare_digest(digest, expected)


def dummy_check(password: str, *, n: int = OWASP_SCRYPT_N) -> None:
    """Spend the time of a real check, so an unknown username is not revealed by timing."""
    hashlib.scrypt(
        password.encode("utf-8"), salt=b"0" * 16, n=n, r=SCRYPT_R, p=SCRYPT_P, maxmem=MAXMEM
    )
