"""WeasyPrint's SVG paths read quickly when they are written as a chart writes them.

A chart's markers are drawn as one long path (briefkit/content/svg.py): ~3,000 numbers a chart,
each of which WeasyPrint reads through a regular expression and its length parser, which imports
its unit table at every call. That was a third of the time a brief's charts took to draw. A path
whose data holds only absolute moves, lines, cubic curves and closes (M, L, C, Z) with numbers
written plainly, each command with whole groups of numbers, is drawn here with the same
operations on the same numbers, and leaves the same vertices (which markers read). Any other path
goes to WeasyPrint's own function, as does every WeasyPrint whose function is not the one this was
written against (KNOWN), so the PDF is the same byte for byte either way.
"""
from __future__ import annotations

import re
from math import atan2, pi

from . import patches

KNOWN = {"194cd562b8d98251"}  # weasyprint.svg.path.path of WeasyPrint 70
NUMBER = r"-?(?:\d+\.?\d*|\.\d+)"
PLAIN = re.compile(rf"\s*(?:[MLCZz]|{NUMBER})(?:\s+(?:[MLCZz]|{NUMBER}))*\s*")
TAKES = {"M": 2, "L": 2, "C": 6, "Z": 0, "z": 0}  # numbers one command of each letter takes


def install() -> bool:
    """Draw plain paths quickly in this process; return whether it is in use."""
    from weasyprint import svg

    return patches.replace(svg.TAGS, "path", KNOWN, _plain_paths_first)


def _plain_paths_first(original):
    def path(svg, node, font_size):
        commands = commands_of(node.get("d", ""))
        if commands is None:
            return original(svg, node, font_size)
        return draw(svg.stream, node.vertices, commands)

    return path


def commands_of(d: str) -> list[tuple[str, tuple[float, ...]]] | None:
    """The path data as (letter, numbers) commands, one group of numbers each (a move's further
    pairs are lines, as SVG reads them); None unless it is plain (see above)."""
    if not PLAIN.fullmatch(d):
        return None
    commands, letter, numbers = [], None, []
    for token in d.split():
        if token in TAKES:
            if letter is not None and not _flush(commands, letter, numbers):
                return None
            letter, numbers = token, []
        elif letter is None:
            return None
        else:
            numbers.append(float(token))
    if letter is not None and not _flush(commands, letter, numbers):
        return None
    return commands


def _flush(commands: list, letter: str, numbers: list[float]) -> bool:
    size = TAKES[letter]
    if size == 0:
        commands.append((letter, ()))
        return not numbers
    if not numbers or len(numbers) % size:
        return False
    for i in range(0, len(numbers), size):
        commands.append((letter if letter != "M" or i == 0 else "L", tuple(numbers[i:i + size])))
    return True


def draw(stream, vertices, commands) -> None:
    """What WeasyPrint's path() does for these commands: the same stream operations, in order, and
    the same vertices (points, and the angles in and out of each)."""
    current = (0, 0)
    stream.move_to(*current)
    last, first = None, None
    for letter, numbers in commands:
        if last in (None, "z", "Z") and letter not in "mM":
            vertices.append(current)
            first = current
        if last in (None, "m", "M", "z", "Z"):
            first = None
        if letter not in "mMzZ" and first is None:
            first = current
        if letter == "C":
            x1, y1, x2, y2, x3, y3 = numbers
            vertices.append((atan2(y1 - y2, x1 - x2), atan2(y3 - y2, x3 - x2)))
            stream.curve_to(x1, y1, x2, y2, x3, y3)
            current = x3, y3
        elif letter == "L":
            x, y = numbers
            angle = atan2(y - current[1], x - current[0])
            vertices.append((pi - angle, angle))
            stream.line_to(x, y)
            current = x, y
        elif letter == "M":
            x, y = numbers
            if last and last not in "zZ":
                vertices.append(None)
            stream.move_to(x, y)
            current = x, y
        elif first:  # z or Z, after something drawn
            vertices.append(None)
            stream.close()
            current = first
        if letter not in "zZ":
            vertices.append(current)
        last = letter
