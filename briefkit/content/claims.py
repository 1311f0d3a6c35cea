"""Claims: sentences that state something, built from a rule's variables and a wording template.

A rule returns `Said(template, guards, variables)`; `claim()` renders the template (plain text, one
file per template in content/templates/sentences/) and keeps each Value apart from the words around
it, so the HTML can footnote it and the ledger can record it.

    Said("trade.balance", ("balance_agrees",), {"side": "China", "amount": Value(...), "year": 2020})
    → Claim(id="cooperation/trade.balance", parts=("The balance favours China by ", Value(...), " ..."))
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .values import Pointer, Value

SENTENCES = Path(__file__).resolve().parent / "templates" / "sentences"
_TOKEN = re.compile("\ue000(\\d+)\ue001")
# "United States's" → "United States'": names that are plurals take the apostrophe alone
PLURAL_POSSESSIVE = re.compile(r"\b(States|Islands|Philippines|Netherlands|Bahamas|Maldives|Seychelles|Comoros|"
                               r"Emirates|Grenadines|Territories)'s\b")

_env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(SENTENCES)), autoescape=False,
                          undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                          keep_trailing_newline=False)


@dataclass(frozen=True)
class Said:
    """What a rule decided to state: the template, the guards it passed, the variables."""

    template: str
    guards: tuple[str, ...] = ()
    variables: dict = field(default_factory=dict)


def say(template: str, guards=(), **variables) -> Said:
    return Said(template, tuple(guards), variables)


Part = "str | Value | Pointer"


@dataclass(frozen=True)
class Claim:
    """One stated sentence (or, for analyst prose, one paragraph) with its values."""

    id: str                    # "cooperation/trade.balance"
    section: str
    rule: str                  # the rule's id, or "analyst"
    parts: tuple               # str, Value and Pointer pieces, in order
    guards: tuple[str, ...] = ()

    @property
    def values(self) -> tuple[Value, ...]:
        return tuple(p for p in self.parts if isinstance(p, Value))

    @property
    def text(self) -> str:
        """The plain text as printed (figure pointers shown as their names until numbered)."""
        return "".join(p if isinstance(p, str) else (p.text if isinstance(p, Value) else f"{p.kind} {p.name}")
                       for p in self.parts)


def render_parts(template: str, variables: dict) -> tuple:
    """Render one sentence template; Values and Pointers come back as separate parts."""
    held: list = []

    def hold(value):
        if isinstance(value, (Value, Pointer)):
            held.append(value)
            return f"\ue000{len(held) - 1}\ue001"
        if isinstance(value, (list, tuple)):
            return type(value)(hold(v) for v in value)
        if isinstance(value, dict):
            return {k: hold(v) for k, v in value.items()}
        return value

    text = _env.get_template(f"{template}.j2").render(**{k: hold(v) for k, v in variables.items()})
    text = PLURAL_POSSESSIVE.sub(r"\1'", re.sub(r"\s+", " ", text).strip())
    text = re.sub(r" ([,.;:])", r"\1", text)
    parts: list = []
    last = 0
    for m in _TOKEN.finditer(text):
        if m.start() > last:
            parts.append(text[last:m.start()])
        parts.append(held[int(m.group(1))])
        last = m.end()
    if last < len(text):
        parts.append(text[last:])
    return tuple(parts)


def claim(section: str, rule: str, said: Said) -> Claim:
    return Claim(f"{section}/{rule}", section, rule, render_parts(said.template, said.variables), said.guards)


def template_names() -> list[str]:
    return sorted(p.name[:-3] for p in SENTENCES.glob("*.j2"))
