"""What changed between two editions of a brief, claim by claim: `briefkit diff OLD NEW`.

    changes(old_ledger, new_ledger)  →  Changes (claims added, removed, changed; sections edited; notes)

Both sides are claims ledgers (A-B.claims.json, format briefkit-claims/1). Claims are matched by
id; a claim whose text, or any value's number or text, differs is "changed", and each such value
is reported old → new with the source rows behind it. Sections whose text differs are compared
sentence by sentence, and each edited sentence word by word. Notes are compared by what they say,
not by their number, so a note renumbered because another was inserted is not a change. When no
statement moved (a reordered data file, a new unrelated source), the brief says the same: `moved`
is False, and the reports say "no change in what the brief says".

How the reports look (terminal, HTML, JSON) is briefkit.diffreport's business; where the ledgers
are (files, edition folders, batch folders) is `pairs_of()`'s.
"""
from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from itertools import zip_longest
from pathlib import Path

from .errors import BriefkitError, UsageError

LEDGER_SUFFIX = ".claims.json"
FORMAT = "briefkit-claims/1"
NO_CHANGE = "no change in what the brief says"


@dataclass(frozen=True)
class ValueChange:
    """One value of a changed claim, old → new (None on the side where it is missing)."""

    old: dict | None
    new: dict | None

    @property
    def label(self) -> str:
        """What the value measures: "balance, 2020, as PAK reports"."""
        v = self.new or self.old or {}
        parts = [str(v[k]) for k in ("measure", "year") if v.get(k) is not None]
        if v.get("reporter"):
            parts.append(f"as {v['reporter']} reports")
        return ", ".join(parts)


@dataclass(frozen=True)
class ClaimChange:
    id: str
    section: str
    old_text: str
    new_text: str
    values: tuple[ValueChange, ...]   # only the values that differ
    words: tuple[tuple[str, str], ...]  # word diff of the text: ("equal" | "delete" | "insert", words)
    sentences: tuple["SentenceEdit", ...] = ()  # the sentences of the text that differ (a claim may hold several)


@dataclass(frozen=True)
class SentenceEdit:
    old: str                           # "" when the sentence is new
    new: str                           # "" when it was removed
    words: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class SectionChange:
    id: str
    title: str
    origin: str                        # "drafted" | "analyst" (the new side's, else the old's)
    status: str                        # "edited" | "added" | "removed"
    edits: tuple[SentenceEdit, ...]


@dataclass(frozen=True)
class Changes:
    """What changed between two editions of one brief. Empty (moved False): the brief says the same."""

    pair: str
    old: dict                          # {"as_of", "data_digest"} of each side
    new: dict
    added: tuple[dict, ...] = ()       # claims as the ledger records them
    removed: tuple[dict, ...] = ()
    changed: tuple[ClaimChange, ...] = ()
    sections: tuple[SectionChange, ...] = ()
    notes_added: tuple[dict, ...] = ()
    notes_removed: tuple[dict, ...] = ()
    sources: dict = field(default_factory=dict)  # source id → a note text naming it (for row links)

    @property
    def moved(self) -> bool:
        """Whether any statement of the brief changed."""
        return bool(self.added or self.removed or self.changed or self.sections
                    or self.notes_added or self.notes_removed)

    @property
    def counts(self) -> dict[str, int]:
        return {"added": len(self.added), "removed": len(self.removed), "changed": len(self.changed),
                "sections": len(self.sections), "notes_added": len(self.notes_added),
                "notes_removed": len(self.notes_removed)}

    def summary(self) -> str:
        """One line: "3 claims changed, 1 added, 0 removed; 1 section edited; notes +1 −0"."""
        if not self.moved:
            return NO_CHANGE
        c = self.counts
        return (f"{c['changed']} claim{'s' if c['changed'] != 1 else ''} changed, {c['added']} added, "
                f"{c['removed']} removed; "
                f"{c['sections']} section{'s' if c['sections'] != 1 else ''} edited; "
                f"notes +{c['notes_added']} −{c['notes_removed']}")

    def as_dict(self) -> dict:
        out = asdict(self)
        out |= {"moved": self.moved, "counts": self.counts, "summary": self.summary()}
        return out


def changes(old_ledger: dict, new_ledger: dict) -> Changes:
    """Compare two claims ledgers of one brief (parsed A-B.claims.json). Pure: no files, no kernel.

    The batch index uses `.moved`, `.counts` and `.summary()`; `briefkit diff` prints the rest."""
    for side in (old_ledger, new_ledger):
        if side.get("format") != FORMAT:
            raise LedgerError(f'Not a claims ledger (format {side.get("format")!r}, expected "{FORMAT}")')
    old_claims = {c["id"]: c for c in old_ledger.get("claims", [])}
    new_claims = {c["id"]: c for c in new_ledger.get("claims", [])}
    added = tuple(c for i, c in new_claims.items() if i not in old_claims)
    removed = tuple(c for i, c in old_claims.items() if i not in new_claims)
    changed = tuple(filter(None, (_claim_change(old_claims[i], c) for i, c in new_claims.items()
                                  if i in old_claims)))
    old_notes, new_notes = Counter(map(_note_key, old_ledger.get("notes", []))), Counter(
        map(_note_key, new_ledger.get("notes", [])))
    sources = {n.get("source"): n.get("text", "") for led in (old_ledger, new_ledger) for n in led.get("notes", [])}
    return Changes(
        pair=new_ledger.get("pair") or old_ledger.get("pair", ""),
        old=_edition(old_ledger), new=_edition(new_ledger),
        added=added, removed=removed, changed=changed,
        sections=tuple(_section_changes(old_ledger, new_ledger)),
        notes_added=tuple({"source": s, "text": t} for s, t in (new_notes - old_notes).elements()),
        notes_removed=tuple({"source": s, "text": t} for s, t in (old_notes - new_notes).elements()),
        sources=sources)


def _edition(ledger: dict) -> dict:
    return {"as_of": ledger.get("as_of"), "data_digest": ledger.get("data_digest")}


def _note_key(note: dict) -> tuple[str, str]:
    return note.get("source", ""), note.get("text", "")


def _claim_change(old: dict, new: dict) -> ClaimChange | None:
    values = tuple(ValueChange(o, n) for o, n in zip_longest(old.get("values", []), new.get("values", []))
                   if _value_key(o) != _value_key(n))
    if old.get("text") == new.get("text") and not values:
        return None
    before, after = old.get("text", ""), new.get("text", "")
    return ClaimChange(new["id"], new.get("section", ""), before, after, values, word_diff(before, after),
                       _sentence_edits(before, after) if before != after else ())


def _value_key(value: dict | None):
    return None if value is None else (value.get("number"), value.get("text"))


# ---- text ----------------------------------------------------------------------------------------
# after . ! ? : before a word that does not start lowercase; and around a claim's mark (see _masked)
SENTENCE_END = re.compile("(?<=[.!?:\u27e7])\\s+(?=[^a-z\\s])|\\s+(?=\u27e6)")


def sentences(text: str) -> list[str]:
    """A section's text in sentences (split after . ! ? : before a word that does not start lowercase)."""
    return [s for s in SENTENCE_END.split(text.strip()) if s]


def word_diff(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """difflib on words: runs of ("equal" | "delete" | "insert", "the words")."""
    a, b = old.split(), new.split()
    ops = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag in ("equal", "delete", "replace") and i2 > i1:
            ops.append(("equal" if tag == "equal" else "delete", " ".join(a[i1:i2])))
        if tag in ("insert", "replace") and j2 > j1:
            ops.append(("insert", " ".join(b[j1:j2])))
    return tuple(ops)


def _section_changes(old: dict, new: dict):
    """Sections added, removed or edited. A section's claims are left out of its comparison (they
    are reported as claims): what remains is the prose around them, an analyst's or a rule's."""
    before = {s["id"]: s for s in old.get("sections", [])}
    after = {s["id"]: s for s in new.get("sections", [])}
    for sid, s in after.items():
        if sid not in before:
            yield SectionChange(sid, s.get("title", ""), s.get("origin", ""), "added",
                                tuple(SentenceEdit("", x, (("insert", x),)) for x in sentences(s.get("text", ""))))
            continue
        a = _masked(before[sid].get("text", ""), sid, old)
        b = _masked(s.get("text", ""), sid, new)
        if a != b:
            edits = tuple(SentenceEdit(o, n, word_diff(o, n)) for o, n in (
                (_unmasked(e.old, old), _unmasked(e.new, new)) for e in _sentence_edits(a, b)
                if not (_claims_only(e.old) and _claims_only(e.new))) if o != n)
            if edits:
                yield SectionChange(sid, s.get("title", ""), s.get("origin", ""), "edited", edits)
    for sid, s in before.items():
        if sid not in after:
            yield SectionChange(sid, s.get("title", ""), s.get("origin", ""), "removed",
                                tuple(SentenceEdit(x, "", (("delete", x),)) for x in sentences(s.get("text", ""))))


MARK = re.compile("\u27e6([^\u27e7]*)\u27e7")


def _masked(text: str, section: str, ledger: dict) -> str:
    """The section's text with each of its claims replaced by a mark naming the claim's id."""
    for c in sorted((c for c in ledger.get("claims", []) if c.get("section") == section and c.get("text")),
                    key=lambda c: -len(c["text"])):
        text = text.replace(c["text"], f"\u27e6{c['id']}\u27e7", 1)
    return text


def _claims_only(text: str) -> bool:
    """Whether a sentence is nothing but claims (or empty): those are reported as claims."""
    return not MARK.sub("", text).strip()


def _unmasked(text: str, ledger: dict) -> str:
    claims = {c["id"]: c.get("text", "") for c in ledger.get("claims", [])}
    return MARK.sub(lambda m: claims.get(m.group(1), m.group(0)), text)


def _sentence_edits(old: str, new: str) -> tuple[SentenceEdit, ...]:
    """The sentences that differ, each with its word diff. A sentence edited in place is one edit."""
    a, b = sentences(old), sentences(new)
    edits = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        for o, n in zip_longest(a[i1:i2], b[j1:j2], fillvalue=""):
            edits.append(SentenceEdit(o, n, word_diff(o, n)))
    return tuple(edits)


# ---- where the ledgers are -----------------------------------------------------------------------
class LedgerError(BriefkitError):
    """A claims ledger that cannot be read."""


def load_ledger(path: Path) -> dict:
    """A ledger from A-B.claims.json, or from an executed notebook's metadata.briefkit.claims."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LedgerError(f"Cannot read the claims ledger {path}: {exc}") from None
    if path.suffix == ".ipynb":
        data = data.get("metadata", {}).get("briefkit", {}).get("claims")
        if not isinstance(data, dict):
            raise LedgerError(f"{path} records no claims ledger: render the brief again with this briefkit")
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise LedgerError(f'{path} is not a claims ledger (expected "format": "{FORMAT}")')
    return data


def ledgers_in(folder: Path) -> dict[str, Path]:
    """{pair: ledger path} of a brief's folder, an edition's folder, or each brief of a batch folder."""
    own = _ledger_of(folder)
    if own is not None:
        return {own[0]: own[1]}
    found = {}
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        mine = _ledger_of(sub)
        if mine is not None:
            found[mine[0]] = mine[1]
    return found


def _ledger_of(folder: Path) -> tuple[str, Path] | None:
    ledgers = sorted(folder.glob(f"*{LEDGER_SUFFIX}"))
    if len(ledgers) == 1:
        return ledgers[0].name[: -len(LEDGER_SUFFIX)], ledgers[0]
    notebooks = [p for p in sorted(folder.glob("*.ipynb")) if not p.name.endswith(".failed.ipynb")]
    if not ledgers and len(notebooks) == 1:
        return notebooks[0].stem, notebooks[0]
    return None


def pairs_of(old: str | Path, new: str | Path) -> list[tuple[str, Path | None, Path | None]]:
    """(pair, old ledger, new ledger) for two ledgers, two edition/brief folders or two batch
    folders; a brief in only one batch has None on the other side."""
    old, new = Path(old), Path(new)
    for p in (old, new):
        if not p.exists():
            raise UsageError(f"{p} does not exist: give two ledger files (A-B.claims.json), two edition "
                             f"folders of one brief, or two batch folders")
    if old.is_file() and new.is_file():
        return [(_pair_name(new), old, new)]
    if old.is_file() != new.is_file():
        raise UsageError(f"Cannot compare {old} with {new}: give two ledger files or two folders")
    a, b = ledgers_in(old), ledgers_in(new)
    if not a and not b:
        raise UsageError(f"No claims ledger (A-B.claims.json) in {old} or {new}: render the briefs first")
    if len(a) == 1 and len(b) == 1 and _ledger_of(old) and _ledger_of(new):
        (pa, la), (pb, lb) = next(iter(a.items())), next(iter(b.items()))
        if pa != pb:
            raise UsageError(f"{old} is the brief {pa} and {new} is {pb}: compare two editions of one brief")
        return [(pb, la, lb)]
    return [(pair, a.get(pair), b.get(pair)) for pair in sorted(a.keys() | b.keys())]


def _pair_name(path: Path) -> str:
    name = path.name
    return name[: -len(LEDGER_SUFFIX)] if name.endswith(LEDGER_SUFFIX) else path.stem
