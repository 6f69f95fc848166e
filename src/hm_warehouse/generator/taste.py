"""Customer taste for colour and pattern, tied to age.

Each customer has a few favourite colour groups and favourite patterns
(graphical appearance). When the customer picks a new article, a favourite
multiplies the odds of that colour / pattern by exp(boost): the first
favourite most, the later ones less. Favourites are drawn per customer from
the sales mix, flattened (so not nearly everyone favours Black) and tilted by
age, so taste is personal yet shared by customers of a similar age: exactly
the signal a recommender can learn from a customer's own history and from
their age group, and a popularity list cannot.

The age tilts below are judgement, written to be plausible for H&M's
customers, not figures published about the real data (the published facts
give only the overall mixes):

* younger customers (the Divided audience) lean to black, white and the pale
  neutrals and pastels (off white, light beige, light pink, light blue), to
  plain fabrics, denim, and front / placement prints (graphic tees);
* older customers lean to navy and classic mid and dark colours (blue, dark
  red, dark green, greys, browns, turquoise), and to all-over patterns,
  stripes, checks, lace, embroidery and jacquard knits;
* men rarely pick pinks and purples as favourites and lean to black, navy
  and greys.

Taste must not move the market mix: with favourites boosted, the boosted
colours would sell far above their real share (Black did, 45% against the
real 34.7%). So every colour and pattern also gets one market-wide factor,
solved once (`neutral_log_norm`), that brings the expected mix of taste picks
back to the target: the real transaction colour mix
(`transaction_color_metrics.csv`) and, for patterns, the catalogue's mix.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import taxonomy as tx
from .population import Population

# log-odds tilt of a value being a favourite at the young end of the age axis
# (age <= 25: +1 x tilt) and at the old end (age >= 51: -1 x tilt); linear in
# between, zero for unknown ages. Values not listed have no age tilt.
COLOUR_AGE_TILT: dict[str, float] = {
    # young: black and white basics, pale neutrals and pastels
    "Black": 0.3, "White": 0.4, "Off White": 0.5, "Light Beige": 0.7, "Beige": 0.4,
    "Light Pink": 0.7, "Light Blue": 0.5, "Light Grey": 0.3, "Light Purple": 0.6,
    "Greenish Khaki": 0.3, "Light Green": 0.3, "Light Yellow": 0.3, "Transparent": 0.3,
    # old: navy, classic mid and dark colours, brights
    "Dark Blue": -0.8, "Blue": -0.4, "Red": -0.6, "Dark Red": -0.7, "Dark Green": -0.6,
    "Grey": -0.3, "Dark Grey": -0.5, "Yellowish Brown": -0.5, "Dark Beige": -0.4,
    "Turquoise": -0.6, "Dark Turquoise": -0.6, "Pink": -0.3, "Dark Pink": -0.5,
    "Orange": -0.3, "Dark Orange": -0.4, "Yellow": -0.2, "Green": -0.4, "Purple": -0.4,
    "Dark Purple": -0.6, "Gold": -0.3,
}
PATTERN_AGE_TILT: dict[str, float] = {
    # young: plain, denim, graphic prints, washes and shine
    "Solid": 0.3, "Denim": 0.7, "Front print": 0.8, "Placement print": 0.5,
    "Colour blocking": 0.3, "Glittering/Metallic": 0.3, "Treatment": 0.4, "Mesh": 0.3,
    # old: all-over patterns, stripes, checks, lace, embroidery, knits
    "All over pattern": -0.7, "Stripe": -0.4, "Check": -0.3, "Lace": -0.5,
    "Embroidery": -0.6, "Jacquard": -0.6, "Dot": -0.5, "Melange": -0.2,
    "Mixed solid/pattern": -0.3, "Other pattern": -0.3, "Argyle": -0.5, "Chambray": -0.2,
}
# men: log-odds tilt of a colour being a favourite
MALE_COLOUR_TILT: dict[str, float] = {
    "Black": 0.4, "Dark Blue": 0.6, "Grey": 0.3, "Dark Grey": 0.5, "Greenish Khaki": 0.4,
    "Light Pink": -1.5, "Pink": -1.5, "Dark Pink": -1.5, "Other Pink": -1.5,
    "Light Purple": -1.0, "Purple": -1.0, "Other Purple": -1.0, "Gold": -0.8,
}
AGE_AXIS_CENTRE = 38.0  # age with no tilt
AGE_AXIS_HALF_WIDTH = 13.0  # full tilt at 25 and below, full opposite tilt at 51 and above


def age_axis(age: np.ndarray) -> np.ndarray:
    """+1 for the young, -1 for the old, linear in between; 0 for unknown ages."""
    a = np.clip((AGE_AXIS_CENTRE - age.astype(np.float32)) / AGE_AXIS_HALF_WIDTH, -1.0, 1.0)
    return np.where(age < 0, 0.0, a).astype(np.float32)


def _tilt(names: list[str], table: dict[str, float]) -> np.ndarray:
    unknown = set(table) - set(names)
    if unknown:
        raise ValueError(f"taste tilt names not in the taxonomy: {sorted(unknown)}")
    return np.array([table.get(n, 0.0) for n in names], dtype=np.float32)


@dataclass
class Taste:
    """Favourite values of one attribute (colour group or pattern) per customer."""

    favourite: np.ndarray  # (customers, k) int8 positions in the taxonomy table
    boost: np.ndarray  # (k,) float32 log-multiplier of the 1st, 2nd ... favourite
    log_norm: np.ndarray  # (values,) float32 market-wide factor keeping the mix

    def log_affinity(self, cust: np.ndarray) -> np.ndarray:
        """(len(cust), values) log-multipliers of each value for each customer."""
        out = np.broadcast_to(self.log_norm, (len(cust), len(self.log_norm))).copy()
        fav = self.favourite[cust].astype(np.int64)
        rows = np.arange(len(cust))
        for j, b in enumerate(self.boost):  # favourites are distinct, so += is exact
            out[rows, fav[:, j]] += b
        return out


def draw_favourites(rng: np.random.Generator, base: np.ndarray, tilt: np.ndarray,
                    k: int) -> np.ndarray:
    """k distinct favourites per row: Gumbel top-k over log(base) + tilt.

    base: (values,) share; tilt: (customers, values) log-odds tilt."""
    n, v = tilt.shape
    out = np.empty((n, k), dtype=np.int8)
    step = 200_000  # bound the (rows, values) temporaries at full scale
    for lo in range(0, n, step):
        hi = min(n, lo + step)
        g = (np.log(base)[None, :] + tilt[lo:hi]
             - np.log(-np.log(rng.random((hi - lo, v)) + 1e-12) + 1e-12))
        out[lo:hi] = np.argsort(-g, axis=1)[:, :k]
    return out


def neutral_log_norm(favourite: np.ndarray, boost: np.ndarray, mass: np.ndarray,
                     target: np.ndarray, iterations: int = 300) -> np.ndarray:
    """Market-wide log factors f so that customers choosing with probability
    proportional to mass x exp(f + favourite boosts) buy, on average, the
    target mix. `favourite` is a sample of customers (every customer weighs
    the same: taste is drawn independently of activity)."""
    n, v = len(favourite), len(mass)
    boosts = np.zeros((n, v))
    rows = np.arange(n)
    for j, b in enumerate(boost):
        boosts[rows, favourite[:, j].astype(np.int64)] += b
    log_mass = np.log(mass)
    f = np.zeros(v)
    for _ in range(iterations):
        logit = log_mass[None, :] + f[None, :] + boosts
        p = np.exp(logit - logit.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        f += np.log(target) - np.log(p.mean(axis=0))
        f -= f.max()
    return f.astype(np.float32)


def _make(rng: np.random.Generator, people: Population, share: np.ndarray,
          age_tilt: np.ndarray, male_tilt: np.ndarray | None, boost, flatten: float,
          age_strength: float) -> Taste:
    """Favourites drawn from share**flatten tilted by age (and sex), plus the
    market factors that keep the mix of taste picks at `share`."""
    tilt = (age_axis(people.age) * age_strength)[:, None] * age_tilt[None, :]
    if male_tilt is not None:
        tilt = tilt + people.is_male[:, None] * male_tilt[None, :]
    boost = np.asarray(boost, dtype=np.float32)
    fav = draw_favourites(rng, share**flatten, tilt.astype(np.float32), len(boost))
    sample = np.random.default_rng(0).choice(len(people), min(len(people), 40_000),
                                             replace=False)
    log_norm = neutral_log_norm(fav[np.sort(sample)], boost, share, share)
    return Taste(favourite=fav, boost=boost, log_norm=log_norm)


def colour_taste(rng: np.random.Generator, people: Population, boost, flatten: float,
                 age_strength: float = 1.0) -> Taste:
    """Favourite colour groups; the market mix stays the real transaction mix."""
    names = [c.colour_group_name for c in tx.COLOURS]
    share = np.array([c.sales_share for c in tx.COLOURS], dtype=np.float64)
    return _make(rng, people, share / share.sum(), _tilt(names, COLOUR_AGE_TILT),
                 _tilt(names, MALE_COLOUR_TILT), boost, flatten, age_strength)


def pattern_taste(rng: np.random.Generator, people: Population, boost, flatten: float,
                  age_strength: float = 1.0) -> Taste:
    """Favourite patterns; the market mix stays the catalogue's pattern mix."""
    names = [g.graphical_appearance_name for g in tx.GRAPHICAL_APPEARANCES]
    share = np.array([g.article_share for g in tx.GRAPHICAL_APPEARANCES], dtype=np.float64)
    return _make(rng, people, share / share.sum(), _tilt(names, PATTERN_AGE_TILT), None,
                 boost, flatten, age_strength)
