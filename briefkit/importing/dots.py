"""Tidy IMF Direction of Trade Statistics files (reporter, reporter_iso3, partner, partner_iso3, year,
flow, value_usd_millions, estimated): annual totals in US$ million, both flows as the reporter
reports them (exports FOB, imports CIF). The partner "World" feeds the reporter's trade with the
world; IMF aggregates and areas without an ISO3 code are left out. `estimated` is the IMF's own
flag (values it estimated, usually from partner data).
"""
from __future__ import annotations

from .layouts import Layout, register
from .records import TOTAL, WORLD, Context, Rec, flag, number, year
from .results import RowProblem

FLOWS = {"exports_fob": "exports", "imports_cif": "imports"}


def convert(ctx: Context) -> None:
    """Rows of a tidy IMF DOTS file -> records in US$ million (annual totals only)."""
    for line, cells in ctx.table.rows:
        bad: list[str] = []
        when, err = year(ctx.cell(cells, "year"), ctx.column("year"), ctx.years)
        if err:
            bad.append(err)
        raw_flow = ctx.cell(cells, "flow")
        flow = FLOWS.get(raw_flow.casefold())
        if flow is None:
            bad.append(f'{ctx.column("flow")} "{raw_flow}" is not exports_fob or imports_cif')
        value, err = number(ctx.cell(cells, "value").replace(",", ""), ctx.column("value"))
        if err:
            bad.append(err)
        estimated, err = flag(ctx.cell(cells, "estimated"), ctx.column("estimated"))
        if err:
            bad.append(err)
        sides = []
        for side in ("reporter", "partner"):
            iso = ctx.cell(cells, side + "_iso3").upper()
            if not iso:
                world = ctx.cell(cells, side) == WORLD
                sides.append((WORLD, None) if world and side == "partner" else
                             (None, f"{side} World" if world else f"{side} without ISO3 (IMF aggregates, unmapped areas)"))
            elif iso in ctx.countries.iso3:
                sides.append((iso, None))
            else:
                sides.append((None, None))
                bad.append(f"{side} " + ctx.countries.unknown(iso))
        if bad:
            ctx.problems.append(RowProblem(line, "; ".join(bad)))
            continue
        (reporter, skip_r), (partner, skip_p) = sides
        if skip_r or skip_p:
            ctx.skipped[skip_r or skip_p] += 1
            continue
        if reporter == partner:
            ctx.skipped["a country trading with itself"] += 1
            continue
        ctx.records.append(Rec(line, reporter, partner, when, flow, "", TOTAL, "", value, estimated))


register(Layout(
    name="imf-dots", title="IMF Direction of Trade Statistics (DOTS), tidy CSV",
    publisher="International Monetary Fund", url="https://data.imf.org", id_prefix="imf",
    columns={
        "reporter": ("reporter",), "reporter_iso3": ("reporter_iso3",),
        "partner": ("partner",), "partner_iso3": ("partner_iso3",), "year": ("year",),
        "flow": ("flow",), "value": ("value_usd_millions",), "estimated": ("estimated",),
    },
    required=(("reporter_iso3",), ("partner_iso3",), ("year",), ("flow",), ("value",)),
    convert=convert, unit=1_000_000,
    terms="IMF terms of use: re-use with the attribution \"Source: IMF Direction of Trade Statistics\".",
))
