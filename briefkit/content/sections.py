"""The brief's sections in house order, and what briefkit drafts in each where no analyst has written.

A section is a list of groups; a group is an optional sub-heading and items: a paragraph made by
rules (`Para`), the first rule that has something to say (`FirstOf`), a figure or a table. An item
that depends on the one before (a table under its paragraph) is left out with it. A section whose
items say nothing is left out, heading and all; its heading names what it holds.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Para:
    rules: tuple[str, ...]
    split: bool = False      # one paragraph per claim (e.g. one per disagreeing flow)


@dataclass(frozen=True)
class FirstOf:
    rules: tuple[str, ...]   # the first rule that says something is used


@dataclass(frozen=True)
class Figure:
    name: str


@dataclass(frozen=True)
class Table:
    name: str


@dataclass(frozen=True)
class Group:
    topic: str               # what the group holds, for the section's title: "political", "economic", ...
    heading: str | None
    items: tuple


@dataclass(frozen=True)
class Section:
    id: str
    title: str               # the heading when every topic is present (or the analyst gives none)
    groups: tuple[Group, ...] = field(default=())


def para(*rules, split=False) -> Para:
    return Para(tuple(rules), split)


TRADE = Group("economic", "Trade", (
    para("trade.coverage", "trade.level"), Figure("trade_total"),
    para("trade.trend", "trade.peak", "trade.balance"), Figure("trade_flows"),
    para("trade.shares", "trade.gdp_share"),
    para("trade.mirror", split=True), Figure("trade_annual"),
    para("trade.target", "trade.stated", "trade.other_sources"),
    para("trade.goods"), Table("products"),
))

SECTIONS: tuple[Section, ...] = (
    Section("opening", "", (Group("opening", None, (
        para("coverage.empty"),
        FirstOf(("opening.anniversary", "opening.recent_contact", "opening.trade_turn")),)),)),
    Section("history", "Historical Background", (Group("history", None, (
        para("history.first_record"), Table("timeline"))),)),
    Section("cooperation", "Political, Economic, Diplomatic & Military Cooperation", (
        Group("political", None, (para("relations.visits"), Table("visits"),
                                   para("relations.agreements"), Table("agreements"),
                                   para("relations.mechanisms"))),
        TRADE,
        Group("military", "Defence and Energy", (para("defence.events"),)),
    )),
    Section("defence", "Defence and Security: Arms Transfers", (Group("arms", None, (
        para("defence.transfers", "defence.supplier_share"), Table("arms"))),)),
    Section("agreements", "Trade Agreements", (Group("trade_agreements", None, (
        para("agreements.in_force"), Table("trade_agreements"))),)),
    Section("multilateral", "Multilateral Cooperation", (Group("forums", None, (
        para("forums.members", "forums.other_status"), Table("memberships"))),)),
    Section("alignment", "Alignment at the UN", (Group("alignment", None, (
        para("alignment.standing", "alignment.trend"), Figure("alignment_distance"))),)),
    Section("challenges", "Challenges", (Group("challenges", None, (para("trade.lopsided"),)),)),
    Section("next", "What Next? Steps to Enhance bilateral cooperation"),   # the analyst's call: never drafted
    Section("conclusion", "Conclusion", (Group("conclusion", None, (
        para("conclusion.summary", "conclusion.coverage"),)),)),
)

BY_ID = {s.id: s for s in SECTIONS}


def cooperation_title(topics: set[str]) -> str:
    """The heading of the drafted cooperation section, naming only what it holds."""
    political, economic, military = ("political" in topics, "economic" in topics, "military" in topics)
    if political and economic and military:
        return "Political, Economic, Diplomatic & Military Cooperation"
    if economic and not political and not military:
        return "Trade"
    if military and not political and not economic:
        return "Defence and Energy Ties"
    words = [w for w, on in (("Political", political), ("Diplomatic", political), ("Economic", economic),
                             ("Military", military)) if on]
    return (", ".join(words[:-1]) + " & " + words[-1] if len(words) > 1 else words[0]) + " Cooperation"
