"""Customers: the attributes written to customers.csv and the hidden traits
(activity, taste, price level, channel) that drive their purchases."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import config as cfg

# age buckets of the real customers.csv (age_bucket_metrics.csv): (lo, hi, share)
# share of customers who shop from the start (the rest join at a steady rate,
# each making a first purchase in the week they join): sets the share of a
# week's buyers without history (real: 8.1% of buyers, 7.8% of bought items)
EXISTING_SHARE = 0.55
# log-normal weekly activity intensity: mean and spread of log(rate)
RATE_LOG_MEAN, RATE_LOG_SIGMA = -3.4, 1.6
# re-buy propensity of each item: Beta(a, b), mean 5.6% (real: exact re-buys
# are 3.9% of a week's bought pairs, 4.7% of all purchases)
REPURCHASE_BETA = (1.2, 20.3)

AGE_BUCKETS = ((16, 19, 0.052175), (20, 29, 0.385106), (30, 39, 0.170606),
               (40, 49, 0.148776), (50, 59, 0.164902), (60, 99, 0.066874))


@dataclass
class Population:
    """One row per customer, in the order of customers.csv (sorted by id)."""

    customer_id: np.ndarray  # S64 lowercase hex
    age: np.ndarray  # int16, -1 = unknown
    fn: np.ndarray  # bool
    active: np.ndarray  # bool
    club_member_status: np.ndarray  # U10, '' = unknown
    fashion_news_frequency: np.ndarray  # U9, '' = unknown
    postal_code: np.ndarray  # S64
    # hidden traits
    join_week: np.ndarray  # int16: week of the first purchase; > N_WEEKS never buys
    rate: np.ndarray  # float32: weekly activity intensity
    basket_mean: np.ndarray  # float32: extra distinct articles per basket
    repurchase: np.ndarray  # float32: probability an item is a re-buy from history
    p_online: np.ndarray  # float32
    price_pref: np.ndarray  # float32, log SEK
    is_male: np.ndarray  # bool

    def __len__(self) -> int:
        return len(self.customer_id)


def hex_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    """n distinct, sorted, 64-character lowercase hex ids."""
    raw = np.frombuffer(rng.bytes(32 * n), dtype="S32")
    hexed = np.frombuffer(raw.tobytes().hex().encode(), dtype="S64")
    ids = np.unique(hexed)
    while len(ids) < n:  # collisions are astronomically unlikely; stay exact anyway
        ids = np.unique(np.concatenate([ids, hex_ids(rng, n - len(ids))]))
    return ids


def sample_ages(rng: np.random.Generator, n: int) -> np.ndarray:
    """Bimodal age (peak early 20s, second near 52), bucket shares of the real file."""
    shares = np.array([b[2] for b in AGE_BUCKETS])
    bucket = rng.choice(len(AGE_BUCKETS), size=n, p=shares / shares.sum())
    age = np.empty(n, dtype=np.int16)
    for b, (lo, hi, _) in enumerate(AGE_BUCKETS):
        m = bucket == b
        k = int(m.sum())
        if lo == 20:  # peak at 22-25
            a = np.clip(np.round(rng.gamma(3.0, 1.6, k) + 19.5), lo, hi)
        elif lo == 50:  # second peak near 52
            a = np.clip(np.round(rng.gamma(2.0, 2.5, k) + 49.5), lo, hi)
        elif lo == 60:
            a = np.clip(np.round(rng.exponential(6.0, k) + 60), lo, hi)
        else:
            a = rng.integers(lo, hi + 1, k)
        age[m] = a
    return age


def _categorical(rng: np.random.Generator, pairs, n: int) -> np.ndarray:
    values = np.array([p[0] for p in pairs])
    p = np.array([p[1] for p in pairs], dtype=float)
    return values[rng.choice(len(values), size=n, p=p / p.sum())]


def make_population(rng: np.random.Generator, n: int) -> Population:
    ids = hex_ids(rng, n)
    age = sample_ages(rng, n)
    age[rng.random(n) < cfg.AGE_NULL_SHARE] = -1

    # newsletter and activity flags: FN and Active come together with "Regularly"
    news = _categorical(rng, cfg.FASHION_NEWS, n)
    if n > 1000:  # the real file has exactly two customers spelled 'None'
        news[rng.choice(np.flatnonzero(news == "NONE"), 2, replace=False)] = "None"
    regular = news == "Regularly"
    fn = np.where(regular, rng.random(n) < 0.985, rng.random(n) < 0.03)
    active = np.where(fn, rng.random(n) < 0.975, rng.random(n) < 0.01)
    club = _categorical(rng, cfg.CLUB_STATUS, n)

    # postal codes: one placeholder holds ~8.8%; the rest zipf-like small clusters
    n_codes = max(2, int(n * cfg.POSTAL_CODES_PER_CUSTOMER))
    codes = hex_ids(rng, n_codes)
    weights = 1.0 / np.arange(1, n_codes) ** 0.35
    postal = codes[1:][rng.choice(n_codes - 1, size=n, p=weights / weights.sum())]
    postal[rng.random(n) < cfg.PLACEHOLDER_POSTAL_SHARE] = codes[0]

    # activity: heavy-tailed weekly intensity; an existing base plus a steady inflow
    rate = np.exp(rng.normal(RATE_LOG_MEAN, RATE_LOG_SIGMA, n)).astype(np.float32)
    # existing customers make their first purchase early; newcomers join steadily
    existing = rng.random(n) < EXISTING_SHARE
    first_early = np.minimum(rng.geometric(1 / 12, n) - 1, cfg.N_WEEKS)
    join = np.where(existing, first_early, rng.integers(0, cfg.N_WEEKS + 1, n)).astype(np.int16)
    # customers who first buy in the hidden week also never bought before it
    never = rng.random(n) < cfg.NEVER_BOUGHT_SHARE - (~existing).mean() / (cfg.N_WEEKS + 1)
    join[never] = cfg.N_WEEKS + 2

    # basket size, re-buy propensity and channel preference
    basket_mean = rng.gamma(1.4, 1.0, n).astype(np.float32)
    repurchase = rng.beta(*REPURCHASE_BETA, n).astype(np.float32)
    p_online = rng.beta(1.1, 0.46, n).astype(np.float32)
    known_age = np.where(age < 0, 32, age)
    price_pref = (np.log(17.0) + 0.006 * (known_age - 32) + rng.normal(0, 0.3, n)).astype(
        np.float32
    )
    is_male = rng.random(n) < 0.09

    return Population(
        customer_id=ids, age=age, fn=fn, active=active, club_member_status=club,
        fashion_news_frequency=news, postal_code=postal, join_week=join,
        rate=rate, basket_mean=basket_mean,
        repurchase=repurchase, p_online=p_online, price_pref=price_pref, is_male=is_male,
    )
