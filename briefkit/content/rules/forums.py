"""Forums both sides belong to at the brief's date, each side's status said as it is."""
from __future__ import annotations

import pandas as pd

from .. import numbers
from ..claims import say
from ..notes import Ref
from ..settings import STATUS_WORDS
from ..values import Row, Value
from . import rule


def _status(value) -> str:
    return STATUS_WORDS.get(str(value), str(value).replace("_", " "))


def _article(word: str) -> str:
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def _rows(m: pd.Series) -> tuple[Row, ...]:
    out = []
    for side in ("a", "b"):
        key = (("country", m[f"country_{side}"]), ("organisation", m["organisation"]), ("status", m[f"status_{side}"]),
               ("start_year", None if pd.isna(m[f"start_year_{side}"]) else int(m[f"start_year_{side}"])))
        out.append(Row("memberships", key, str(m[f"source_{side}"])))
    return tuple(out)


@rule("forums.members")
def members(f):
    shared = f.shared_memberships()
    both = shared[(shared["status_a"].map(_status) == "member") & (shared["status_b"].map(_status) == "member")]
    if both.empty:
        return None
    names = [f.organisation_name(o) for o in both["organisation"]]
    rows = tuple(r for _, m in both.iterrows() for r in _rows(m))
    refs = tuple(dict.fromkeys(Ref(r.source) for r in rows))
    count = Value(numbers.counted(len(both), "forum", "forums"), refs, number=len(both), unit="count",
                  measure="shared_forums", rows=rows)
    return say("forums.members", a=f.names[f.a], b=f.names[f.b], count=count, listed=numbers.listed(names),
               one=len(both) == 1)


@rule("forums.other_status")
def other_status(f):
    shared = f.shared_memberships()
    mixed = shared[(shared["status_a"].map(_status) != "member") | (shared["status_b"].map(_status) != "member")]
    out = []
    for _, m in mixed.iterrows():
        rows = _rows(m)
        sides = [{"name": f.names[m[f"country_{s}"]], "status": Value(_article(_status(m[f"status_{s}"])), (Ref(r.source),),
                                                                       unit="status", measure="membership", rows=(r,))}
                 for s, r in zip(("a", "b"), rows)]
        words = [_status(m["status_a"]), _status(m["status_b"])]
        sides[0]["same"], sides[0]["plural"] = words[0] == words[1], f"{words[0]}s"
        out.append(say("forums.other_status", organisation=f.organisation_name(m["organisation"]), sides=sides))
    return out or None
