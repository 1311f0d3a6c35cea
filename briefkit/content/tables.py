"""The brief's tables: each a title, a header and rows of cells, every row with its source refs.

Tables return data; templates/html/ turns them into HTML.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..errors import DataPackageError, did_you_mean
from . import numbers
from .notes import Ref, present
from .settings import STATUS_WORDS


@dataclass(frozen=True)
class TableData:
    title: str                                    # "High-level Visits"
    header: tuple[str, ...]
    rows: tuple[tuple[tuple[str, ...], tuple[Ref, ...]], ...]   # (cells, refs)

    @property
    def refs(self) -> tuple[Ref, ...]:
        return tuple(dict.fromkeys(r for _, refs in self.rows for r in refs))


def _or(value) -> str:
    return str(value) if present(value) else ""


def _events(f, kinds, columns) -> tuple:
    return tuple((tuple(c(ev) for c in columns), (Ref(str(ev["source"])),)) for _, ev in f.events(kinds).iterrows())


def visits(f) -> TableData:
    rows = _events(f, "visit", (lambda e: numbers.event_date(e["date"]), lambda e: _or(e["person"]),
                                lambda e: _or(e["role"]), lambda e: _or(e["place"])))
    return TableData("High-level Visits", ("Date", "Visitor", "Office", "Visiting"), rows)


def agreements(f) -> TableData:
    rows = _events(f, "agreement", (lambda e: numbers.event_date(e["date"]), lambda e: str(e["title"])))
    return TableData("Agreements", ("Signed", "Agreement"), rows)


TIMELINE = ("recognition", "relations", "embassy", "agreement", "mechanism", "session", "defence", "energy")


def timeline(f) -> TableData:
    rows = _events(f, TIMELINE, (lambda e: numbers.event_date(e["date"]), lambda e: str(e["title"])))
    return TableData("Milestones in Relations", ("Date", "Milestone"), rows)


def _since(year, status, known=True) -> str:
    """"member since 2001"; where the source shows the status but not when it began, "observer
    (on record in 2022)"."""
    label = STATUS_WORDS.get(str(status), str(status).replace("_", " "))
    if not present(year):
        return label
    if known is False or str(known).lower() == "false":
        return f"{label} (on record in {int(year)})"
    return f"{label} since {int(year)}"


def memberships(f) -> TableData:
    rows = []
    for _, m in f.shared_memberships().iterrows():
        name = f.organisation_name(m["organisation"])
        label = f"{name} ({m['organisation']})" if name != m["organisation"] else name
        rows.append(((label, _since(m["start_year_a"], m["status_a"], m.get("start_known_a", True)),
                      _since(m["start_year_b"], m["status_b"], m.get("start_known_b", True))),
                     tuple(dict.fromkeys((Ref(str(m["source_a"])), Ref(str(m["source_b"])))))))
    return TableData("Shared Memberships", ("Organisation", f.names[f.a], f.names[f.b]), tuple(rows))


def main_products(f, top: int = 5) -> pd.DataFrame:
    """Top products by value of each side's exports to the other, in the latest year with product
    rows: one classification and its chapter level (two digits), so nothing is counted twice."""
    from .values import Row, Value

    products = f.pair.products
    columns = ["exporter", "year", "code", "description", "value"]
    if products is None or products.empty:
        return pd.DataFrame(columns=columns)
    codes = products["code"].astype(str)
    chapters = products[(products["flow"] == "exports") & (codes.str.len() <= 2) & codes.str.isdigit()]
    out = []
    for exporter in (f.a, f.b):
        mine = chapters[chapters["reporter"] == exporter]
        if mine.empty:
            continue
        year = int(mine["year"].max())
        mine = mine[mine["year"] == year]
        mine = mine[mine["classification"] == mine["classification"].iloc[0]]
        best = mine.sort_values(["value_usd", "code"], ascending=[False, True]).head(top)
        for _, r in best.iterrows():
            code = str(r["code"]).zfill(2)
            ref = Ref(str(r["source"]), f"{f.names[exporter]}'s exports to {f.names[f.other(exporter)]} by product "
                                        f"({r['classification']} {code}), {year}")
            key = (("reporter", exporter), ("partner", f.other(exporter)), ("year", year), ("flow", "exports"),
                   ("classification", str(r["classification"])), ("code", str(r["code"])), ("source", str(r["source"])))
            value = Value(numbers.usd_million(r["value_usd"] / 1e6), (ref,), number=float(r["value_usd"]) / 1e6,
                          unit="usd_million", measure="exports", year=year, reporter=exporter,
                          partner=f.other(exporter), rows=(Row("trade_products", key, str(r["source"])),))
            out.append([exporter, year, code, str(r["description"]), value])
    return pd.DataFrame(out, columns=columns)


def products(f) -> TableData:
    rows = tuple(((str(r["year"]), f.names[r["exporter"]], f'{r["code"]} {r["description"]}', r["value"].text),
                  r["value"].refs) for _, r in main_products(f).iterrows())
    return TableData("Main Goods Traded", ("Year", "Exporter", "Product", "Value"), rows)


def _count(n, uncertain) -> str:
    if not present(n):
        return ""
    return f"{int(n)}{' (est.)' if present(uncertain) and bool(uncertain) else ''}"


def arms(f) -> TableData:
    """The latest deals between the two sides by order year (at most `arms_table_rows`)."""
    from .rules.arms import deals
    from .settings import THRESHOLDS

    if f.pair.arms is None:
        return TableData("Arms Transfers", (), ())
    both = pd.concat([deals(f, f.a, f.b), deals(f, f.b, f.a)])
    both = both.sort_values(["order_year", "id"], ascending=[False, True], na_position="last")
    rows = []
    for _, d in both.head(THRESHOLDS["arms_table_rows"]).iterrows():
        rows.append(((_or(d["order_year"]), f'{f.names.get(d["supplier"], d["supplier_name"])} → '
                      f'{f.names.get(d["recipient"], d["recipient_name"])}',
                      f'{_or(d["weapon_designation"])} ({_or(d["weapon_description"])})',
                      _count(d["number_ordered"], d["number_ordered_uncertain"]),
                      _count(d["number_delivered"], d["number_delivered_uncertain"]),
                      _or(d["delivery_years"]).replace(";", ",")),
                     (Ref(str(d["source"]), f"deals between {f.names[f.a]} and {f.names[f.b]}"),)))
    title = "Arms Transfers: Latest Orders" if len(both) > len(rows) else "Arms Transfers"
    return TableData(title, ("Order", "From → to", "Weapon", "Ordered", "Delivered", "Delivery years"), tuple(rows))


def trade_agreements(f) -> TableData:
    from .rules.agreements import KIND_WORDS, in_force

    rows = tuple(((str(ag["name"]), KIND_WORDS.get(str(ag["kind"]), str(ag["kind"])), str(int(ag["signature_year"])),
                   str(int(ag["in_force_year"]))), (Ref(str(ag["source"]), f"{ag['name']} ({ag['id']})"),))
                 for _, ag in in_force(f).iterrows())
    return TableData("Trade Agreements in Force by 2020", ("Agreement", "Kind", "Signed", "In force"), rows)


TABLES = {"visits": visits, "agreements": agreements, "timeline": timeline, "memberships": memberships,
          "products": products, "arms": arms, "trade_agreements": trade_agreements}


def build(name: str, f) -> TableData:
    if name not in TABLES:
        hint = did_you_mean(name, list(TABLES))
        raise DataPackageError(f'Unknown table "{name}"{hint}; known tables: {", ".join(TABLES)}')
    return TABLES[name](f)
