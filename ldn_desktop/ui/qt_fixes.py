"""A guard against a reference-count bug of PySide6 6.12.0 on Python 3.11.

Measured here (see docs/desktop-app.md, "Known platform bug"): with PySide6 6.12.0 on
Python 3.11, every emit() of a signal declared in Python drops one reference to `True`,
and every call of a Python slot or virtual override that returns `None` (a lambda, a
`paintEvent`) drops one reference to `None`, without ever having taken it. After a few
hundred keystrokes in the calculator the count reaches zero and the interpreter aborts
("Fatal Python error: none_dealloc"). PySide6 6.11.3 does not do this, and from Python
3.12 on these objects are immortal (PEP 683), so the lost references do no harm.

`make_immortal()` does for Python 3.11 what 3.12 does: it raises the reference counts of
`None`, `True` and `False` far above anything a day's (or a year's) drift could reach.
These three objects are statically allocated and never freed, so a high count changes
nothing else.
"""

from __future__ import annotations

import ctypes
import sys

# 2**40: a trillion lost references before the count could reach zero.
IMMORTAL_REFCOUNT = 1 << 40
SINGLETONS: tuple[object, ...] = (None, True, False)


def needs_guard() -> bool:
    """Only Python before 3.12 counts references to these singletons."""
    return sys.version_info < (3, 12)


def make_immortal() -> bool:
    """Raise the singletons' reference counts (Python < 3.12 only); True if it did."""
    if not needs_guard():
        return False
    for obj in SINGLETONS:
        # ob_refcnt is the first field of every CPython object.
        count = ctypes.c_ssize_t.from_address(id(obj))
        if count.value < IMMORTAL_REFCOUNT:
            count.value += IMMORTAL_REFCOUNT
    return True
