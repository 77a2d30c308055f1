"""Regenerate the reference renders the document tests compare against.

Run after an intended change to how a document looks, then LOOK at every PNG written
(tests/documents/reference/) before committing them:

    .venv/bin/python scripts/regenerate-document-references.py [NAME ...]

Cases come from every tests/documents/*_cases.py module with a `reference_renders()`
function; NAME limits the run to those cases.
"""

from __future__ import annotations

import importlib
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.documents.references import write_reference  # noqa: E402


def main(names: list[str]) -> int:
    cases = {}
    for module_file in sorted((ROOT / "tests" / "documents").glob("*_cases.py")):
        module = importlib.import_module(f"tests.documents.{module_file.stem}")
        if hasattr(module, "reference_renders"):
            cases.update(module.reference_renders())
    unknown = sorted(set(names) - cases.keys())
    if unknown:
        print(f"no reference case named {unknown[0]!r}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        for name, render in cases.items():
            if names and name not in names:
                continue
            pdf = Path(folder) / f"{name}.pdf"
            render(pdf)
            for written in write_reference(name, pdf):
                print(written.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
