"""The style strings of a brief's charts read once per process, not once per element drawn.

WeasyPrint draws an SVG element by element, and for each reads its style attribute with the CSS
tokenizer, its sizes ("0.8", "10px") and its colours ("#0b3d6b"). A chart repeats the same few
strings hundreds of times (every tick, label and marker has the style of its kind), and a batch
worker draws four charts a brief: reading them was a fifth of the time their drawing took. Here the
three readers keep what they read, keyed by what they were given:

- the declarations of a style attribute (lists WeasyPrint only iterates over);
- a size, given the same font size and percentage reference;
- a colour, returned as a copy each time (WeasyPrint sets its alpha for the element at hand).

What each returns is what WeasyPrint's own function returns for the same input, so the PDF is the
same byte for byte. A WeasyPrint whose functions are not the ones this was written against (KNOWN)
keeps its own. At most KEPT strings are kept of each kind; past that, the readers start afresh.
"""
from __future__ import annotations

from . import patches

KNOWN = {  # WeasyPrint 70's weasyprint.svg.css.parse_declarations, .utils.size, .utils.color
    "parse_declarations": {"2e6876bcfb5d03eb"},
    "size": {"da153ed5f4a1a620"},
    "color": {"1cd5953c50ceffe1"},
}
# Where each is read: every module that imported it by name (and utils, whose transform calls size).
READERS = {
    "parse_declarations": ("weasyprint.svg",),
    "size": ("weasyprint.svg", "weasyprint.svg.utils", "weasyprint.svg.text", "weasyprint.svg.defs"),
    "color": ("weasyprint.svg", "weasyprint.svg.utils", "weasyprint.svg.defs"),
}
KEPT = 20_000


def install() -> bool:
    """Read SVG style strings once in this process; return whether every reader is in use."""
    import importlib

    used = []
    for name, modules in READERS.items():
        made: list = []  # one reader, and what it keeps, for every module that reads with it

        def make(original, name=name, made=made):
            made.append(made[0] if made else MAKERS[name](original))
            return made[-1]

        for module in modules:
            used.append(patches.replace(importlib.import_module(module), name, KNOWN[name], make))
    return all(used)


def _keeping_declarations(original):
    kept: dict = {}

    def parse_declarations(input):
        try:
            return kept[input]
        except KeyError:
            pass
        except TypeError:  # not a string: nothing to keep it by
            return original(input)
        if len(kept) >= KEPT:
            kept.clear()
        kept[input] = found = original(input)
        return found

    parse_declarations.kept = kept
    return parse_declarations


def _keeping_sizes(original):
    kept: dict = {}

    def size(string, font_size=None, percentage_reference=None):
        key = (string, font_size, percentage_reference)
        try:
            return kept[key]
        except KeyError:
            pass
        except TypeError:
            return original(string, font_size, percentage_reference)
        if len(kept) >= KEPT:
            kept.clear()
        kept[key] = found = original(string, font_size, percentage_reference)
        return found

    size.kept = kept
    return size


def _keeping_colors(original):
    kept: dict = {}

    def color(string):
        try:
            found = kept[string]
        except KeyError:
            if len(kept) >= KEPT:
                kept.clear()
            found = kept[string] = original(string)
        except TypeError:
            return original(string)
        if not hasattr(found, "__dict__"):  # a keyword ("currentcolor"): a string, unchangeable
            return found
        fresh = object.__new__(type(found))  # its own, as WeasyPrint's is: the caller sets its alpha
        fresh.__dict__.update(found.__dict__)
        return fresh

    color.kept = kept
    return color


MAKERS = {"parse_declarations": _keeping_declarations, "size": _keeping_sizes, "color": _keeping_colors}
