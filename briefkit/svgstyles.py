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

    return all([patches.replace_in([importlib.import_module(m) for m in modules], name, KNOWN[name], MAKERS[name])
                for name, modules in READERS.items()])


def _keeping(original):
    """`original`, answering again what it answered for the same arguments (at most KEPT of them)."""
    kept: dict = {}

    def read(*args, **kwargs):
        if kwargs:  # WeasyPrint passes none; kept only by position
            return original(*args, **kwargs)
        try:
            return kept[args]
        except KeyError:
            pass
        except TypeError:  # an argument with no hash: nothing to keep it by
            return original(*args)
        if len(kept) >= KEPT:
            kept.clear()
        kept[args] = found = original(*args)
        return found

    read.kept = kept
    return read


def _keeping_colors(original):
    read = _keeping(original)

    def color(string):
        found = read(string)
        if not hasattr(found, "__dict__"):  # a keyword ("currentcolor"): a string, unchangeable
            return found
        fresh = object.__new__(type(found))  # its own, as WeasyPrint's is: the caller sets its alpha
        fresh.__dict__.update(found.__dict__)
        return fresh

    color.kept = read.kept
    return color


MAKERS = {"parse_declarations": _keeping, "size": _keeping, "color": _keeping_colors}
