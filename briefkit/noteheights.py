"""WeasyPrint's footnote area measured one note at a time.

Each time a note is placed on a page, WeasyPrint lays out a copy of the page's whole footnote area
again to learn its height; a brief page with six notes lays its notes out 21 times, and that was a
fifth of the time a PDF took. The height of an area whose notes have no vertical margins (so none
collapse) and which has no height or max-height of its own is the sum of its notes' heights, so
each note is laid out once, alone in a copy of the area, and its height kept for the rest of that
layout. Anything else (a note with margins, an area with a set height, columns) goes to
WeasyPrint's own method, as does every WeasyPrint whose method is not the one this replaces
(KNOWN: the digest of its source), so a new release is never measured wrongly, only more slowly.
"""
from __future__ import annotations

from math import inf

from . import patches

KNOWN = {"2e317e4b066fb80c"}  # _update_footnote_area of WeasyPrint 70


def install() -> bool:
    """Measure notes one at a time in this process's layouts; return whether it is in use."""
    from weasyprint.layout import LayoutContext

    return patches.replace(LayoutContext, "_update_footnote_area", KNOWN, _measured_one_at_a_time)


def _measured_one_at_a_time(original):
    def update(context):
        area = context.current_footnote_area
        notes = context.current_page_footnotes
        if context.in_column or not notes or not _summable(area, notes):
            return original(context)
        if area.height != "auto":
            context.page_bottom += area.margin_height()
        area.children = notes
        measured = [_height(context, area, note) for note in notes]
        area.height = sum(height for height, _ in measured)
        context.page_bottom -= area.height + measured[0][1]
        return False  # an area without a max-height never overflows

    return update


def _summable(area, notes) -> bool:
    """Is the area's height the sum of its notes' heights?"""
    style = area.style
    if style["height"] != "auto" or getattr(style["max_height"], "value", None) != inf:
        return False
    return all(getattr(n.style[side], "value", None) == 0 for n in notes for side in ("margin_top", "margin_bottom"))


def _height(context, area, note) -> tuple[float, float]:
    """The note's height alone in the area, and what the area adds (its padding, border and margins),
    laid out once per note and page width in this layout."""
    from weasyprint.formatting_structure import build
    from weasyprint.layout import block_level_layout  # the name WeasyPrint's own method calls

    kept = context.__dict__.setdefault("briefkit_note_heights", {})
    key = (id(note), getattr(area.page, "width", None))
    found = kept.get(key)
    if found is None or found[0] is not note:  # the note kept with its height, so its id is not reused
        alone = build.create_anonymous_boxes(area.copy_with_children([note]).deepcopy())
        laid = block_level_layout(context, alone, -inf, None, area.page)[0]
        found = kept[key] = (note, laid.height, laid.margin_height() - laid.height)
    return found[1], found[2]
