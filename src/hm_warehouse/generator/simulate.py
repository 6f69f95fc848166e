"""Week-by-week purchase simulation.

Each week some customers are active (their intensity times the real weekly
volume curve). An active customer fills one or two baskets. Every basket item
is either a re-buy from the customer's own recent history (the same article,
or another colour of the same product) or a new article chosen by taste:
the article's current popularity (launch, peak, decay, product-type season)
times the customer's affinity for its index, colour, pattern and price
(colour and pattern taste, tied to age, are in `taste.py`).
Baskets also pull in the partner piece of a bought article (bought-together
pairs) and sometimes several units of one article (duplicate rows).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from . import config as cfg
from . import taxonomy as tx
from .catalog import Catalog
from .population import Population
from .taste import colour_taste, pattern_taste

HISTORY = 16  # recent purchases kept per customer for re-buys
TASTE_CHUNK = 100_000  # items scored per colour / pattern draw


@dataclass(frozen=True)
class Behaviour:
    """Strength of the behaviours a recommender can learn.

    Calibrated against what the real buyers of a week did before it
    (hm_data_facts.md, "What the buyers of a week did before it"): exact
    re-buys 3.9% of the week's bought pairs, the previous purchase one week
    back for 19.6% of buyers with history, 2.6% of bought items repeating
    the last basket, and the previous week's 12 best sellers 2.8% of the
    week's purchases (see pytests/test_generator.py for the tolerances)."""

    second_basket: float = 0.15  # chance of a second basket in an active week
    global_pick: float = 0.04  # share of new items chosen by popularity alone
    # colour / pattern taste (taste.py): log-multiplier of the 1st, 2nd ... favourite,
    # how flat the favourites are drawn (1 = the sales mix, 0 = uniform), age tilt
    colour_boost: tuple[float, ...] = (2.0, 1.0, 0.5)
    colour_flatten: float = 0.8
    pattern_boost: tuple[float, ...] = (2.0, 1.0)
    pattern_flatten: float = 0.8
    age_taste: float = 1.0  # strength of the age tilt of favourites (0 = none)
    price_width: float = 0.45  # log-price tolerance around the customer's level
    # re-buys favour recent purchases: a purchase `recency_days` older weighs e^-1
    # as much (most re-buys repeat the last basket, some reach far back)
    recency_days: float = 25.0
    same_article: float = 0.45  # a re-buy is the same article (else another colour)
    partner: float = 0.22  # chance a new item brings its bought-together partner
    multi_unit: float = 0.062  # chance a row is bought in several units
    max_attempts: int = 60  # price rejection-sampling rounds before accepting
    # activity multiplier in the week after an active week: having just bought,
    # fewer customers come back at once (real: 19.6% of a week's buyers with
    # history bought the week before)
    refractory: float = 0.8
    # weekly demand shock of each article (campaigns, stock, weather): log-normal
    # with this spread, AR(1) from week to week with this persistence. Last
    # week's best sellers are a noisy guide to this week's, as in the real data
    shock_sigma: float = 0.45
    shock_persistence: float = 0.6


@dataclass
class WeekRows:
    week: int
    customer: np.ndarray  # int32 row of Population
    article: np.ndarray  # int32 row of Catalog
    day: np.ndarray  # int16 day number
    price: np.ndarray  # float64 as written
    channel: np.ndarray  # int8


def _draw(rng: np.random.Generator, items: np.ndarray, weight: np.ndarray, n: int):
    """n draws from items with probability proportional to weight."""
    if n == 0:
        return np.empty(0, dtype=np.int32)
    cum = np.cumsum(weight, dtype=np.float64)
    pick = np.searchsorted(cum, rng.random(n) * cum[-1], side="right")
    return items[np.minimum(pick, len(items) - 1)].astype(np.int32)


def _gumbel(rng: np.random.Generator, shape) -> np.ndarray:
    return -np.log(-np.log(rng.random(shape, dtype=np.float32) + 1e-12) + 1e-12)


class Simulator:
    def __init__(self, catalog: Catalog, people: Population, seed: int,
                 behaviour: Behaviour | None = None):
        self.cat = catalog
        self.pop = people
        self.seed = seed
        self.b = behaviour or Behaviour()
        n = len(people)
        self.hist_art = np.full((n, HISTORY), -1, dtype=np.int32)
        self.hist_day = np.full((n, HISTORY), -10_000, dtype=np.int16)
        self.hist_n = np.zeros(n, dtype=np.int32)
        self.last_active = np.full(n, -10, dtype=np.int16)
        # the demand shocks start from their stationary distribution
        self._shock = np.random.default_rng([seed, 5000]).standard_normal(
            catalog.n_articles).astype(np.float32)
        self._shock_week = -1
        self.index_pref_log = np.log(catalog.index_preferences(people, seed))
        b = self.b
        fav_rng = np.random.default_rng([seed, 7])
        self.colour_taste = colour_taste(fav_rng, people, b.colour_boost, b.colour_flatten,
                                         b.age_taste)
        self.pattern_taste = pattern_taste(fav_rng, people, b.pattern_boost, b.pattern_flatten,
                                           b.age_taste)
        # articles grouped by (index, colour, pattern) bucket, for staged sampling
        self.n_colours, self.n_patterns = len(tx.COLOURS), len(tx.GRAPHICAL_APPEARANCES)
        self.n_buckets = catalog.n_indexes * self.n_colours * self.n_patterns
        bucket = ((catalog.index.astype(np.int64) * self.n_colours + catalog.colour)
                  * self.n_patterns + catalog.pattern)
        self.bucket = bucket
        self.bucket_order = np.argsort(bucket, kind="stable").astype(np.int32)
        sorted_bucket = bucket[self.bucket_order]
        self.bucket_lo = np.searchsorted(sorted_bucket, np.arange(self.n_buckets), "left")
        self.bucket_hi = np.searchsorted(sorted_bucket, np.arange(self.n_buckets), "right")
        self.log_price = catalog.log_price
        self.week_scale = self._weekly_scales()

    def popularity(self, week: int) -> np.ndarray:
        """Demand of every article in a week: its lifecycle and season on the
        middle day, times the week's demand shock (campaigns, stock, weather).
        Shocks follow an AR(1) process per article, drawn once per week in
        order, so the same week always gets the same shocks."""
        days = list(cfg.week_days(week))
        pop = self.cat.popularity(days[len(days) // 2])
        b = self.b
        if b.shock_sigma <= 0:
            return pop
        while self._shock_week < week:
            self._shock_week += 1
            eps = np.random.default_rng([self.seed, 5001 + self._shock_week]).standard_normal(
                self.cat.n_articles).astype(np.float32)
            self._shock = (b.shock_persistence * self._shock
                           + np.sqrt(1 - b.shock_persistence ** 2) * eps)
        return pop * np.exp(b.shock_sigma * self._shock - b.shock_sigma ** 2 / 2)

    # -- activity ---------------------------------------------------------
    def _weekly_scales(self) -> np.ndarray:
        """Per-week intensity multipliers so the number of active customers
        follows the real weekly volume curve, whatever the join pattern.

        Expected actives of week w at multiplier s: the forced first purchases
        plus sum over joined customers of 1 - exp(-rate * s). Rates are binned
        so the solve is cheap at full scale."""
        p = self.pop
        n_weeks = cfg.N_WEEKS + 1
        volume = np.array(cfg.WEEKLY_VOLUME + (cfg.HIDDEN_WEEK_VOLUME,))
        volume[0] *= 6 / 7  # week 0 has six days
        edges = np.linspace(np.log(p.rate.min()) - 1e-6, np.log(p.rate.max()) + 1e-6, 201)
        centre = np.exp((edges[:-1] + edges[1:]) / 2)
        rate_bin = np.clip(np.digitize(np.log(p.rate), edges) - 1, 0, 199)
        joined = np.zeros((n_weeks + 1, 200))
        week = np.clip(p.join_week.astype(np.int64) + 1, 0, n_weeks)
        np.add.at(joined, (week, rate_bin), 1)
        joined = np.cumsum(joined, axis=0)[:n_weeks]  # joined strictly before week w
        forced = np.bincount(np.clip(p.join_week, 0, n_weeks), minlength=n_weeks + 1)[:n_weeks]

        def expected(w: int, s: float) -> float:
            return float((joined[w] * (1 - np.exp(-centre * s))).sum())

        base = sum(expected(w, 1.0) + forced[w] for w in range(n_weeks)) / volume.sum()
        scales = np.zeros(n_weeks)
        for w in range(n_weeks):
            target = base * volume[w] - forced[w]
            if target <= 0 or joined[w].sum() == 0:
                continue
            lo, hi = 0.0, 1.0
            while expected(w, hi) < target and hi < 1e4:
                hi *= 2
            for _ in range(40):
                mid = (lo + hi) / 2
                lo, hi = (mid, hi) if expected(w, mid) < target else (lo, mid)
            scales[w] = (lo + hi) / 2
        return scales

    def _active(self, rng: np.random.Generator, week: int) -> np.ndarray:
        p = self.pop
        prob = 1.0 - np.exp(-p.rate * self.week_scale[week])
        prob = np.where(self.last_active == week - 1, prob * self.b.refractory, prob)
        after = p.join_week < week
        forced = p.join_week == week
        active = np.flatnonzero((after & (rng.random(len(p)) < prob)) | forced).astype(np.int32)
        self.last_active[active] = week
        return active

    # -- item choice ------------------------------------------------------
    def _rebuys(self, rng, cust: np.ndarray, today: np.ndarray) -> np.ndarray:
        days = self.hist_day[cust].astype(np.float32)
        logits = (days - today[:, None]) / self.b.recency_days
        logits[self.hist_art[cust] < 0] = -np.inf
        slot = np.argmax(logits + _gumbel(rng, logits.shape), axis=1)
        art = self.hist_art[cust, slot]
        sibling = rng.random(len(art)) >= self.b.same_article
        return np.where(sibling, self.cat.random_sibling(rng, art), art)

    def _new_items(self, rng, cust: np.ndarray, week_pop: np.ndarray) -> np.ndarray:
        """One new article per entry of `cust` (a customer may repeat).

        Staged sampling of popularity x affinity: the index by the customer's
        index taste; then the colour group, with probability the index's
        current demand in that colour times the customer's colour affinity;
        then the pattern likewise within (index, colour); then the article
        within (index, colour, pattern) by its popularity, accepted by the
        customer's price level (rejection sampling)."""
        cat, b = self.cat, self.b
        out = np.empty(len(cust), dtype=np.int32)
        # by popularity alone
        glob = rng.random(len(cust)) < b.global_pick
        out[glob] = _draw(rng, np.arange(cat.n_articles), week_pop, int(glob.sum()))
        # by taste: the index first
        rest = np.flatnonzero(~glob)
        logits = self.index_pref_log[cust[rest]] + _gumbel(rng, (len(rest), cat.n_indexes))
        index = np.argmax(logits, axis=1)
        mass = np.bincount(self.bucket, weights=week_pop, minlength=self.n_buckets).reshape(
            cat.n_indexes, self.n_colours, self.n_patterns)
        index_mass = mass.sum(axis=(1, 2))
        empty = index_mass[index] <= 0
        out[rest[empty]] = _draw(rng, np.arange(cat.n_articles), week_pop, int(empty.sum()))
        rest, index = rest[~empty], index[~empty]
        c = cust[rest]
        with np.errstate(divide="ignore"):
            log_colour_mass = np.log(mass.sum(axis=2)).astype(np.float32)
            log_mass = np.log(mass).astype(np.float32)
        bucket = np.empty(len(rest), dtype=np.int64)
        for lo in range(0, len(rest), TASTE_CHUNK):  # bounds the (items, values) arrays
            sl = slice(lo, lo + TASTE_CHUNK)
            ix, cc = index[sl], c[sl]
            logits = (log_colour_mass[ix] + self.colour_taste.log_affinity(cc)
                      + _gumbel(rng, (len(cc), self.n_colours)))
            colour = np.argmax(logits, axis=1)
            logits = (log_mass[ix, colour] + self.pattern_taste.log_affinity(cc)
                      + _gumbel(rng, (len(cc), self.n_patterns)))
            pattern = np.argmax(logits, axis=1)
            bucket[sl] = (ix * self.n_colours + colour) * self.n_patterns + pattern
        out[rest] = self._bucket_pick(rng, c, bucket, week_pop)
        return out

    def _bucket_pick(self, rng, cust: np.ndarray, bucket: np.ndarray, week_pop: np.ndarray):
        """An article of each bucket by popularity, accepted by the customer's
        price level; after max_attempts rounds the last proposal stands."""
        b, p = self.b, self.pop
        cum = np.cumsum(week_pop[self.bucket_order], dtype=np.float64)
        lo, hi = self.bucket_lo[bucket], self.bucket_hi[bucket]
        cum_lo = np.where(lo > 0, cum[np.maximum(lo - 1, 0)], 0.0)
        cum_hi = cum[hi - 1]
        width = cum_hi - cum_lo
        top = np.nextafter(cum_hi, -np.inf)  # never land on a trailing unsold article
        out = np.empty(len(cust), dtype=np.int32)
        todo = np.arange(len(cust))
        for attempt in range(b.max_attempts):
            u = np.minimum(cum_lo[todo] + rng.random(len(todo)) * width[todo], top[todo])
            pos = np.clip(np.searchsorted(cum, u, side="right"), lo[todo], hi[todo] - 1)
            prop = self.bucket_order[pos]
            log_acc = -((self.log_price[prop] - p.price_pref[cust[todo]]) ** 2
                        / (2 * b.price_width**2))
            ok = np.log(rng.random(len(todo)) + 1e-12) < log_acc
            if attempt == b.max_attempts - 1:
                ok[:] = True
            out[todo[ok]] = prop[ok]
            todo = todo[~ok]
            if len(todo) == 0:
                break
        return out

    # -- one week -----------------------------------------------------------
    def week(self, week: int) -> WeekRows:
        rng = np.random.default_rng([self.seed, 1000 + week])
        cat, p, b = self.cat, self.pop, self.b
        days = np.array(list(cfg.week_days(week)), dtype=np.int16)
        week_pop = self.popularity(week)

        active = self._active(rng, week)
        n_baskets = 1 + (rng.random(len(active)) < b.second_basket)
        bcust = np.repeat(active, n_baskets)
        weekday = np.array([(cfg.day_to_date(d).weekday()) for d in days])
        day_p = np.array(cfg.WEEKDAY_SHARE)[weekday]
        bday = days[rng.choice(len(days), size=len(bcust), p=day_p / day_p.sum())]
        bchannel = np.where(rng.random(len(bcust)) < p.p_online[bcust], 2, 1).astype(np.int8)

        # distinct items per basket, each a re-buy or a new article
        size = 1 + rng.poisson(p.basket_mean[bcust])
        basket = np.repeat(np.arange(len(bcust)), size)
        icust = bcust[basket]
        iday = bday[basket]
        has_hist = self.hist_n[icust] > 0
        rebuy = has_hist & (rng.random(len(icust)) < p.repurchase[icust])
        art = np.empty(len(icust), dtype=np.int32)
        art[rebuy] = self._rebuys(rng, icust[rebuy], iday[rebuy])
        new = np.flatnonzero(~rebuy)
        art[new] = self._new_items(rng, icust[new], week_pop)

        # bought-together partners of new items
        partner = cat.partner[art[new]]
        add = new[(partner >= 0) & (rng.random(len(new)) < b.partner)]
        basket = np.concatenate([basket, basket[add]])
        art = np.concatenate([art, cat.partner[art[add]]])

        # one row per distinct article per basket, then several units sometimes
        key = basket.astype(np.int64) * (cat.n_articles + 1) + art
        _, first = np.unique(key, return_index=True)
        basket, art = basket[first], art[first]
        units = 1 + (rng.random(len(art)) < b.multi_unit) * rng.geometric(0.6, len(art))
        basket, art = np.repeat(basket, units), np.repeat(art, units)

        cust, day, channel = bcust[basket], bday[basket], bchannel[basket]
        price = cat.price(rng, art, day, channel)
        self._remember(cust, art, day)
        order = np.lexsort((cust, day))
        return WeekRows(week, cust[order], art[order], day[order], price[order], channel[order])

    def _remember(self, cust: np.ndarray, art: np.ndarray, day: np.ndarray) -> None:
        order = np.lexsort((day, cust))
        for c, a, d in ((cust[order], art[order], day[order]),):
            # ring buffer write, one pass per position inside each customer's run
            starts = np.r_[0, np.flatnonzero(np.diff(c)) + 1]
            pos_in_run = np.arange(len(c)) - np.repeat(starts, np.diff(np.r_[starts, len(c)]))
            for k in range(int(pos_in_run.max(initial=-1)) + 1):
                m = pos_in_run == k
                cc = c[m]
                slot = self.hist_n[cc] % HISTORY
                self.hist_art[cc, slot] = a[m]
                self.hist_day[cc, slot] = d[m]
                self.hist_n[cc] += 1

    def run(self) -> Iterator[WeekRows]:
        """Weeks 0 .. N_WEEKS (the last one is the hidden test week)."""
        for week in range(cfg.N_WEEKS + 1):
            yield self.week(week)
