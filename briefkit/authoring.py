"""The analyst's own cells in the brief's notebook, made part of the brief.

A Markdown cell below the cell that opens the brief (`brief = Brief.open(...)`) is the analyst's
text: as the notebook runs, it becomes a call `brief.markdown(TEXT, cell=ID)` in the executed
copy, so its placeholders and citations are resolved by the kernel and numbered with the rest of the
brief, in the cell's place. The notebook on disk is not changed.

Cell tags keep their usual meaning: `remove-cell` leaves a cell out (a Markdown cell so tagged is
not part of the brief), `remove-output` leaves out what a cell shows, and `remove-input` is how
every cell is exported anyway (a brief never shows code). A cell that shows a numbered part of the
brief (a section, or the analyst's figure, table or text) and is tagged to be left out would leave
a gap in the figure, table or note numbers, so it is refused.
"""
from __future__ import annotations

import ast
import re

from .errors import NotebookError

OPENS = re.compile(r"\bBrief\s*\.\s*open\s*\(")
HIDDEN = ("remove-cell", "remove-output")


def join_markdown(nb):
    """Turn the analyst's Markdown cells of notebook `nb` (an nbformat NotebookNode, changed in
    place: the copy about to run) into `brief.markdown` calls; return it."""
    opened = False
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and OPENS.search(cell.source):
            opened = True
        elif opened and cell.cell_type == "markdown" and cell.source.strip() and not _tags(cell) & {"remove-cell"}:
            key = cell.get("id") or f"markdown-{i}"
            cell.cell_type = "code"   # in place: the cell keeps its id, tags and papermill's metadata
            cell.source = f"brief.markdown({cell.source!r}, cell={key!r})"
            cell.metadata["briefkit"] = {"markdown": True}
            cell.outputs, cell.execution_count = [], None
            cell.pop("attachments", None)
    return nb


def markdown_of(source: str) -> str | None:
    """The Markdown of a cell that join_markdown made, or None for any other code."""
    if not source.startswith("brief.markdown("):
        return None
    try:
        return ast.literal_eval(ast.parse(source).body[0].value.args[0])
    except (SyntaxError, ValueError, AttributeError, IndexError):
        return None


def check_hidden(nb, name: str) -> None:
    """Refuse a numbered part of the brief in a cell whose output the export leaves out."""
    for i, cell in enumerate(nb.cells):
        hidden = _tags(cell) & set(HIDDEN)
        if hidden and cell.cell_type == "code" and any(_part(o) for o in cell.get("outputs", [])):
            raise NotebookError(
                f"{name}: cell {i} shows part of the brief, numbered with it, but is tagged "
                f"{', '.join(sorted(hidden))}, which would leave a gap in the figure, table or note numbers: "
                "remove the tag, or the cell", cell_index=i)


def _part(output) -> bool:
    meta = output.get("metadata", {})
    return "briefkit_part" in meta or "briefkit_part" in meta.get("text/html", {})


def _tags(cell) -> set:
    return set(cell.get("metadata", {}).get("tags", []))
