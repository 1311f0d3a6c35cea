"""What three drafted briefs say, claim by claim, against reviewed text snapshots.

Regenerate after a deliberate change to a rule or its wording, then review the diff like code:

    BRIEFKIT_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/unit/test_snapshots.py
"""
from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from briefkit.brief import Brief

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"


def said(pair: str) -> str:
    brief = Brief.open(*pair.split("-"))
    lines = [f"# {pair}, drafted as of {brief.date.isoformat()}"]
    for sec in brief.doc.sections.values():
        lines.append(f"\n## {sec.id}: {sec.title} ({sec.origin})")
        lines += [f"{c.id}: {c.text}" for c in brief.doc.claims if c.section == sec.id]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("pair", ["IND-RUS", "KAZ-CHN", "TUV-NRU"])
def test_drafted_brief_says_what_the_snapshot_says(pair):
    path = SNAPSHOTS / f"{pair}.txt"
    got = said(pair)
    if os.environ.get("BRIEFKIT_UPDATE_SNAPSHOTS") or not path.exists():
        path.write_text(got, encoding="utf-8")
    want = path.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True), f"{pair}.txt (reviewed)",
                                        f"{pair} (now)"))
    assert got == want, f"the drafted {pair} brief changed:\n{diff}"
