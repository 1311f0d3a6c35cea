"""A brief's lines broken once, whatever the number of times its pages are laid out.

Paging lays a brief out two or three times on average (briefkit/paging.py), and each layout asks
Pango again where every line of every paragraph breaks, with the same text, width and style: that
was a third of a layout. Within one brief (remembered()), WeasyPrint's split_first_line is
remembered here. Its answer depends on its arguments and on the style properties it reads; a call
is answered from memory only when the text, the width and the other arguments are the same and
every property the first call read has the same value again (the properties are recorded as it
reads them, so none is forgotten whatever WeasyPrint's code reads). The answer is the same numbers
and a copy of the same laid-aside Pango layout (WeasyPrint keeps only its text and metrics once a
line is split, and sets its layout up again from the box's own style to draw it), so the PDF is the
same byte for byte. Outside remembered(), and in a WeasyPrint whose function is not the one this
was written against (KNOWN), WeasyPrint's own function answers every call.
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from . import patches

KNOWN = {"39ad1016863ca34d"}  # weasyprint.text.line_break.split_first_line of WeasyPrint 70
_memory: ContextVar[dict | None] = ContextVar("briefkit_line_breaks", default=None)


def install() -> bool:
    """Answer split_first_line from memory within remembered() in this process; return whether
    it is in use. WeasyPrint's modules that imported the function by name are given ours too."""
    from weasyprint.layout import inline, preferred
    from weasyprint.text import line_break

    original = line_break.split_first_line
    if not patches.replace(line_break, "split_first_line", KNOWN, _remembering):
        return False
    ours = line_break.split_first_line
    for module in (inline, preferred):
        if module.split_first_line in (original, getattr(ours, "original", None)):
            module.split_first_line = ours
    return True


@contextmanager
def remembered():
    """Within this block (one brief's layouts and its PDF), lines broken once are remembered."""
    token = _memory.set({})
    try:
        yield
    finally:
        _memory.reset(token)


_CHECKED = object()  # the memory's entry for the styles compared so far


def _copy(layout):
    """A laid-aside layout of its own (its text and metrics), for the box that takes it."""
    twin = object.__new__(type(layout))
    twin.__dict__.update(layout.__dict__)
    return twin


class _Reading:
    """A style as split_first_line sees it, recording each property it reads and its value."""

    __slots__ = ("style", "read", "plain")

    def __init__(self, style):
        self.style, self.read, self.plain = style, {}, True

    def __getitem__(self, name):
        value = self.style[name]
        self.read.setdefault(name, value)
        return value

    def get(self, name, default=None):
        self.plain = False  # questions not recorded (get does not compute a missing property):
        return self.style.get(name, default)  # such a call is not remembered

    def __contains__(self, name):
        self.plain = False
        return name in self.style

    def __getattr__(self, name):
        value = getattr(self.style, name)
        if name == "font_config":
            self.read.setdefault((".font_config",), value)
        else:
            self.plain = False
        return value


def _same(style, read: dict, checked: dict) -> bool:
    """Does `style` give every property in `read` the value recorded there? (`checked`: the answers
    for styles met before, with the style itself kept, so that its id is not that of another.)"""
    seen = checked.get(id(style))
    if seen is None:
        seen = checked[id(style)] = (style, {})
    known = seen[1].get(id(read))
    if known is None:
        known = seen[1][id(read)] = _compare(style, read)
    return known


def _compare(style, read: dict) -> bool:
    try:
        for name, value in read.items():
            now = getattr(style, name[0][1:]) if isinstance(name, tuple) else style[name]
            if now is not value and not (type(now) is type(value) and now == value):
                return False
    except (KeyError, AttributeError):  # a style without one of them: not the same
        return False
    return True


def _remembering(original):
    def split_first_line(text, style, context, max_width, justification_spacing, is_line_start=True,
                         minimum=False):
        memory = _memory.get()
        if memory is None:
            return original(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        key = (text, max_width, justification_spacing, is_line_start, minimum)
        for read, answer in memory.get(key, ()):
            if _same(style, read, memory.setdefault(_CHECKED, {})):
                return (_copy(answer[0]), *answer[1:])
        reading = _Reading(style)
        answer = original(text, reading, context, max_width, justification_spacing, is_line_start, minimum)
        if reading.plain and not hasattr(answer[0], "layout"):  # laid aside, as WeasyPrint leaves it
            memory.setdefault(key, []).append((reading.read, answer))
            return (_copy(answer[0]), *answer[1:])
        return answer

    return split_first_line
