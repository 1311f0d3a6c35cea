"""arms_transfers: every deal of the SIPRI Arms Transfers Database trade register, one row each.

Source: sipri-arms-transfers/sipri_trade-register.csv (SIPRI export of 29 Mar 2025, Latin-1, 11 note
lines before the header, two deals broken over two lines by a line break inside Comments) and
sipri_names_iso3.csv (each SIPRI name with its kind and a suggested ISO3).

What the table keeps:
* the deal as SIPRI gives it: supplier and recipient names, order year, numbers ordered and
  delivered, weapon designation and description, delivery years, status, comments and the three
  TIV columns (SIPRI trend-indicator values, millions: a volume measure, never US$);
* the '?' uncertainty markers as booleans (`*_uncertain`);
* supplier / recipient ISO3 where the name is a state the countries table knows, and a `*_kind`
  (state, historical_state, non_state_actor, international_organisation, unrecognised_entity,
  disputed_territory, partly_recognised_state, unknown) so non-state actors stay in and are flagged;
* `id`: "sipri-" + 10 hex digits of the SHA-1 of the deal's cells, with "-2", "-3" for identical
  deals (the register holds 9 exact repeats). The id stays the same as long as SIPRI leaves the deal
  unchanged; SIPRI revises its database every year, so a revised deal gets a new id.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from .csvio import check_unique, log, read_str_csv

REGISTER = "sipri-arms-transfers/sipri_trade-register.csv"
NAMES = "sipri-arms-transfers/sipri_names_iso3.csv"
SOURCE = "sipri-arms"
NOTE_LINES = 11
RAW_COLUMNS = ["recipient_name", "supplier_name", "order_year", "order_year_q", "number_ordered",
               "number_ordered_q", "weapon_designation", "weapon_description", "number_delivered",
               "number_delivered_q", "delivery_years", "status", "comments", "tiv_per_unit",
               "tiv_order", "tiv_delivered"]
COLUMNS = ["id", "supplier", "supplier_name", "supplier_kind", "recipient", "recipient_name",
           "recipient_kind", "order_year", "order_year_uncertain", "number_ordered",
           "number_ordered_uncertain", "weapon_designation", "weapon_description", "number_delivered",
           "number_delivered_uncertain", "delivery_years", "first_delivery", "last_delivery", "status",
           "comments", "tiv_per_unit", "tiv_order", "tiv_delivered", "source"]

# Former states: the codes the countries table already uses for them (ISO 3166-3 style, as the
# IMF and COW tables do). North Yemen keeps YEM, as in memberships (COW 678): ISO's YEM was the
# Yemen Arab Republic's code before 1990. South Vietnam has no code in the package.
HISTORICAL = {
    "Soviet Union": "SUN", "Czechoslovakia": "CSK", "East Germany (GDR)": "DDR", "Yugoslavia": "YUG",
    "South Yemen": "YMD", "North Yemen": "YEM", "Yemen Arab Republic (North Yemen)": "YEM",
}
KINDS = {
    "state": "state", "historical state": "historical_state", "non-state actor": "non_state_actor",
    "international organisation": "international_organisation", "unknown": "unknown",
    "unrecognised entity": "unrecognised_entity", "disputed territory": "disputed_territory",
    "state (partly recognised)": "partly_recognised_state",
}


def read_register(path: Path) -> pd.DataFrame:
    """The deals as text cells; the two deals broken by a line break in Comments are re-joined."""
    lines = path.read_bytes().decode("latin-1").split("\n")[NOTE_LINES:]
    header, body = lines[0], lines[1:]
    width = header.count(",")
    records, i = [], 0
    while i < len(body):
        line = body[i].rstrip("\r")
        if line and line.count(",") < width and i + 1 < len(body) \
                and (line + body[i + 1]).count(",") == width:
            line = line + " " + body[i + 1].rstrip("\r").lstrip()
            i += 1
        if line:
            cells = line.split(",")
            if len(cells) != width + 1:
                raise SystemExit(f"{path.name}: a deal with {len(cells)} cells: {line[:120]!r}")
            records.append(cells)
        i += 1
    return pd.DataFrame(records, columns=RAW_COLUMNS)


def deal_ids(raw: pd.DataFrame) -> list[str]:
    seen: dict[str, int] = {}
    ids = []
    for cells in raw[RAW_COLUMNS].itertuples(index=False):
        digest = "sipri-" + hashlib.sha1("\x1f".join(cells).encode("utf-8")).hexdigest()[:10]
        seen[digest] = seen.get(digest, 0) + 1
        ids.append(digest if seen[digest] == 1 else f"{digest}-{seen[digest]}")
    return ids


def name_table(sources: Path, known: set[str]) -> dict[str, tuple[str, str]]:
    """SIPRI name -> (ISO3 or "", kind)."""
    names = read_str_csv(sources / NAMES)
    out = {}
    for row in names.itertuples(index=False):
        code = HISTORICAL.get(row.sipri_name, row.iso3_suggested)
        if code and code not in known:
            log(f"  WARNING SIPRI name {row.sipri_name!r}: {code} is not in countries; left without a code")
            code = ""
        out[row.sipri_name] = (code, KINDS[row.kind])
    return out


def build(sources: Path, countries: pd.DataFrame) -> pd.DataFrame:
    raw = read_register(sources / REGISTER)
    log(f"  read {REGISTER}: {len(raw):,} deals")
    names = name_table(sources, set(countries["iso3"]))
    unknown = sorted((set(raw["supplier_name"]) | set(raw["recipient_name"])) - set(names))
    if unknown:
        raise SystemExit(f"SIPRI names missing from {NAMES}: {unknown}")
    for col in ("order_year_q", "number_ordered_q", "number_delivered_q"):
        bad = ~raw[col].isin(["", "?"])
        if bad.any():
            raise SystemExit(f"{REGISTER}: uncertainty marker {col} holds {sorted(set(raw.loc[bad, col]))}")
    years = raw["delivery_years"].str.split("; ")
    if not years.map(lambda ys: all(y.isdigit() and len(y) == 4 for y in ys)).all():
        raise SystemExit(f"{REGISTER}: delivery years that are not '; '-separated years")
    out = pd.DataFrame({
        "id": deal_ids(raw),
        "supplier": raw["supplier_name"].map(lambda n: names[n][0]),
        "supplier_name": raw["supplier_name"],
        "supplier_kind": raw["supplier_name"].map(lambda n: names[n][1]),
        "recipient": raw["recipient_name"].map(lambda n: names[n][0]),
        "recipient_name": raw["recipient_name"],
        "recipient_kind": raw["recipient_name"].map(lambda n: names[n][1]),
        "order_year": raw["order_year"],
        "order_year_uncertain": (raw["order_year_q"] == "?").map({True: "true", False: "false"}),
        "number_ordered": raw["number_ordered"],
        "number_ordered_uncertain": (raw["number_ordered_q"] == "?").map({True: "true", False: "false"}),
        "weapon_designation": raw["weapon_designation"].str.strip(),
        "weapon_description": raw["weapon_description"].str.strip(),
        "number_delivered": raw["number_delivered"],
        "number_delivered_uncertain": (raw["number_delivered_q"] == "?").map({True: "true", False: "false"}),
        "delivery_years": raw["delivery_years"],
        "first_delivery": years.map(lambda ys: min(ys)),
        "last_delivery": years.map(lambda ys: max(ys)),
        "status": raw["status"],
        "comments": raw["comments"].str.strip(),
        "tiv_per_unit": raw["tiv_per_unit"],
        "tiv_order": raw["tiv_order"],
        "tiv_delivered": raw["tiv_delivered"],
        "source": SOURCE,
    })[COLUMNS]
    check_unique(out, ["id"], "arms_transfers")
    total = pd.to_numeric(out["tiv_delivered"]).sum()
    flagged = (out["supplier_kind"] != "state") | (out["recipient_kind"] != "state")
    log(f"  arms_transfers: {len(out):,} deals, TIV delivered {total:,.1f} million; "
        f"{int(flagged.sum()):,} deals with a side that is not a state (kept, flagged by kind)")
    return out.sort_values("id", kind="mergesort", ignore_index=True)
