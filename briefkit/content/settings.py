"""The thresholds every rule and guard reads, in one table. Change a judgement here, not in a rule."""
from __future__ import annotations

THRESHOLDS = {
    # Two reporters "disagree" on one flow when their figures differ by more than this share of the
    # larger figure ...
    "mirror_gap": 0.25,
    # ... and by at least this many US$ million (tiny flows differ by rounding alone).
    "mirror_floor": 1.0,
    # Below this (US$ million a year), trade is negligible: no growth rates, shares or balances.
    "negligible_trade": 0.05,
    # A balance smaller than this share of total trade is "roughly balanced".
    "balanced_share": 0.05,
    # A peak sentence is added when the latest year is this far below the peak of the window.
    "below_peak": 0.10,
    # Exports this many times imports (or the reverse) make trade "lopsided".
    "lopsided_ratio": 3.0,
    # Years over which a trend is stated, longest first.
    "trend_spans": (10, 5),
    # Changes smaller than this (percent) are "little changed", never "grew" or "fell".
    "flat_change": 2.0,
    # Years back from the brief's date within which a visit or session counts as recent.
    "recent_years": 3,
    # Arms transfers: the window (years of the register, counted back from its last delivery year)
    # over which a supplier's share and rank among a recipient's suppliers are stated ...
    "arms_window": 10,
    # ... only where the recipient took at least this much (million TIV) in the window, and the
    # supplier delivered at least this much: a share of almost nothing says nothing.
    "arms_min_tiv": 10.0,
    "arms_min_supplier_tiv": 1.0,
    # The deals listed in the table of arms transfers: the latest orders, at most this many.
    "arms_table_rows": 12,
    # UN alignment: sessions back from the latest over which the trend is stated, and the change in
    # the distance between two ideal points below which it "changed little" (ideal-point units).
    "alignment_span": 10,
    "alignment_change": 0.25,
}

# The forums a brief names among shared memberships; the memberships table holds many more bodies
# (weights and measures, commodity councils) that say little about a relationship.
FORUMS = ("UN", "SCO", "BRICS", "CICA", "CIS", "CSTO", "EAEU", "EAEC", "ECO", "OIC", "SAARC", "ASEAN",
          "NAM", "WTO", "G20", "APEC", "ARF", "CoE", "OSCE", "AU", "LAS", "GCC", "OPEC")

# How a membership status reads in prose, and whether it makes a country "a member".
STATUS_WORDS = {"full": "member", "member": "member", "observer": "observer", "associate": "associate member",
                "partner": "partner", "dialogue_partner": "dialogue partner"}
