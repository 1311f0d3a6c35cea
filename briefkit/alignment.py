"""UN voting alignment of a pair: the distance between two ideal points, and where it stands among
all pairs of states in the same General Assembly session.

    points = session_points(ideal_points)          # {session: sorted ideal points of every state}
    distances(pair.ideal_points, "PAK", "BLR")     # session, year, both points, distance
    standing(points[78], 0.318)                    # Standing(closer=…, pairs=…): how many pairs are closer

The distance is the absolute difference of the two ideal points (Bailey, Strezhnev and Voeten): the
standard measure of how far apart two states' UN votes place them on one dimension, comparable
across sessions because the model bridges them with repeated resolutions. It is not a measure of
bilateral relations. Ranking a distance among the n(n-1)/2 pairs of a session needs only the points
of that session, kept sorted per session by the package: for ~190 states the ~18,000 differences
are one vectorised subtraction (well under a millisecond), and they are the very differences
`distances` computes, so a pair's own distance ties with itself exactly rather than within rounding.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Standing:
    """A distance among all pairs of one session: `closer` pairs are strictly closer, `tied` equal."""

    distance: float
    closer: int
    tied: int
    pairs: int

    @property
    def rank(self) -> int:
        """1 = the closest pair of the session (ties share the best rank)."""
        return self.closer + 1

    @property
    def share_closer(self) -> float:
        """Share of the session's pairs that are closer than this one (0 = none, the closest)."""
        return self.closer / self.pairs if self.pairs else float("nan")


def session_points(ideal_points: pd.DataFrame) -> dict[int, np.ndarray]:
    """{session: ideal points of every state in it, sorted}: all a ranking needs."""
    frame = ideal_points[["session", "ideal_point"]].dropna()
    return {int(s): np.sort(g["ideal_point"].to_numpy(dtype=float))
            for s, g in frame.groupby("session", sort=True)}


def pair_differences(points: np.ndarray) -> np.ndarray:
    """|p_i - p_j| for every pair i < j of a session's points."""
    points = np.asarray(points, dtype=float)
    upper = np.triu_indices(len(points), k=1)
    return np.abs(points[upper[0]] - points[upper[1]])


def standing(points: np.ndarray, distance: float) -> Standing:
    """Where `distance` stands among all pairs of the session whose ideal points are `points`."""
    differences = pair_differences(points)
    closer = int((differences < distance).sum())
    tied = int((differences == distance).sum())
    return Standing(float(distance), closer, tied, len(differences))


def distances(ideal_points: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """One row per session in which both states have an ideal point: session, year, a, b, distance."""
    cols = ["session", "year", "ideal_point"]
    left = ideal_points.loc[ideal_points["country"] == a, cols]
    right = ideal_points.loc[ideal_points["country"] == b, cols]
    both = left.merge(right, on=["session", "year"], suffixes=("_a", "_b"))
    both = both.rename(columns={"ideal_point_a": a, "ideal_point_b": b})
    both["distance"] = (both[a] - both[b]).abs()
    return both.sort_values("session").reset_index(drop=True)
