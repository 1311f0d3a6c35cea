"""The first two pages of each analyst brief, as pictures, against reviewed references: an
unintended change of the layout fails here. After a deliberate one, run
`.venv/bin/python scripts/update_references.py`, look at the images and commit them."""
from __future__ import annotations

from pathlib import Path

import pytest

import pageimages
from conftest import SEED_PAIRS

ARTIFACTS = Path(__file__).resolve().parent.parent / "build" / "test-artifacts"


@pytest.mark.parametrize("pair", SEED_PAIRS)
def test_pages_look_as_reviewed(six_briefs, pair):
    pages = pageimages.rasterise(six_briefs[pair]["pdf"])
    assert sorted(pages) == list(pageimages.PAGES)
    changed = []
    for number, image in pages.items():
        reference = pageimages.reference_path(pair, number)
        assert reference.exists(), f"no reference image {reference.name}: run scripts/update_references.py"
        with pageimages.Image.open(reference) as expected:
            expected = expected.convert("L")
            score = pageimages.difference(image, expected)
            if score > pageimages.TOLERANCE:
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                image.save(ARTIFACTS / f"{pair}-p{number}-actual.png")
                pageimages.diff_image(image, expected).save(ARTIFACTS / f"{pair}-p{number}-diff.png")
                changed.append(f"page {number}: mean difference {score:.2f} > {pageimages.TOLERANCE}")
    assert changed == [], f"{pair} looks different from tests/reference (see build/test-artifacts/): {changed}"
