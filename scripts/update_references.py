"""Render the three analyst briefs and write their reference page images (tests/reference/).

    .venv/bin/python scripts/update_references.py

Run it after a deliberate change of the layout, look at the new images (and `git diff --stat`),
and commit them with the change: tests/test_page_images.py compares every render with them.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from briefkit.render import render  # noqa: E402
from conftest import SEED_PAIRS  # noqa: E402
import pageimages  # noqa: E402


def main() -> int:
    pageimages.REFERENCE.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as out:
        for pair in SEED_PAIRS:
            pdf = render(*pair.split("-"), output=out, formats=("pdf",)).files["pdf"]
            for number, image in pageimages.rasterise(pdf).items():
                path = pageimages.reference_path(pair, number)
                image.save(path, optimize=True)
                print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
