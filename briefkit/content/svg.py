"""A chart's SVG made quick to draw, and the same to the eye.

matplotlib writes every marker and tick mark as a `<use>` of one path, and wraps every artist in a
`<g>` that carries nothing but its id: a trade chart has ~120 markers and ~100 groups. WeasyPrint
copies the referenced path for each `<use>` and saves and restores its graphics state for each
element, so drawing a brief's four charts took longer than laying out two of its pages. compact()
writes each run of `<use>` of one path in one style as a single path (the outline repeated at each
place), draws a lone `<use>` as the path it names, lifts the children of a group that carries
nothing but an id into its parent, and drops the metadata block. Anything it does not recognise (a
`<use>` of something other than a plain path, relative path commands, a group with a transform,
clip or style) is left as matplotlib wrote it.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
HREF = "xlink:href"
TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
ABSOLUTE = set("MLQCZz")   # the path commands matplotlib writes: coordinates in pairs, no arcs
REFERENCE = re.compile(r"#([^)\s\"']+)")
IDENTITY = re.compile(r"rotate\(-?0(?:\.0+)? [-+0-9.e]+ [-+0-9.e]+\)")


def compact(text: str) -> str:
    """The SVG document `text`, with fewer elements to draw and the same picture."""
    root = _plain(ET.fromstring(text))
    for metadata in root.findall("metadata"):
        root.remove(metadata)
    paths = {e.get("id"): e for e in root.iter("path")
             if e.get("id") and set(e.attrib) <= {"id", "d", "style"} and _absolute(e.get("d", ""))}
    _unwrap(root, _referenced(root))
    _merge_uses(root, paths)
    used = _referenced(root)
    for defs in root.iter("defs"):
        for path in [p for p in defs if p.get("id") in paths and p.get("id") not in used]:
            defs.remove(path)
    _drop_empty_defs(root)
    for element in root.iter("text"):
        if IDENTITY.fullmatch(element.get("transform", "")):
            del element.attrib["transform"]
    _drop_layout_space(root)
    return ET.tostring(root, encoding="unicode")


def _plain(root):
    """The tree with SVG's names written plainly (path, xlink:href) and the namespaces declared on
    the root, as an inline SVG is written: ElementTree would otherwise prefix every tag."""
    prefixes = {SVG: "", XLINK: "xlink:"}
    for element in root.iter():
        element.tag = _plain_name(element.tag, prefixes)
        element.attrib = {_plain_name(k, prefixes): v for k, v in element.attrib.items()}
    root.attrib = {"xmlns": SVG, "xmlns:xlink": XLINK} | root.attrib
    return root


def _absolute(d: str) -> bool:
    return all(t in ABSOLUTE for t in TOKEN.findall(d) if t.isalpha())


def _referenced(root) -> set[str]:
    """Ids that some attribute points at (url(#id), href="#id")."""
    return {m for e in root.iter() for v in e.attrib.values() for m in REFERENCE.findall(v)}


def _unwrap(node, keep: set[str]) -> None:
    """Put the children of each group that carries only an id nobody points at in its place."""
    children = []
    for child in list(node):
        _unwrap(child, keep)
        if child.tag == "g" and set(child.attrib) <= {"id"} and child.get("id") not in keep:
            children.extend(child)
        else:
            children.append(child)
    node[:] = children


def _merge_uses(root, paths: dict) -> None:
    """Each run of sibling `<use>` of one plain path in one style becomes one `<path>`."""
    for parent in list(root.iter()):
        children, run = [], []
        for child in list(parent):
            target = _target(child, paths)
            if run and (target is None or (target, child.get("style")) != (_target(run[0], paths), run[0].get("style"))):
                children.append(_as_path(run, paths))
                run = []
            if target is not None:
                run.append(child)
            else:
                children.append(child)
        if run:
            children.append(_as_path(run, paths))
        parent[:] = children


def _target(element, paths: dict) -> str | None:
    """The id of the plain path a plain `<use>` draws (at x, y, in a style), else None."""
    if element.tag != "use" or not set(element.attrib) <= {HREF, "x", "y", "style"}:
        return None
    name = element.get(HREF, "")[1:]
    return name if element.get(HREF, "").startswith("#") and name in paths else None


def _as_path(run: list, paths: dict):
    """One path drawing the outline of `run`'s path at each use's place, in the use's style with the
    path's own style over it (as the path's own properties win over what it inherits from the use)."""
    path = paths[_target(run[0], paths)]
    outline = _outline(path.get("d", ""))  # read once for the whole run
    d = " ".join(_moved(outline, float(u.get("x", 0)), float(u.get("y", 0))) for u in run)
    return ET.Element("path", {"d": d, "style": _style(run[0].get("style"), path.get("style"))})


def _outline(d: str) -> list[tuple[str, float, int]]:
    """Absolute path data as (letter, 0, 0) and (number, value, 0 for x or 1 for y) tokens."""
    out, i = [], 0
    for token in TOKEN.findall(d):
        if token.isalpha():
            out.append((token, 0.0, 0))
            i = 0
        else:
            out.append(("", float(token), i % 2))
            i += 1
    return out


def _moved(outline: list[tuple[str, float, int]], x: float, y: float) -> str:
    """The path data of `outline` (see _outline) moved by (x, y)."""
    shift = (x, y)
    return " ".join(letter or _number(value + shift[axis]) for letter, value, axis in outline)


def _number(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _style(inherited: str | None, own: str | None) -> str:
    merged = {}
    for text in (inherited, own):
        for part in (text or "").split(";"):
            name, colon, value = part.partition(":")
            if colon:
                merged[name.strip()] = value.strip()
    return "; ".join(f"{k}: {v}" for k, v in merged.items())


def _plain_name(key: str, prefixes: dict) -> str:
    if not key.startswith("{"):
        return key
    space, _, name = key[1:].rpartition("}")
    return prefixes[space] + name if space in prefixes else key


def _drop_layout_space(node) -> None:
    """No line breaks and indents between elements (text inside a text element stays)."""
    if node.tag == "text":
        return
    if node.text is not None and not node.text.strip():
        node.text = None
    for child in node:
        if child.tail is not None and not child.tail.strip():
            child.tail = None
        _drop_layout_space(child)


def _drop_empty_defs(node) -> None:
    for child in list(node):
        if child.tag == "defs" and len(child) == 0:
            node.remove(child)
        else:
            _drop_empty_defs(child)
