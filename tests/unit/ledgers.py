"""A small in-test ledger builder: claims ledgers (format briefkit-claims/1) drafted from a tiny trade
table and an analyst's prose, as a render would write them. Tests change the inputs (correct a row,
reorder the rows, edit a sentence) and compare the ledgers that result."""
from __future__ import annotations

import copy

TRADE = {  # (reporter, partner, year): (exports, imports), US$ million
    ("PAK", "BLR", 2019): (12.5, 40.2),
    ("PAK", "BLR", 2020): (31.0, 10.9),
    ("BLR", "PAK", 2019): (38.0, 13.1),
    ("BLR", "PAK", 2020): (9.8, 29.4),
}
HISTORY = ["Pakistan recognised Belarus in December 1991.",
           "The two countries opened embassies in each other's capitals two decades later.",
           "Relations have been warm ever since."]
NAMES = {"PAK": "Pakistan", "BLR": "Belarus"}


def _value(text, number, unit, year, reporter, partner, measure, table="trade", source="imf-dots"):
    return {"text": text, "number": number, "unit": unit, "year": year, "reporter": reporter, "partner": partner,
            "measure": measure, "source": source, "table": table,
            "rows": [{"reporter": reporter, "partner": partner, "year": year, "source": source, "table": table}]}


def _usd(x: float) -> str:
    return f"US${x:.1f} million"


RELATIONS = ("Diplomatic relations were established on February 3, 1994. "
             "Both capitals have marked the date every year since.")  # an analyst paragraph holding a placeholder


def build(trade=None, history=None, digest="sha256:" + "a" * 64, as_of="2023-07-27", extra_note=None,
          relations=RELATIONS) -> dict:
    """The ledger a render drafts from `trade` (rows in any order) and the analyst's `history` sentences."""
    trade = dict(TRADE if trade is None else trade)
    history = list(HISTORY if history is None else history)
    claims, notes = [], []

    def claim(section, rule, text, values):
        numbers = []
        for v in values:
            notes.append({"number": len(notes) + 1, "source": v["source"],
                          "text": f"IMF, Direction of Trade Statistics; {NAMES[v['reporter']]}'s trade with "
                                  f"{NAMES[v['partner']]}, {v['year']}, as {NAMES[v['reporter']]} reports it."})
            numbers.append(len(notes))
        claims.append({"id": f"{section}/{rule}", "section": section, "rule": rule, "text": text,
                       "guards": ["min_value"], "values": values, "notes": numbers})

    x, m = trade[("PAK", "BLR", 2020)]
    claim("cooperation", "trade.total", f"Trade reached {_usd(x + m)} in 2020, by Pakistan's records.",
          [_value(_usd(x + m), round(x + m, 1), "usd_million", 2020, "PAK", "BLR", "total")])
    claim("cooperation", "trade.balance", f"The balance favours Pakistan by {_usd(x - m)} in 2020.",
          [_value(_usd(x - m), round(x - m, 1), "usd_million", 2020, "PAK", "BLR", "balance")])
    x0, m0 = trade[("PAK", "BLR", 2019)]
    change = round(100 * ((x + m) / (x0 + m0) - 1))
    claim("cooperation", "trade.trend", f"That is {abs(change)}% {'more' if change >= 0 else 'less'} than in 2019.",
          [_value(f"{abs(change)}%", change, "percent", 2020, "PAK", "BLR", "change"),
           _value(_usd(x0 + m0), round(x0 + m0, 1), "usd_million", 2019, "PAK", "BLR", "total")])
    bx, bm = trade[("BLR", "PAK", 2020)]
    claim("challenges", "trade.mirror", f"Belarus records exports of {_usd(bx)} to Pakistan in 2020.",
          [_value(_usd(bx), bx, "usd_million", 2020, "BLR", "PAK", "exports")])
    claim("history", "analyst", relations,
          [_value("February 3, 1994", 1994, "date", 1994, "PAK", "BLR", "event", table="events",
                  source="pakemb-minsk-overview")])
    if extra_note:
        notes.append({"number": len(notes) + 1, "source": extra_note[0], "text": extra_note[1]})

    def text_of(section, prose=()):
        return " ".join([c["text"] for c in claims if c["section"] == section] + list(prose))

    sections = [
        {"id": "history", "title": "Historical Background", "origin": "analyst",
         "text": " ".join(history[:1] + [text_of("history")] + history[1:])},
        {"id": "cooperation", "title": "Political, Economic, Diplomatic & Military Cooperation",
         "origin": "drafted", "text": text_of("cooperation", ["Both sides report the trade."])},
        {"id": "challenges", "title": "Challenges", "origin": "drafted", "text": text_of("challenges")},
    ]
    return copy.deepcopy({"format": "briefkit-claims/1", "pair": "PAK-BLR", "countries": dict(NAMES),
                          "as_of": as_of, "data_digest": digest, "sections": sections, "claims": claims,
                          "notes": notes})


def claims_citing(ledger: dict, table: str, row: dict) -> set[str]:
    """The ids of the claims with a value drawn from `row` of `table`."""
    return {c["id"] for c in ledger["claims"] for v in c["values"] if v["table"] == table
            and any(all(r.get(k) == x for k, x in row.items()) for r in v["rows"])}
