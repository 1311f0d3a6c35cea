"""A box's used margins, paddings, sizes and borders set in one call, not in nineteen.

WeasyPrint sets these on every box it lays out (resolve_percentages: ~3,300 boxes a brief, at
each of its ~2.75 layouts), through a function call for each property and another for each value
it reads: a tenth of a brief's PDF time, most of it the calls themselves. Here the same values are
read from the box's style in the same order and set on the box in one pass; lengths and
percentages are worked out inline, and anything else (a calc(), a value that is not a length) goes
to WeasyPrint's own `percentage`. So each box gets what WeasyPrint would give it, and the PDF is
the same byte for byte. A WeasyPrint whose function is not the one this was written against
(KNOWN) keeps its own.
"""
from __future__ import annotations

from math import inf

from . import patches

KNOWN = {"71673078096fcf87"}  # weasyprint.layout.percent.resolve_percentages of WeasyPrint 70
# Every module that imported the function by name (flex.py calls it through the module, percent).
READERS = ("weasyprint.layout.percent", "weasyprint.layout.block", "weasyprint.layout.inline",
           "weasyprint.layout.table", "weasyprint.layout.page", "weasyprint.layout.absolute",
           "weasyprint.layout.float", "weasyprint.layout.column", "weasyprint.layout.grid")
# In WeasyPrint's order: (property, which reference it is resolved against).
WIDTH, MAYBE_HEIGHT = 0, 1
SIDES = (("margin_left", WIDTH), ("margin_right", WIDTH), ("margin_top", MAYBE_HEIGHT),
         ("margin_bottom", MAYBE_HEIGHT), ("padding_left", WIDTH), ("padding_right", WIDTH),
         ("padding_top", MAYBE_HEIGHT), ("padding_bottom", MAYBE_HEIGHT), ("width", WIDTH),
         ("min_width", WIDTH), ("max_width", WIDTH))
BORDERS = ("border_top_width", "border_right_width", "border_bottom_width", "border_left_width")


def install() -> bool:
    """Resolve percentages in one pass in this process; return whether it is in use."""
    import importlib

    return patches.replace_in([importlib.import_module(m) for m in READERS], "resolve_percentages", KNOWN,
                              _in_one_pass)


def _in_one_pass(original):
    from weasyprint.css.functions import check_math
    from weasyprint.css.properties import Dimension
    from weasyprint.formatting_structure.boxes import Box, PageBox
    from weasyprint.layout.percent import adjust_box_sizing, percentage

    def used(value, style, refer_to):
        """WeasyPrint's percentage(value, style, refer_to), lengths and percentages inline."""
        if type(value) is Dimension and value.unit is not None:
            return refer_to * value.value / 100 if value.unit == "%" else value.value
        return percentage(value, style, refer_to)

    def resolve_percentages(box, containing_block):
        if isinstance(containing_block, Box):
            cb_width, cb_height = containing_block.width, containing_block.height
        else:
            cb_width, cb_height = containing_block
        refer = (cb_width, cb_height if isinstance(box, PageBox) else cb_width)
        style = box.style
        for name, reference in SIDES:
            setattr(box, name, used(style[name], style, refer[reference]))
        if box.min_width == "auto":
            box.min_width = 0
        if cb_height == "auto":
            height = style["height"]
            if height == "auto" or check_math(height) or height.unit == "%":
                box.height = "auto"
            else:
                assert height.unit.lower() == "px"
                box.height = height.value
            box.min_height = used(style["min_height"], style, 0)
            box.max_height = used(style["max_height"], style, inf)
        else:
            box.height = used(style["height"], style, cb_height)
            box.min_height = used(style["min_height"], style, cb_height)
            box.max_height = used(style["max_height"], style, cb_height)
        if box.min_height == "auto":
            box.min_height = 0
        if style["border_collapse"] == "collapse":  # widths already set by the collapsing stay
            for name in BORDERS:
                if not hasattr(box, name):
                    setattr(box, name, style[name])
        else:
            for name in BORDERS:
                setattr(box, name, style[name])
        if style["box_sizing"] != "content-box":  # content-box takes nothing off
            adjust_box_sizing(box, "width")
            adjust_box_sizing(box, "height")

    return resolve_percentages
