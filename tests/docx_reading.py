"""Reading a .docx as Word does, for the tests: footnotes in the order the text calls them, the text
of the body, the document's properties. Only zipfile and ElementTree: no Word library needed."""
from __future__ import annotations

import io
import re
import zipfile
import xml.etree.ElementTree as ET

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def _text(element) -> str:
    return re.sub(r"\s+", " ", "".join(t.text or "" for t in element.iter(f"{W}t"))).strip()


def footnotes(data: bytes) -> list[str]:
    """The footnotes' texts, in the order the document calls them (separators left out)."""
    p = parts(data)
    notes = {n.get(f"{W}id"): _text(n) for n in ET.fromstring(p["word/footnotes.xml"]).iter(f"{W}footnote")
             if n.get(f"{W}type") is None}
    calls = [r.get(f"{W}id") for r in ET.fromstring(p["word/document.xml"]).iter(f"{W}footnoteReference")]
    assert sorted(calls) == sorted(notes), "every footnote is called once from the text"
    return [notes[c] for c in calls]


def body_text(data: bytes) -> str:
    """The document's paragraphs (table cells too), one space between paragraphs."""
    root = ET.fromstring(parts(data)["word/document.xml"])
    return " ".join(filter(None, (_text(p) for p in root.iter(f"{W}p"))))


def styles_used(data: bytes) -> list[str]:
    return [s.get(f"{W}val") for s in ET.fromstring(parts(data)["word/document.xml"]).iter(f"{W}pStyle")]


def core(data: bytes) -> dict[str, str]:
    root = ET.fromstring(parts(data)["docProps/core.xml"])
    return {el.tag.split("}")[1]: el.text or "" for el in root}
