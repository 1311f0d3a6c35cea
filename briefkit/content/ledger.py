"""The claims ledger: every stated sentence of a brief with its values and source rows.

Written beside the brief as A-B.claims.json and kept in the executed notebook's metadata. Its
format ("briefkit-claims/1") is documented in the README; `briefkit check` re-verifies it against
the data package, and editions compare two of them.
"""
from __future__ import annotations

import json

FORMAT = "briefkit-claims/1"
OUTPUT_KEY = "briefkit_claims"  # the notes' output metadata that carries the ledger in the notebook


def ledger(doc) -> dict:
    """The ledger of a drafted Document (briefkit.content.document)."""
    from .document import Paragraph, reading_order   # here: the renderer writes ledgers without pandas

    notes_of = {}
    for block in reading_order(doc):   # the sections and the analyst's additions from the notebook
        if isinstance(block, Paragraph):
            calls = iter(block.calls)
            for claim in block.claims:
                numbers = []
                for _ in claim.values:
                    numbers += [c.note.number for c in next(calls)]
                notes_of[claim.id] = sorted(set(numbers))
    return {
        "format": FORMAT,
        "pair": doc.pair,
        "countries": dict(doc.names),
        "as_of": doc.as_of.isoformat(),
        "data_digest": doc.digest,
        "sections": [{"id": s.id, "title": s.title, "origin": s.origin, "text": section_text(s)}
                     for s in doc.sections.values()],
        "claims": [{"id": c.id, "section": c.section, "rule": c.rule, "text": c.text.strip(),
                    "guards": list(c.guards), "notes": notes_of.get(c.id, []),
                    "values": [v.as_record() for v in c.values if v.unit not in ("citation", "figure", "table")]}
                   for c in doc.claims],
        "notes": [{"number": n.number, "source": n.source_id, "text": n.text} for n in doc.notes],
    }


def section_text(sec) -> str:
    from .document import Paragraph

    texts = [c.text.strip() for b in sec.blocks if isinstance(b, Paragraph) for c in b.claims]
    return "\n\n".join(texts)


def dumps(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
