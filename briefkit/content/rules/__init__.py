"""Sentence rules: each looks at a pair's Figures and says something true, or nothing.

    @rule("trade.balance")
    def balance(f: Figures) -> Said | list[Said] | None: ...

A rule returns None when it has nothing true to say; "the package has no rows" is never a finding
about the relationship. Its wording lives in templates/sentences/<template>.j2. Adding a sentence is
one function here, one template there, and a unit test on a small in-memory pair.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ...errors import did_you_mean
from ..claims import Claim, Said, claim


@dataclass(frozen=True)
class Rule:
    id: str
    func: Callable


RULES: dict[str, Rule] = {}


def rule(rule_id: str):
    def register(func):
        RULES[rule_id] = Rule(rule_id, func)
        return func
    return register


def get(rule_id: str) -> Rule:
    if rule_id not in RULES:
        hint = did_you_mean(rule_id, list(RULES))
        raise KeyError(f'Unknown rule "{rule_id}"{hint}; known: {", ".join(sorted(RULES))}')
    return RULES[rule_id]


def apply(rule_id: str, figures, section: str) -> list[Claim]:
    """The claims a rule makes for a pair in a section (none when it has nothing to say)."""
    said = get(rule_id).func(figures)
    if said is None:
        return []
    return [claim(section, rule_id, s) for s in ([said] if isinstance(said, Said) else said)]


from . import agreements, alignment, arms, coverage, forums, relations, trade  # noqa: E402,F401  (registers the rules)
