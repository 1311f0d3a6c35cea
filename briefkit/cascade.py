"""The cascade of the brief's stylesheets worked out once for each set of rules an element matches.

To style a page, WeasyPrint goes through every element, every rule it matches and every declaration
of those rules, weighing each against what came before: in a brief, hundreds of paragraphs, cells
and notes match the same few sets of rules, and each layout (two or three a brief, see
briefkit/paging.py) weighed them all again: a tenth of a layout. Here the weighed declarations of
a set of matched rules (the sheet, origin, specificity, layer and pseudo-element of each, in order)
are kept for the process and copied to each element that matches that set again. An element with
declarations of its own (a style attribute) is weighed as WeasyPrint weighs it. Everything else
(the computed styles, shared between equivalent elements, and pseudo-elements) is as WeasyPrint
does it, so the pages are the same byte for byte; a WeasyPrint whose method is not the one this was
written against (KNOWN) keeps its own.
"""
from __future__ import annotations

from math import inf

from . import patches

KNOWN = {"b1e725a7552502aa"}  # weasyprint.css.StyleFor.__init__ of WeasyPrint 70
KEPT = 5_000                  # sets of matched rules kept at most
_weighed: dict = {}           # key of a set of matched rules: (the rules, {pseudo-element: style})


def install() -> bool:
    """Weigh each set of matched rules once in this process; return whether it is in use."""
    from weasyprint import css

    return patches.replace(css.StyleFor, "__init__", KNOWN, _weighing_once)


def _weighing_once(original):
    from weasyprint.css import PROGRESS_LOGGER, declaration_precedence, find_style_attributes
    from weasyprint.css.validation import preprocess_declarations

    def weigh(into: dict, node, matched) -> None:
        """Add the declarations of `matched` rules to the element's styles, a later one of equal or
        greater weight replacing an earlier one."""
        for _sheet, origin, specificity, pseudo, declarations, layer in matched:
            style = into.setdefault((node, pseudo), {})
            for name, values, importance in declarations:
                weight = (declaration_precedence(origin, importance), layer, specificity)
                before = style.get(name)
                if before is None or before[1] <= weight:
                    style[name] = values, weight

    def __init__(self, html, sheets, presentational_hints, font_config, target_collector):
        self._cascaded_styles = cascaded = {}
        self._computed_styles = computed = {}
        self.initial_page_sizes = {"box": None, "area": None}
        self._sheets, self.font_config = sheets, font_config
        PROGRESS_LOGGER.info("Step 3 - Applying CSS")

        own = {}  # element: the declarations of its style attribute (and presentational hints)
        for specificity, node, declarations, base_url in find_style_attributes(
                html.etree_element, presentational_hints, html.base_url):
            own[node] = tuple(declarations)
            weigh(cascaded, node, [(None, "author", specificity, None,
                                    preprocess_declarations(base_url, declarations), inf)])

        shared = {}  # equivalent elements share one computed style, as in WeasyPrint
        for element in html.wrapper_element.iter_subtree():
            node = element.etree_element
            matched, keys = [], []
            for sheet, origin, sheet_specificity in sheets:
                for specificity, _order, pseudo, (declarations, layer) in sheet.matcher.match(element):
                    layer = inf if layer is None else sheet.layers.index(layer)
                    keys.append((sheet, specificity, id(declarations), layer))
                    matched.append((sheet, origin, sheet_specificity or specificity, pseudo, declarations, layer))
            if node in own:
                weigh(cascaded, node, matched)
            else:
                for pseudo, style in _weighed_set(matched, weigh).items():
                    cascaded[node, pseudo] = dict(style)
            parent = element.parent.etree_element if element.parent else None
            key = (id(computed[parent, None]) if element.parent else None, own.get(node), tuple(keys))
            if key in shared:
                computed[node, None] = shared[key]
            else:
                self.set_computed_styles(node, root=html.etree_element, parent=parent, base_url=html.base_url,
                                         target_collector=target_collector)
                shared[key] = computed[node, None]

        for node, pseudo in cascaded:  # pseudo-elements last: they inherit from their element
            if pseudo:
                self.set_computed_styles(node, pseudo_type=pseudo, root=html.etree_element, parent=node,
                                         base_url=html.base_url, target_collector=target_collector)
        cascaded.clear()  # what is left in it later is the pages' styles

    return __init__


def _weighed_set(matched: list, weigh) -> dict:
    """{pseudo-element: style} for an element with no declarations of its own that matches these
    rules, weighed once per process. The key names each rule's sheet and declarations by id; the
    entry keeps them, so that no other object takes their ids while it is kept."""
    key = tuple((id(sheet), origin, specificity, pseudo, id(declarations), layer)
                for sheet, origin, specificity, pseudo, declarations, layer in matched)
    found = _weighed.get(key)
    if found is None:
        styles: dict = {}
        weigh(styles, None, matched)
        if len(_weighed) >= KEPT:
            _weighed.clear()
        found = _weighed[key] = (matched, {pseudo: style for (_, pseudo), style in styles.items()})
    return found[1]
