"""Shared fixtures: one real render of the Pakistan-Belarus brief per test session."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefkit.render import render

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def pak_blr(tmp_path_factory):
    """build/PAK-BLR rendered once (HTML and PDF) through the real kernel, nbconvert and WeasyPrint."""
    out = tmp_path_factory.mktemp("build")
    return render("PAK", "BLR", output=out)


# The briefs whose pages the layout, page-image and browser tests look at: three with an analyst's
# prose, three drafted from the data alone.
SEED_PAIRS = ("PAK-BLR", "PAK-RUS", "BLR-CHN")
DRAFTED_PAIRS = ("IND-RUS", "PAK-CHN", "KAZ-CHN")


@pytest.fixture(scope="session")
def six_briefs(pak_blr, tmp_path_factory) -> dict[str, dict[str, Path]]:
    """{pair: {format: path}} for SEED_PAIRS and DRAFTED_PAIRS, each rendered once per session in
    this process (PAK-BLR is the pak_blr render)."""
    out = tmp_path_factory.mktemp("six")
    files = {"PAK-BLR": pak_blr.files}
    for pair in SEED_PAIRS + DRAFTED_PAIRS:
        if pair not in files:
            files[pair] = render(*pair.split("-"), output=out).files
    return files


@pytest.fixture(scope="session")
def pdf_pages(pak_blr) -> list[str]:
    """The PDF's text, page by page, with whitespace runs collapsed."""
    reader = PdfReader(pak_blr.files["pdf"])
    return [squash(page.extract_text()) for page in reader.pages]


@pytest.fixture(scope="session")
def html_text(pak_blr) -> str:
    return pak_blr.files["html"].read_text(encoding="utf-8")


def squash(text: str) -> str:
    """Whitespace runs collapsed, and words hyphenated across a line break joined again."""
    return re.sub(r"\s+", " ", re.sub(r"\u2010\s+", "", text or "")).strip()


def pytest_collection_modifyitems(items):
    """Layers by folder: tests/unit/ is `unit`; every other test is `render` unless marked `system`."""
    for item in items:
        if "unit" in Path(str(item.fspath)).parts:
            item.add_marker(pytest.mark.unit)
        elif not item.get_closest_marker("system"):
            item.add_marker(pytest.mark.render)
