"""The brief laid out on A4 pages as a publisher expects, through WeasyPrint.

WeasyPrint does most of it from the house stylesheet: notes float to the page foot
(`float: footnote`, `footnote-policy: line`), headings stay with what follows, tables split between
rows. What a stylesheet cannot promise, this module checks on the laid-out pages and mends, each
mend read by a rule of brief.css:

- a note printed on the page after its call. To make room for the lines that end a page, WeasyPrint
  moves notes already placed there to the next page, whatever the footnote policy. The block
  holding the page's last line then starts the next page (`data-page-break`), which leaves the
  room to the notes; when that block is the first under a heading, the heading goes with it.
- a heading at a page foot. WeasyPrint keeps a heading with what follows (`break-after: avoid`)
  only when nothing forces the break: a note's line moved to the next page does. The heading then
  starts the next page (`data-page-break`).
- a note whose first line holds one word. WeasyPrint breaks a line after its first word when the
  text would fit but for its trailing space; the note is set with slightly tighter word spacing
  (`data-spacing`), which lets the text fit.
- a figure that leaves a hole at a page foot: it floats down past the text that fills the hole,
  across the next heading if need be (briefkit/floats.py). The page breaks made for the pages it
  changes are made again; the floats are undone when the mended pages leave a worse hole.
- a last page nearly empty (a few lines and the colophon). The brief is set a shade tighter or
  looser (html[data-fit] in brief.css: leading and spacing within a few per cent), and the first
  setting that fills the last page without opening a hole elsewhere is kept.

Every problem of one layout is marked at once and mended by one more layout. A setting whose first
layout leaves the last page nearly empty is passed over unmended, and a tighter setting is not
tried when it could not take up the last page's lines (FITS: what each setting gains or gives up);
so a brief that needs none of this is laid out once, and copyfitting costs a layout or two. The
layouts of one brief share WeasyPrint's font configuration and image cache, and the lines already
broken (briefkit/linebreaks.py). The laid-out boxes are read through briefkit/pagebox.py.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import floats
from .pagebox import BLOCKS, HEADINGS, _flow, _last_line, _notes, _parent, _room, _tag, fill

# html[data-fit] settings of brief.css, each with what it does to the length of the text: a six-line
# paragraph's height (leading and spacing) changes by this share. "" is the house setting.
FITS = {"": 0.0, "tight": -0.036, "tighter": -0.066, "loose": 0.043}
LEAST_FILL = 0.25   # a last page whose letters fill less than this share of its text area is nearly empty
LEADING = 1.45      # fill() counts a line's whole height, the house leading times its letters' height
SHORT = 2           # a brief of this many pages or fewer may end on a short page
SLACK = 1.2         # a tighter setting is tried when it shortens the text this many times what the
                    # last page holds: part of what it gains is lost at page ends, where a block too
                    # tall for the room left moves whole
HOLE = 0.08         # a setting that fills the last page may empty no other page by more than this
PASSES = 6          # at most this many layouts to mend one setting


@dataclass(frozen=True)
class Layout:
    document: object     # weasyprint.Document
    fit: str             # the setting used (a FITS name; "" for the house setting)
    mended: int          # blocks and notes mended
    displaced: int       # notes still printed away from their calls (0 unless it could not be mended)
    layouts: int         # how many times WeasyPrint laid the brief out


def lay_out(page, **options) -> Layout:
    """The pages of `page` (a weasyprint.HTML): notes with their calls, no heading at a page foot,
    and a last page that is not nearly empty. `options` are WeasyPrint's render options."""
    from weasyprint.text.fonts import FontConfiguration

    # fonts and images, loaded once for every layout (a batch worker lends its own font configuration)
    shared = {"font_config": options.pop("font_config", None) or FontConfiguration(), "cache": options.pop("cache", {})}
    layouts = 0

    def render():
        nonlocal layouts
        layouts += 1
        floats.renumber_calls(root)  # figures floated (or put back) move notes' numbers
        return page.render(**{**shared, **options})

    def done(layout: Layout) -> Layout:
        return Layout(layout.document, layout.fit, layout.mended, layout.displaced, layouts)

    root = page.etree_element
    figures = [(f, parent, list(parent).index(f)) for parent in root.iter() for f in parent if _tag(f) == "figure"]
    first = render()
    house = None if nearly_empty(first) else _mended(first, root, "", render)
    if house is not None and not nearly_empty(house.document):
        return done(house)
    floor = _least_fill(first) - HOLE
    allowed = len(displaced_notes(first))
    # what the last page holds once mended: a mend (a float, a page break) may have left it nearly
    # empty when the first layout's was full, and only its few lines are then to be taken up
    need = _lines_to_take_up(first if house is None else house.document)
    tried = 0  # blocks and notes mended while trying settings
    for fit, change in FITS.items():
        if not fit or (change < 0 and -change < SLACK * need):  # too little to take up the last page
            continue
        _set(root, fit, figures)
        document = render()
        if nearly_empty(document):  # not mended: mends move lines down the pages, seldom onto the last
            continue
        layout = _mended(document, root, fit, render)
        if (layout.displaced <= allowed and not nearly_empty(layout.document)
                and _least_fill(layout.document) >= floor):
            return done(layout)
        tried += layout.mended
    if house is None:  # no setting did better: the house setting, mended
        _set(root, "", figures)
        house = _mended(first if not tried else render(), root, "", render)
    return done(house)


def _set(root, fit: str, figures) -> None:
    """Set the brief in `fit`, without the page breaks made and figures floated for another setting
    (note spacing stays); `figures`: (figure, parent, index) as the brief placed them."""
    for figure, _, _ in figures:
        _parent(root, figure).remove(figure)
        figure.attrib.pop("data-floated", None)
    for figure, parent, index in sorted(figures, key=lambda f: f[2]):
        parent.insert(index, figure)
    if fit:
        root.set("data-fit", fit)  # read by brief.css's html[data-fit=…] rules
    else:
        root.attrib.pop("data-fit", None)
    for element in root.iter():
        element.attrib.pop("data-page-break", None)


def _lines_to_take_up(document) -> float:
    """The share by which the text before the last page would have to shorten to take up the last
    page's lines: a tighter setting that shortens it less is not tried."""
    fills = [fill(p) for p in document.pages]
    return fills[-1] / max(sum(fills[:-1]), 1e-6)


def _mended(document, root, fit: str, render) -> Layout:
    """`document` laid out again until nothing is left to mend (at most PASSES times). When figures
    floated and the mended pages leave a worse hole than the first layout did, the figures go back
    to where they stood, are not floated again, and the pages are mended without them."""
    mended, stood = 0, {}
    breaks = {e: e.get("data-page-break") for e in root.iter() if e.get("data-page-break")}
    before = _worst_hole(document)
    for _ in range(PASSES):
        marked, floated = _to_mend(document, root)
        if not marked:
            break
        mended += len(marked)
        for figure, parent, index in floated:
            stood.setdefault(figure, (parent, index))
        document = render()
    if stood and _worst_hole(document) > before + 0.01:
        for figure, (parent, index) in reversed(stood.items()):
            _parent(root, figure).remove(figure)
            parent.insert(index, figure)
            figure.set("data-floated", str(floats.FLOATS))
        for element in root.iter():
            element.attrib.pop("data-page-break", None)
        for element, value in breaks.items():
            element.set("data-page-break", value)
        again = _mended(render(), root, fit, render)
        return Layout(again.document, fit, mended + again.mended, again.displaced, 0)
    return Layout(document, fit, mended, len(displaced_notes(document)), 0)


def _worst_hole(document) -> float:
    """The largest share of a page's height left empty at the foot of its text, the last page aside."""
    return max((_room(p) / p._page_box.height for p in document.pages[:-1]), default=0.0)


def _to_mend(document, root) -> tuple[list, list]:
    """Mark what is to be mended on this layout, all of it at once; return the elements newly marked,
    and (figure, parent, index) where each figure floated down stood. Figures float alone: the pages
    after them change, and the page breaks made for those pages are cleared, to be made again where
    the next layout needs them."""
    marked, floated = [], []

    def mark(element, attribute, value):
        if element is not None and element.get(attribute) is None:
            element.set(attribute, value)
            marked.append(element)

    for run, block in floats.leaving_holes(document, root):
        for figure in reversed(run):  # each goes right after `block`: the last first keeps their order
            parent = _parent(root, figure)
            floated.append((figure, parent, list(parent).index(figure)))
            floats.float_down(root, figure, block)
            marked.append(figure)
    if floated:
        for element in root.iter():
            element.attrib.pop("data-page-break", None)
        return marked, floated
    for k in sorted({call - 1 for call, note in displaced_notes(document) if note > call}):
        block = _last_block(document, k)
        mark(block if block is None else _with_heading(root, block), "data-page-break", "notes")
    for k in range(len(document.pages) - 1):
        mark(_heading_at_foot(document, k), "data-page-break", "heading")
    for note in _notes_broken_early(document):
        mark(note, "data-spacing", "tight")
    return marked, floated


def _with_heading(root, element):
    """The heading right before `element` (or before the block it opens) when there is one: a
    page break goes before the heading, not between it and its first block."""
    node = element
    while (parent := _parent(root, node)) is not None:
        siblings = list(parent)
        i = siblings.index(node)
        if i:
            return siblings[i - 1] if _tag(siblings[i - 1]) in HEADINGS else element
        if _tag(parent) in ("section", "article", "body", "html"):
            return element
        node = parent
    return element


def _heading_at_foot(document, k: int):
    """The element of the heading that holds the last line of page k's text, if one does."""
    line, chain = _last_line(document.pages[k])
    images = [b.position_y for b, _ in _flow(document.pages[k])
              if type(b).__name__ in ("InlineReplacedBox", "BlockReplacedBox")]
    if line is None or any(y > line.position_y for y in images):
        return None
    return next((box.element for box in chain if box.element_tag in HEADINGS), None)


def displaced_notes(document) -> list[tuple[int, int]]:
    """(page of the call, page of the note), 1-based, for every note printed away from its call."""
    call_page, note_page = {}, {}
    for number, page in enumerate(document.pages, start=1):
        for box in page._page_box.descendants():
            note = getattr(box, "footnote", None)
            if note is not None and note.element is not None:
                call_page.setdefault(id(note.element), number)
        for note in _notes(page):
            note_page.setdefault(id(note.element), number)
    return [(call_page[e], note_page[e]) for e in note_page if e in call_page and call_page[e] != note_page[e]]


def _notes_broken_early(document) -> list:
    """Elements of notes with a line, not their last, that fills less than half the width."""
    return [note.element for page in document.pages for note in _notes(page)
            if any(line.width < 0.5 * note.width for line in note.children[:-1])]


def _last_block(document, k: int):
    """The element of the block holding the last line of page k's text (not of its notes), when
    that block starts on page k: a paragraph, list item, heading, table row or figure."""
    _, chain = _last_line(document.pages[k])
    earlier = {id(box.element) for box, _ in _flow(document.pages[k - 1])} if k else set()
    for box in reversed(chain):
        if box.element_tag in BLOCKS:
            return None if id(box.element) in earlier else box.element
    return None


def _least_fill(document) -> float:
    return min((fill(p) for p in document.pages[:-1]), default=1.0)


def nearly_empty(document) -> bool:
    pages = document.pages
    return len(pages) > SHORT and fill(pages[-1]) < LEAST_FILL * LEADING
