"""UN Comtrade files: the Plus download (and the API's flat export), the legacy CSV export and the
legacy bulk file, read into records in US dollars.

Flows: exports (Plus X / Export, legacy 2 / Export) and imports (M, 1 / Import). Re-exports and
re-imports (RX, RM, 3, 4) and Plus's domestic-export / foreign-import split (DX, FM) are left out:
X and M already include them, so adding them would count the same goods twice. Rows broken down by
second partner, customs procedure or mode of transport are left out (their total row is kept),
as are services rows and a country trading with itself.

Product codes are normalised before anything is summed: legacy files written through a spreadsheet
lose the leading zero of HS chapters 01-09 ("1" for 01, "101" for 0101). A code shorter than the
row's aggregate level (legacy "Aggregate Level", Plus aggrLevel) is padded with zeros to that
length; without a level, an HS code of odd length gets its zero back (HS codes have 2, 4 or 6
digits). SITC codes without a level are left as they are: one digit is a SITC section.

isReported (Plus): false marks a record that UN Comtrade holds but that is not the reporter's own
submission as such. It does not say the value is an estimate (the package's `estimated` flag means
the compiler estimated the figure, as DOTS marks with "e"), so such values are kept, counted in the
notes and the source row, and not marked estimated. The legacy Flag and the bulk Estimation Code
concern quantities and weights only, so those values count as reported too.
"""
from __future__ import annotations

import re

from .layouts import Layout, register
from .records import TOTAL, UNSPECIFIED, WORLD, Context, Rec, flag, number, year
from .results import RowProblem

PLUS_FLOWS = {"X": "exports", "M": "imports", "RX": None, "RM": None, "DX": None, "FM": None}
LEGACY_FLOW_CODES = {"2": "exports", "1": "imports", "3": None, "4": None}
FLOW_NAMES = {"export": "exports", "import": "imports", "re-export": None, "re-import": None,
              "reexport": None, "reimport": None, "domestic export": None, "foreign import": None}
ALL_COMMODITIES = {"all commodities", "total"}
# Breakdown columns whose "all" value marks the row to keep (others would double count it).
ALL_VALUES = {"partner2_code": {"", "0"}, "customs_code": {"", "C00"}, "mot_code": {"", "0"}, "mos_code": {"", "0"}}
TERMS = ("UN Comtrade data are subject to the UN Comtrade terms of use; re-disseminating them may need the "
         "written permission of the UN Statistics Division.")


def product_code(ctx: Context, cells: list[str], code: str, classification: str) -> str:
    """The code with the leading zeros a spreadsheet took away put back (see the module notes)."""
    level = ctx.cell(cells, "level")
    if level.isdigit() and 2 <= int(level) <= 12 and len(code) < int(level):
        padded = code.zfill(int(level))
    elif classification.startswith("H") and len(code) % 2 == 1:
        padded = "0" + code
    else:
        ctx.unclear += len(code) == 1 and classification == UNSPECIFIED
        return code
    ctx.padded[(code, padded)] += 1
    return padded


def convert(ctx: Context) -> None:
    """Rows of the Comtrade layouts -> records in US dollars."""
    plus = ctx.layout.name == "comtrade-plus"
    for line, cells in ctx.table.rows:
        bad: list[str] = []
        if ctx.has("type") and ctx.cell(cells, "type").upper() not in ("", "C"):
            ctx.skipped["services (typeCode S)"] += 1
            continue
        freq = ctx.cell(cells, "freq").upper()
        if freq not in ("", "A"):
            bad.append(f'{ctx.column("freq")} is "{freq}": only annual data (A) can be imported')
        breakdown = [r for r, ok in ALL_VALUES.items() if ctx.has(r) and ctx.cell(cells, r).upper() not in ok]
        if breakdown:
            ctx.skipped["breakdowns by " + "/".join(ctx.column(r) for r in breakdown) + " (their total row is kept)"] += 1
            continue

        when, err = year(ctx.cell(cells, "year"), ctx.column("year"), ctx.years)
        if err:
            bad.append(err)
        period = ctx.cell(cells, "period")
        if period and when and period != str(when):
            bad.append(f'{ctx.column("period")} "{period}" is not the year {when}: only annual data can be imported')

        flow = _flow(ctx, cells, plus, bad)
        reporter, skip_r, err_r = ctx.countries.resolve(
            "reporter", ctx.cell(cells, "reporter_iso"), ctx.cell(cells, "reporter_code"))
        partner, skip_p, err_p = ctx.countries.resolve(
            "partner", ctx.cell(cells, "partner_iso"), ctx.cell(cells, "partner_code"))
        bad += [e for e in (err_r, err_p) if e]

        classification = ctx.cell(cells, "classification").upper() or UNSPECIFIED
        code = ctx.cell(cells, "code")
        if code.upper() in ("TOTAL", "ALL") or (not code and ctx.cell(cells, "description").casefold() in ALL_COMMODITIES):
            code = TOTAL
        elif not re.fullmatch(r"[0-9]+", code):
            bad.append(f'{ctx.column("code") if ctx.has("code") else "cmdCode"} "{code}" is neither TOTAL nor '
                       "a numeric product code")
        else:
            code = product_code(ctx, cells, code, classification)
        value, err = number(ctx.cell(cells, "value"), ctx.column("value"))
        if err:
            bad.append(err)
        if plus and ctx.has("reported"):
            reported, err = flag(ctx.cell(cells, "reported"), ctx.column("reported"))
            if err:
                bad.append(err)
            elif reported is False:
                ctx.not_reported += 1

        if bad:
            ctx.problems.append(RowProblem(line, "; ".join(bad)))
            continue
        if skip_r or skip_p or reporter == WORLD:
            ctx.skipped[skip_r or ("reporter World" if reporter == WORLD else skip_p)] += 1
            continue
        if flow is None:
            ctx.skipped["re-exports, re-imports, DX/FM (already part of exports and imports)"] += 1
            continue
        if reporter == partner:
            ctx.skipped["a country trading with itself"] += 1
            continue
        ctx.records.append(Rec(line, reporter, partner, when, flow, classification, code,
                               ctx.cell(cells, "description"), value, False))
    if not ctx.has("classification") and any(r.code != TOTAL for r in ctx.records):
        ctx.notes.append(f'the file has no classification column: product rows are stored with classification "{UNSPECIFIED}"')
    if ctx.not_reported:
        ctx.notes.append(f"{ctx.not_reported:,} rows have isReported = false (UN Comtrade's flag that the record is not "
                         "the reporter's own submission as such): kept, and not marked estimated")
    if ctx.unclear:
        ctx.notes.append(f"{ctx.unclear:,} rows have a one-digit product code and the file does not say whether it is "
                         "an HS chapter or a SITC section, so they are not counted in the annual values: add the "
                         "Classification (or Aggregate Level) column to count them")
    if ctx.padded:
        shown = ", ".join(f"{a} as {b}" for (a, b), _ in ctx.padded.most_common(5))
        ctx.notes.append(f"{sum(ctx.padded.values()):,} product codes had lost their leading zero and were read with it "
                         f"({shown})")


def _flow(ctx: Context, cells: list[str], plus: bool, bad: list[str]) -> str | None:
    if ctx.has("flow_code") and ctx.cell(cells, "flow_code"):
        raw = ctx.cell(cells, "flow_code").upper()
        table = PLUS_FLOWS if plus else LEGACY_FLOW_CODES
        if raw not in table:
            bad.append(f'{ctx.column("flow_code")} "{raw}" is not one of {", ".join(table)}')
        return table.get(raw, "?")
    if ctx.has("flow_text") and ctx.cell(cells, "flow_text"):
        raw = ctx.cell(cells, "flow_text").casefold()
        if raw not in FLOW_NAMES:
            bad.append(f'{ctx.column("flow_text")} "{ctx.cell(cells, "flow_text")}" is not Export, Import, Re-Export or Re-Import')
        return FLOW_NAMES.get(raw, "?")
    bad.append("trade flow is missing")
    return "?"


register(Layout(
    name="comtrade-plus", title="UN Comtrade Plus download", publisher="UN Comtrade",
    url="https://comtradeplus.un.org", id_prefix="comtrade", convert=convert, terms=TERMS,
    columns={
        "year": ("refYear",), "period": ("period",), "freq": ("freqCode",), "type": ("typeCode",),
        "reporter_iso": ("reporterISO",), "reporter_code": ("reporterCode",),
        "partner_iso": ("partnerISO",), "partner_code": ("partnerCode",),
        "flow_code": ("flowCode",), "flow_text": ("flowDesc",), "classification": ("classificationCode",),
        "code": ("cmdCode",), "description": ("cmdDesc",), "value": ("primaryValue",),
        "level": ("aggrLevel",), "reported": ("isReported",), "partner2_code": ("partner2Code",),
        "customs_code": ("customsCode",), "mot_code": ("motCode",), "mos_code": ("mosCode",),
    },
    required=(("year",), ("reporter_iso", "reporter_code"), ("partner_iso", "partner_code"),
              ("flow_code", "flow_text"), ("code", "description"), ("value",)),
))
register(Layout(
    name="comtrade-legacy", title="UN Comtrade legacy CSV export", publisher="UN Comtrade",
    url="https://comtradeplus.un.org", id_prefix="comtrade", convert=convert, terms=TERMS,
    columns={
        "year": ("Year",), "period": ("Period",),
        "reporter_iso": ("Reporter ISO",), "reporter_code": ("Reporter Code",),
        "partner_iso": ("Partner ISO",), "partner_code": ("Partner Code",),
        "flow_code": ("Trade Flow Code",), "flow_text": ("Trade Flow",),
        "classification": ("Classification",), "code": ("Commodity Code",), "level": ("Aggregate Level",),
        "description": ("Commodity",), "value": ("Trade Value (US$)",),
        "partner2_code": ("2nd Partner Code",), "customs_code": ("Customs Proc. Code",),
        "mot_code": ("Mode of Transport Code",),
    },
    required=(("year",), ("flow_code", "flow_text"), ("reporter_iso", "reporter_code"),
              ("partner_iso", "partner_code"), ("code",), ("value",)),
))
register(Layout(
    name="comtrade-bulk", title="UN Comtrade bulk CSV", publisher="UN Comtrade",
    url="https://comtradeplus.un.org", id_prefix="comtrade", convert=convert, terms=TERMS,
    columns={
        "year": ("Year",), "reporter_code": ("Reporter Code",), "flow_code": ("Trade Flow Code",),
        "partner_code": ("Partner Code",), "classification": ("Classification",),
        "code": ("Commodity Code",), "value": ("Value",),
    },
    required=(("year",), ("reporter_code",), ("flow_code",), ("partner_code",), ("code",), ("value",)),
))
