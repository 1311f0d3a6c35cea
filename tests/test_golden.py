"""The PAK-BLR HTML against a reviewed snapshot. Regenerate after a deliberate change with:

    BRIEFKIT_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py

and review the diff of tests/golden/PAK-BLR.html like any other change.
"""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden" / "PAK-BLR.html"


def normalize(html: str) -> str:
    """Blank what legitimately changes between machines and library versions: chart bytes, versions."""
    html = re.sub(r'src="data:image/svg\+xml;base64,[^"]+"', 'src="data:image/svg+xml;base64,…"', html)
    html = re.sub(r'<meta name="generator" content="briefkit [^"]*"/?>', '<meta name="generator"/>', html)
    html = re.sub(r'<footer class="colophon">.*?</footer>', '<footer class="colophon">…</footer>', html, flags=re.S)
    return html


def test_html_matches_the_reviewed_snapshot(html_text):
    got = normalize(html_text)
    if os.environ.get("BRIEFKIT_UPDATE_GOLDEN"):
        GOLDEN.write_text(got, encoding="utf-8")
    assert got == GOLDEN.read_text(encoding="utf-8")


def test_same_inputs_give_byte_identical_html_and_pdf(pak_blr, tmp_path):
    from briefkit.render import render

    again = render("PAK", "BLR", output=tmp_path)
    for fmt in ("html", "pdf"):
        first = hashlib.sha256(pak_blr.files[fmt].read_bytes()).hexdigest()
        second = hashlib.sha256(again.files[fmt].read_bytes()).hexdigest()
        assert first == second, f"{fmt} differs between two renders of the same inputs"
