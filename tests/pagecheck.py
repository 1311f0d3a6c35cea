"""Reading a brief's PDF as a reviewer looks at it: where the lines, note calls and notes are.

Positions come from pdfplumber (points, origin top left). A note call is a run of digits (and
commas) set smaller than the line it sits on and raised above its baseline; a note is a line of the
footnote area that starts with "N." at the area's left edge. Each check returns a list of problems,
empty when the page is as a publisher expects.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pdfplumber

MM = 72 / 25.4
MARGIN = {"top": 20 * MM, "right": 20 * MM, "bottom": 22 * MM, "left": 20 * MM}  # brief.css @page
NOTE_SIZE = 7.5  # .fn font-size in brief.css
CALL = re.compile(r"^\d+(,\d+)*$")
MARKER = re.compile(r"^(\d+)\.$")
TOLERANCE = 1.0  # points


@dataclass
class Line:
    words: list[dict]
    top: float
    bottom: float

    @property
    def text(self) -> str:
        return " ".join(w["text"] for w in self.words)

    @property
    def size(self) -> float:
        return max(w["size"] for w in self.words)

    @property
    def x0(self) -> float:
        return min(w["x0"] for w in self.words)

    @property
    def x1(self) -> float:
        return max(w["x1"] for w in self.words)


@dataclass
class Page:
    number: int
    width: float
    height: float
    chars: list[dict]
    body: list[Line] = field(default_factory=list)    # lines of the text area above the notes
    notes: list[Line] = field(default_factory=list)   # lines of the footnote area
    margins: list[Line] = field(default_factory=list)  # running header, page number
    shapes: list[tuple[float, float]] = field(default_factory=list)  # vertical extents of drawings

    @property
    def calls(self) -> list[int]:
        """Note numbers called on this page, in reading order."""
        found = []
        for line in self.body:
            after_call = False
            for i, w in enumerate(line.words):
                if _is_call(w, line, i):
                    found += [int(n) for n in w["text"].split(",")]
                    after_call = True
                elif after_call and re.fullmatch(r"(,\d+)+", w["text"]):
                    # ",10" set apart from the call before it: a new note's call after a note called again
                    found += [int(n) for n in w["text"].split(",")[1:]]
                else:
                    after_call = False
        return found

    def note_numbers(self, most: int) -> list[int]:
        """Numbers of the notes printed on this page (`most`: the highest call of the brief)."""
        return [int(MARKER.match(line.words[0]["text"]).group(1)) for line in self.notes if _starts_note(line, most)]


def read(path) -> list[Page]:
    pages = []
    with pdfplumber.open(path) as pdf:
        for n, p in enumerate(pdf.pages, start=1):
            words = p.extract_words(extra_attrs=["size", "fontname"], keep_blank_chars=False, use_text_flow=True)
            upright = [w for w in words if w.get("upright", True)]
            page = Page(n, float(p.width), float(p.height), list(p.chars))
            text_area = (MARGIN["top"] - TOLERANCE, page.height - MARGIN["bottom"] + TOLERANCE)
            lines = _lines(upright)
            inside = [ln for ln in lines if text_area[0] <= ln.top and ln.bottom <= text_area[1]]
            page.margins = [ln for ln in lines if ln not in inside]
            split = _footnote_area_start(inside)
            page.body = inside[:split]
            page.notes = inside[split:]
            page.shapes = [(float(o["top"]), float(o["bottom"])) for o in p.rects + p.curves + p.lines + p.images
                           if text_area[0] <= o["top"] and o["bottom"] <= text_area[1]]
            pages.append(page)
    return pages


def _lines(words: list[dict]) -> list[Line]:
    """Words grouped into lines: a word belongs to a line when its middle lies within the line's
    height (a raised note call stays on the line it is called from)."""
    lines: list[Line] = []
    for w in sorted(words, key=lambda w: (round(w["bottom"]), w["x0"])):
        middle = (w["top"] + w["bottom"]) / 2
        for line in lines[-3:]:
            if line.top <= middle <= line.bottom and not any(_overlaps(w, o) for o in line.words):
                line.words.append(w)
                line.top, line.bottom = min(line.top, w["top"]), max(line.bottom, w["bottom"])
                break
        else:
            lines.append(Line([w], w["top"], w["bottom"]))
    for line in lines:
        line.words.sort(key=lambda w: w["x0"])
    return sorted(lines, key=lambda ln: ln.top)


def _overlaps(a: dict, b: dict) -> bool:
    return a["x0"] < b["x1"] - 0.5 and b["x0"] < a["x1"] - 0.5


def _starts_note(line: Line, most: int | None = None) -> bool:
    """Does the line begin a note ("12." at the area's left edge)? A note's later line may begin
    with a number too ("2020. https://…"): given `most`, the highest call, larger numbers do not count."""
    first = line.words[0]
    match = MARKER.match(first["text"])
    return (bool(match) and abs(first["size"] - NOTE_SIZE) < 0.3 and first["x0"] <= MARGIN["left"] + 12
            and (most is None or int(match.group(1)) <= most))


def highest_call(pages: list[Page]) -> int:
    return max((n for page in pages for n in page.calls), default=0)


def _footnote_area_start(lines: list[Line]) -> int:
    """Index of the first line of the footnote area: the notes are the last lines of a page, all in
    the note size, the first of them starting with a note number."""
    start = len(lines)
    for i in range(len(lines) - 1, -1, -1):
        if abs(lines[i].size - NOTE_SIZE) >= 0.3:
            break
        if _starts_note(lines[i]):
            start = i
    return start


def _is_call(word: dict, line: Line, index: int) -> bool:
    if not CALL.match(word["text"]) or index == 0:
        return False
    before = line.words[index - 1]
    return word["size"] < 0.8 * before["size"] and word["bottom"] < before["bottom"] - 0.5


# ---- checks --------------------------------------------------------------------------------------

def notes_with_calls(pages: list[Page]) -> list[str]:
    """Every note on the page of its call, the notes of a page in the order of their calls."""
    problems = []
    called_on = {}
    for page in pages:
        for n in page.calls:
            called_on.setdefault(n, page.number)
    printed_on = {}
    most = highest_call(pages)
    for page in pages:
        numbers = page.note_numbers(most)
        if numbers != sorted(numbers):
            problems.append(f"page {page.number}: notes in the order {numbers}")
        for n in numbers:
            printed_on[n] = page.number
    for n in sorted(set(called_on) | set(printed_on)):
        if n not in printed_on:
            problems.append(f"note {n}: called on page {called_on[n]}, printed nowhere")
        elif n not in called_on:
            problems.append(f"note {n}: printed on page {printed_on[n]}, called nowhere")
        elif called_on[n] != printed_on[n]:
            problems.append(f"note {n}: called on page {called_on[n]}, printed on page {printed_on[n]}")
    return problems


def notes_unbroken(pages: list[Page]) -> list[str]:
    """No note line ends early: the next line's first word would have fitted on it."""
    problems = []
    most = highest_call(pages)
    for page in pages:
        right = page.width - MARGIN["right"]
        for line, following in zip(page.notes, page.notes[1:]):
            if _starts_note(following, most):
                continue
            word = following.words[0]
            room = right - line.x1
            space = 0.3 * NOTE_SIZE
            if room > (word["x1"] - word["x0"]) + space + TOLERANCE:
                problems.append(f'page {page.number}: note line "{line.text[:40]}" breaks before '
                                f'"{word["text"]}" with {room:.0f} pt to spare')
    return problems


def calls_one_size(pages: list[Page]) -> list[str]:
    """Every note call set at one size, a note's first call as a call again, wherever it stands."""
    sizes: dict[float, list[str]] = {}
    for page in pages:
        for line in page.body:
            for i, word in enumerate(line.words):
                if _is_call(word, line, i):
                    sizes.setdefault(round(word["size"], 1), []).append(f'{word["text"]} on page {page.number}')
    if len(sizes) <= 1:
        return []
    return [f"note calls at {size} pt: {', '.join(calls[:3])}" for size, calls in sorted(sizes.items())]


def inside_page(pages: list[Page]) -> list[str]:
    """No character outside the page box, and none of the text area's beyond its side margins."""
    problems = []
    for page in pages:
        for c in page.chars:
            if c["x0"] < -TOLERANCE or c["x1"] > page.width + TOLERANCE or c["top"] < -TOLERANCE \
                    or c["bottom"] > page.height + TOLERANCE:
                problems.append(f'page {page.number}: "{c["text"]}" outside the page at ({c["x0"]:.0f}, {c["top"]:.0f})')
        for line in page.body + page.notes:
            if line.x0 < MARGIN["left"] - TOLERANCE or line.x1 > page.width - MARGIN["right"] + TOLERANCE:
                problems.append(f'page {page.number}: "{line.text[:40]}" beyond the side margins '
                                f"({line.x0:.0f}-{line.x1:.0f} pt)")
    return problems


def no_call_starts_a_line(pages: list[Page]) -> list[str]:
    """No line of the text begins with a note call: a number alone at a line's start reads as part
    of the text ("12 of Japan's trade"). A call: digits (after a comma) in the text's serif, smaller
    than the line's other words (chart labels are sans)."""
    problems = []
    for page in pages:
        for line in page.body:
            first, sizes = line.words[0], [w["size"] for w in line.words[1:]]
            if (re.fullmatch(r",?\d+(,\d+)*", first["text"]) and "Serif" in first["fontname"]
                    and sizes and first["size"] < 0.8 * max(sizes)):
                problems.append(f'page {page.number}: the line "{line.text[:40]}" begins with a call')
    return problems


def is_heading(line: Line) -> bool:
    """h2 and h3: bold Noto Sans at 10 pt or more (chart text is regular, the masthead is on page 1's top)."""
    return all("Sans" in w["fontname"] and "Bold" in w["fontname"] and w["size"] >= 10 for w in line.words)


def no_heading_at_foot(pages: list[Page]) -> list[str]:
    return [f'page {page.number}: ends with the heading "{page.body[-1].text}"'
            for page in pages[:-1] if page.body and is_heading(page.body[-1])]


def fill(page: Page) -> float:
    """The share of the text area's height that holds text, notes or drawings."""
    top, bottom = MARGIN["top"], page.height - MARGIN["bottom"]
    spans = sorted([(ln.top, ln.bottom) for ln in page.body + page.notes] + page.shapes)
    covered, reach = 0.0, top
    for a, b in spans:
        a, b = max(a, reach), min(b, bottom)
        if b > a:
            covered += b - a
            reach = b
    return covered / (bottom - top)


def pages_filled(pages: list[Page], least: float = 0.25, short: int = 2) -> list[str]:
    """No page less than a quarter full, unless it is the last page of a short brief."""
    problems = []
    for page in pages:
        if page is pages[-1] and len(pages) <= short:
            continue
        share = fill(page)
        if share < least:
            problems.append(f"page {page.number} of {len(pages)}: {share:.0%} of the text area filled")
    return problems


HOLE = 0.25  # the largest share of a page's text area that may stay empty at the foot of its text


def foot_hole(page: Page) -> float:
    """The share of the text area left empty between the page's last text or drawing and its notes
    (or the foot of the text area when it has none)."""
    top, bottom = MARGIN["top"], page.height - MARGIN["bottom"]
    limit = min([ln.top for ln in page.notes] or [bottom])
    spans = [(ln.top, ln.bottom) for ln in page.body] + [s for s in page.shapes if s[1] <= limit - 2]
    low = max((b for _, b in spans), default=top)  # the notes' rule (a drawing just above them) aside
    return max(limit - low, 0.0) / (bottom - top)


def no_holes(pages: list[Page], most: float = HOLE) -> list[str]:
    """No page but the last left with more than `most` of its text area empty at its foot: a figure
    or table that does not fit floats or splits, and the text after it fills the page."""
    return [f"page {page.number} of {len(pages)}: {foot_hole(page):.0%} of the text area empty at its foot"
            for page in pages[:-1] if foot_hole(page) > most]


CHECKS = {"notes with their calls": notes_with_calls, "notes unbroken": notes_unbroken,
          "calls one size": calls_one_size, "no call starts a line": no_call_starts_a_line,
          "text inside the page": inside_page, "no heading at a page foot": no_heading_at_foot,
          "pages filled": pages_filled, "no hole at a page foot": no_holes}


def report(path) -> dict[str, list[str]]:
    pages = read(path)
    return {name: check(pages) for name, check in CHECKS.items()}
