"""Figures floated down the printed brief past the text that can fill the hole they leave.

A figure that does not fit at the foot of a page opens the next one and leaves a hole. As in print,
it floats: the blocks after it (the rest of its section, the next section's heading and text) come up
into the hole, as far as they fit with the notes they call, a paragraph split when its first lines
fit; the figure, with any figures right after it, follows them, still at the top of the next page or
just below the split paragraph, its caption's number keeping it findable. A figure never floats past
another figure (they stay in their numbered order), nor into the notes section. Only the printed
page changes: the HTML file keeps every figure where the analyst placed it.
"""
from __future__ import annotations

from .pagebox import BLOCKS, HEADINGS, _flow, _note_area, _notes, _parent, _room, _tag

FIGURE_ROOM = 0.06  # a page whose text stops this share of its height above its foot, before a page
                    # opening with a figure, has a hole the figure leaves
FLOATS = 2          # a figure floats down at most this many times
FLOAT_SLACK = 8     # px kept free when blocks move into a hole: margins and rounding
WIDOWS = 2          # p { orphans: 2; widows: 2 } in brief.css
NOTE_AREA = 20      # px the note area's rule and spacing take on a page that had no notes


def leaving_holes(document, root) -> list[tuple]:
    """(figures, block) for every figure that opens a page after a page it left with a hole because
    it did not fit there: the figure (with any figures right after it) floats down past the blocks
    after it, across a section's end and the next heading if need be, as far as those blocks (and
    the notes they call) fill the hole, never past another figure, nor so far that it leaves the page
    it opened; at most FLOATS times."""
    found = []
    for k in range(len(document.pages) - 1):
        page, after = document.pages[k], document.pages[k + 1]
        room = _room(page)
        if room < FIGURE_ROOM * page._page_box.height:
            continue
        figure = _opening_figure(after)
        if figure is None or int(figure.get("data-floated", "0")) >= FLOATS:
            continue
        run = _run(root, figure)
        block = _blocks_filling(root, after, run[-1], room - _notes_height(page, None))
        if block is not None:
            found.append((run, block))
    return found


def _run(root, figure) -> list:
    """The figure and the figures right after it: they float together, in their order."""
    siblings = list(_parent(root, figure))
    run = [figure]
    for sibling in siblings[siblings.index(figure) + 1:]:
        if _tag(sibling) != "figure":
            break
        run.append(sibling)
    return run


def _opening_figure(page):
    """The figure element at the top of the page's text, if the page opens with one."""
    boxes = [b for b, _ in _flow(page) if type(b).__name__ in ("LineBox", "InlineReplacedBox", "BlockReplacedBox")]
    if not boxes:
        return None
    top = min(b.position_y for b in boxes)
    return next((b.element for b, _ in _flow(page) if b.element_tag == "figure" and b.position_y <= top + 1), None)


def _blocks_filling(root, page, figure, room: float):
    """The last of the blocks after `figure` that fit, with their notes, into `room` when the figure
    floats down past them; None when not even the first does. A heading is not left last."""
    bottoms = {}  # element id: the lowest bottom of its boxes on the page
    for box, ancestors in _flow(page):
        bottom = box.position_y + box.margin_height()
        for a in (*ancestors, box):
            if a.element is not None:
                bottoms[id(a.element)] = max(bottoms.get(id(a.element), 0.0), bottom)
    start = bottoms.get(id(figure))
    if start is None:
        return None
    chosen, was_heading = None, False
    for block in _following(root, figure):
        if id(block) not in bottoms or _continues(page, block) or _tag(block) == "figure":
            break  # a block the page does not hold whole is not moved past, nor a figure (numbered in order)
        needed = bottoms[id(block)] - start + _notes_height(page, block)
        if needed > room - FLOAT_SLACK:
            if _tag(block) == "p" and _splits_into(page, block, start, room - FLOAT_SLACK):
                chosen = block  # its first lines fill the hole, the rest and then the figure open the page
            break
        if _tag(block) not in HEADINGS:
            chosen = block
    return chosen


def _splits_into(page, paragraph, start: float, room: float) -> bool:
    """Do the paragraph's first lines (two at least, leaving two), with the notes they call, fit into
    `room` when the figure above them floats down?"""
    lines = sorted((b for b, chain in _flow(page) if type(b).__name__ == "LineBox"
                    and next((a.element for a in reversed(chain) if a.element_tag in BLOCKS), None) is paragraph),
                   key=lambda b: b.position_y)
    notes = {id(n.element): n.margin_height() for n in _notes(page)}
    height, fit = 0.0, 0
    for j, line in enumerate(lines, start=1):
        height += sum(notes.get(id(box.footnote.element), 0.0) for box in line.descendants()
                      if getattr(box, "footnote", None) is not None)
        if line.position_y + line.margin_height() - start + height > room:
            break
        fit = j
    return min(fit, len(lines) - WIDOWS) >= WIDOWS


def _continues(page, block) -> bool:
    """Does `block` go on past the foot of this page?"""
    box = page._page_box
    return any(b.element is block and b.position_y + b.margin_height() > box.content_box_y() + box.height
               for b, _ in _flow(page))


def _following(root, figure):
    """The blocks after `figure` in reading order, looking into the sections that follow, up to the
    printed notes section (not printed) or the end."""
    node = figure
    while (parent := _parent(root, node)) is not None and _tag(node) != "article":
        siblings = list(parent)
        for sibling in siblings[siblings.index(node) + 1:]:
            if _tag(sibling) == "section":
                if "notes" in (sibling.get("class") or "").split():
                    return
                yield from sibling
            else:
                yield sibling
        node = parent


def _notes_height(page, block) -> float:
    """The height of the notes `block` calls on this page (block None: the height taken by the
    note area's rule and spacing when the page has no notes yet, else 0)."""
    area = _note_area(page)
    if block is None:
        return 0.0 if area is not None and area.children else NOTE_AREA
    inside = {id(e) for e in block.iter()}
    return sum(n.margin_height() for n in _notes(page) if id(n.element) in inside)


def float_down(root, figure, block) -> None:
    """Move the figure after `block` (the printed page only: the HTML file is not changed)."""
    _parent(root, figure).remove(figure)
    parent = _parent(root, block)
    parent.insert(list(parent).index(block) + 1, figure)
    figure.set("data-floated", str(int(figure.get("data-floated", "0")) + 1))


def renumber_calls(root) -> None:
    """Number the printed calls again as WeasyPrint numbers the notes: in the order it meets their
    first calls, which a floated figure changes. A first call is WeasyPrint's own counter; a call
    again (sup.fn-again) shows the number written in the HTML, so it is set to its note's place
    (its number as written is kept in data-n, the element's only source for it)."""
    order: dict[str, int] = {}
    again = []
    for element in root.iter():
        if _tag(element) != "sup":
            continue
        classes = (element.get("class") or "").split()
        if "fn-again" in classes:
            again.append(element)
        elif "fn-call" in classes and "again" not in classes and (element.get("id") or "").startswith("fnref-"):
            order.setdefault(element.get("id")[len("fnref-"):], len(order) + 1)
    for element in again:
        written = element.get("data-n") or (element.text or "").strip()
        element.set("data-n", written)
        element.text = str(order.get(written, written))

