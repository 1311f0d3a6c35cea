"""Analysts' prose checked against the data package, with file and line, before any brief is rendered.

    problems = check_prose(directory, tables)   # called by Package.validate()

Each prose file listed in briefs.csv is read as its brief reads it (HTML comments left out) and
every placeholder is looked up: an unknown kind, an event or statement id that does not exist or
does not concern the pair, a malformed trade placeholder, an unknown figure or table, a figure or
table that is not a paragraph of its own, an unknown section id, and each [@source] that is not a
row of sources.csv. A prose file in prose/ that no row of briefs.csv lists is reported too: no brief
would print it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .content.sections import BY_ID
from .errors import did_you_mean

# The brief's registries, named here so that validating needs neither matplotlib nor a brief;
# tests/unit/test_prose_check.py checks them against briefkit.content's charts and tables.
FIGURES = ("trade_total", "trade_flows", "trade_annual", "alignment_distance")
TABLES = ("visits", "agreements", "timeline", "memberships", "products", "arms", "trade_agreements")
SECTIONS = tuple(BY_ID)
PLACEHOLDER = re.compile(r"\{\{\s*(?P<body>[^{}]+?)\s*\}\}|\[@(?P<source>[^\]\s]*)\]")
HEADING = re.compile(r"^##\s+.+?\{#(?P<id>[^}]*)\}\s*$", re.M)
COMMENT = re.compile(r"<!--.*?-->", re.S)
SOURCE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class ProseProblem:
    """One thing wrong in a prose file: where (file relative to the package, line) and what."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}, line {self.line}: {self.message}"


def known_kinds() -> tuple[str, ...]:
    """Placeholder kinds: the value resolvers of briefkit.content.placeholders, then figure and table."""
    from .content.placeholders import RESOLVERS

    return (*RESOLVERS, "figure", "table")


def check_prose(directory: Path, tables: dict) -> list[ProseProblem]:
    """Every problem in every prose file that briefs.csv lists (or that lies unlisted in prose/)."""
    briefs = tables.get("briefs")
    if briefs is None or "prose" not in briefs:
        return []
    directory = Path(directory)
    ids = {name: set(tables[name]["id"].astype(str)) if name in tables else set()
           for name in ("events", "statements", "sources")}
    sides = {name: _sides(tables.get(name)) for name in ("events", "statements")}
    problems: list[ProseProblem] = []
    listed = set()
    for _, row in briefs.iterrows():
        prose = row.get("prose")
        if not isinstance(prose, str) or not prose or not (directory / prose).is_file():
            continue  # a missing file is reported with the briefs table
        listed.add((directory / prose).resolve())
        text = (directory / prose).read_text(encoding="utf-8")
        problems += check_text(text, prose, {str(row["country_a"]), str(row["country_b"])}, ids, sides)
    for path in sorted((directory / "prose").glob("*.md")):
        if path.resolve() not in listed:
            name = path.relative_to(directory).as_posix()
            problems.append(ProseProblem(name, 1, f"no row of briefs.csv lists this file, so no brief prints it: "
                                                  f'add the pair\'s row with prose "{name}" (briefkit new does)'))
    return problems


def check_text(text: str, name: str, pair: set[str], ids: dict[str, set[str]],
               sides: dict[str, dict[str, set[str]]]) -> list[ProseProblem]:
    """The problems of one prose text of the pair (two ISO3 codes); `ids` are the events,
    statements and sources ids of the package, `sides` each event's and statement's countries."""
    text = COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    line_of = lambda pos: text.count("\n", 0, pos) + 1
    problems = [ProseProblem(name, line_of(m.start()), f'section id "{m.group("id")}" is not a brief section'
                             f'{did_you_mean(m.group("id"), SECTIONS)}; use one of: {", ".join(SECTIONS)}')
                for m in HEADING.finditer(text) if m.group("id") not in SECTIONS]
    paragraphs = [(m.start(), m.end(), m.group(0).strip()) for m in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text)]
    kinds = known_kinds()
    for m in PLACEHOLDER.finditer(text):
        line = line_of(m.start())
        if m.group("body") is None:
            source = m.group("source")
            if not SOURCE_ID.fullmatch(source) or source not in ids["sources"]:
                problems.append(ProseProblem(name, line, f'unknown source "{source}" in [@{source}]'
                                             f'{did_you_mean(source, ids["sources"])}: add it to sources.csv or correct the id'))
            continue
        whole = any(start <= m.start() < end and paragraph == m.group(0) for start, end, paragraph in paragraphs)
        message = _check_placeholder(m.group("body"), kinds, whole, pair, ids, sides)
        if message:
            problems.append(ProseProblem(name, line, f"{message} in {m.group(0)}"))
    return problems


def _check_placeholder(body: str, kinds, whole: bool, pair: set[str], ids, sides) -> str | None:
    kind, *args = [p.strip() for p in body.split(":")]
    if kind not in kinds:
        return f'unknown placeholder kind "{kind}"{did_you_mean(kind, kinds)}; known: {", ".join(kinds)}'
    if kind in ("figure", "table"):
        names = FIGURES if kind == "figure" else TABLES
        if len(args) != 1 or args[0] not in names:
            return f'unknown {kind} "{":".join(args)}"{did_you_mean(":".join(args), names)}; known: {", ".join(names)}'
        if not whole:
            return f"a {kind} stands in a paragraph of its own: put it on its own line, with blank lines around"
        return None
    if kind in ("event", "anniversary", "statement"):
        table = "statements" if kind == "statement" else "events"
        if len(args) != 1 or not args[0]:
            return f"{kind} placeholders read {{{{ {kind}:ID }}}} with an id of {table}.csv"
        if args[0] not in ids[table]:
            return f'no {table[:-1]} "{args[0]}" in {table}.csv{did_you_mean(args[0], ids[table])}'
        if not sides[table].get(args[0], set()) & pair:
            return (f'{table[:-1]} "{args[0]}" concerns {" and ".join(sorted(sides[table][args[0]]))}, '
                    f'not {" or ".join(sorted(pair))}')
        return None
    if kind == "trade":
        if len(args) != 3 or args[0] not in ("total", "exports", "imports") or not args[1].isdigit():
            return "trade placeholders read {{ trade:total|exports|imports:YEAR:ISO3 }}"
        if args[2] not in pair:
            return f'the reporter "{args[2]}" is not a side of this brief ({" or ".join(sorted(pair))})'
    if kind == "change":
        if len(args) != 3 or not (args[0].isdigit() and args[1].isdigit()):
            return "change placeholders read {{ change:START:END:ISO3 }}"
        if args[2] not in pair:
            return f'the reporter "{args[2]}" is not a side of this brief ({" or ".join(sorted(pair))})'
    if kind == "favours" and (len(args) != 1 or not args[0].isdigit()):
        return "favours placeholders read {{ favours:YEAR }}"
    if kind == "ref":
        names = {"figure": FIGURES, "table": TABLES}.get(args[0] if args else "")
        if len(args) != 2 or names is None:
            return "ref placeholders read {{ ref:figure:NAME }} or {{ ref:table:NAME }}"
        if args[1] not in names:
            return f'unknown {args[0]} "{args[1]}"{did_you_mean(args[1], names)}; known: {", ".join(names)}'
    return None


def _sides(table) -> dict[str, set[str]]:
    if table is None:
        return {}
    return {str(i): {str(a), str(b)} for i, a, b in zip(table["id"], table["country_a"], table["country_b"])}

