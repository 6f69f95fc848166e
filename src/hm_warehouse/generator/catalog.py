"""Articles: the product hierarchy written to articles.csv and the hidden
life of each article (launch, peak, decay, seasonality, appeal, price)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import config as cfg
from . import taxonomy as tx
from .population import Population

ARTICLES_PER_PRODUCT = 105_542 / 47_224
LIFECYCLE_RAMP_DAYS = 10.0
# log-normal spread of appeal (popularity at peak) of products and of their colour
# variants: sets how concentrated sales are on bestsellers (the real 12 / 50 / 200
# best-selling articles hold 1.04% / 2.94% / 7.07% of all transactions,
# top_article_transactions.csv)
PRODUCT_APPEAL_SIGMA = 0.72
ARTICLE_APPEAL_SIGMA = 0.5


def _shares(values) -> np.ndarray:
    a = np.asarray(values, dtype=float)
    return a / a.sum()


@dataclass
class Catalog:
    """One row per article, in the order of articles.csv (sorted by id)."""

    table: pd.DataFrame  # the 25 articles.csv columns, already formatted as text
    product: np.ndarray  # int32 product row of each article
    product_start: np.ndarray  # int32 first article row of each product
    product_size: np.ndarray  # int32 number of articles of each product
    index: np.ndarray  # int8 position in taxonomy.INDEXES
    ptype: np.ndarray  # int16 position in taxonomy.PRODUCT_TYPES
    colour: np.ndarray  # int8 position in taxonomy.COLOURS
    pattern: np.ndarray  # int8 position in taxonomy.GRAPHICAL_APPEARANCES
    base_price: np.ndarray  # float32 full price in SEK
    launch_day: np.ndarray  # int16 day number of launch (may precede the data)
    decay_days: np.ndarray  # float32 e-folding time of demand after the peak
    appeal: np.ndarray  # float32 popularity at peak
    partner: np.ndarray  # int32 article often bought with this one, -1 none

    @property
    def n_articles(self) -> int:
        return len(self.product)

    @property
    def n_indexes(self) -> int:
        return len(tx.INDEXES)

    @property
    def log_price(self) -> np.ndarray:
        return np.log(self.base_price)

    @property
    def index_members(self) -> list[np.ndarray]:
        if not hasattr(self, "_members"):
            self._members = [np.flatnonzero(self.index == i) for i in range(self.n_indexes)]
        return self._members

    def popularity(self, day: int) -> np.ndarray:
        """Demand of every article on a day: appeal x lifecycle x season."""
        age = float(day) - self.launch_day
        ramp = np.clip((age + 1.0) / LIFECYCLE_RAMP_DAYS, 0.0, 1.0)
        decay = np.exp(-np.maximum(age - LIFECYCLE_RAMP_DAYS, 0.0) / self.decay_days)
        life = np.where(age >= 0, ramp * decay, 0.0)
        life[life < 2e-3] = 0.0  # sold out / not yet launched
        week_of_year = cfg.day_to_date(day).isocalendar()[1]
        return (self.appeal * life * _season(week_of_year)[self.ptype]).astype(np.float64)

    def random_sibling(self, rng: np.random.Generator, art: np.ndarray) -> np.ndarray:
        """Another colour of the same product (the article itself if it has none)."""
        prod = self.product[art]
        size = self.product_size[prod]
        offset = (art - self.product_start[prod] + 1 + rng.integers(0, 1 << 30, len(art))
                  % np.maximum(size - 1, 1)) % size
        return np.where(size > 1, self.product_start[prod] + offset, art).astype(np.int32)

    def index_preferences(self, people: Population, seed: int) -> np.ndarray:
        """Each customer's taste over the 10 indexes: a Dirichlet draw around the
        sales mix, tilted by age (Divided young, children's wear for parents)."""
        rng = np.random.default_rng([seed, 11])
        base = np.array([i.sales_share for i in tx.INDEXES])
        age = np.where(people.age < 0, 32, people.age).astype(np.float32)[:, None]
        aud = np.array([i.audience for i in tx.INDEXES])[None, :]
        male = people.is_male[:, None]
        mult = np.ones((len(people), len(base)), dtype=np.float32)
        mult = np.where(aud == "teen", np.where(age < 25, 2.5, np.where(age < 35, 1.0, 0.35)), mult)
        mult = np.where(aud == "kids", np.where((age >= 26) & (age <= 45), 2.5, 0.5), mult)
        mult = np.where(aud == "men", np.where(male, 25.0, 0.6), mult)
        mult = np.where((aud == "women") & male, 0.08, mult)
        alpha = 2.0 * base[None, :] * mult / (base[None, :] * mult).sum(1, keepdims=True)
        g = rng.gamma(alpha.astype(np.float64)) + 1e-9
        return (g / g.sum(1, keepdims=True)).astype(np.float32)

    def price(self, rng, art: np.ndarray, day: np.ndarray, channel: np.ndarray) -> np.ndarray:
        """Price paid: full price, or a markdown for older articles; ends in .99 SEK."""
        age = day.astype(np.float32) - self.launch_day[art]
        week = cfg.day_to_week(day.astype(np.int64))
        h = (art.astype(np.int64) * 2_654_435_761 + week * 97) % 1000 / 1000.0
        markdown = h < np.clip(age / 250.0, 0.0, 0.55)
        factor = np.where(markdown, np.where(h < 0.2, 0.5, 0.7), 1.0)
        factor = np.where((channel == 1) & (h > 0.9), factor * 0.9, factor)  # store offers
        sek = np.maximum(np.round(self.base_price[art] * factor), 1.0) - 0.01
        return sek / cfg.PRICE_DIVISOR


def _season(week_of_year: int) -> np.ndarray:
    peak = np.array([t.season_peak_week or 0 for t in tx.PRODUCT_TYPES], dtype=float)
    amp = np.array([t.season_amplitude if t.season_peak_week else 0.0 for t in tx.PRODUCT_TYPES])
    return 1.0 + amp * np.cos(2 * np.pi * (week_of_year - peak) / 52.0)


def _type_choice_by_index() -> list[np.ndarray]:
    """Per index, the probability of each product type (audience must match)."""
    share = np.array([t.article_share for t in tx.PRODUCT_TYPES])
    out = []
    for ix in tx.INDEXES:
        ok = np.array([ix.audience in t.audiences for t in tx.PRODUCT_TYPES])
        p = np.where(ok, share, 0.0)
        out.append(p / p.sum())
    return out


def _product_names(rng: np.random.Generator, n: int) -> np.ndarray:
    words = np.array(tx.PRODUCT_NAME_WORDS)
    first = words[rng.integers(0, len(words), n)]
    second = words[rng.integers(0, len(words), n)]
    two = rng.random(n) < 0.6
    return np.where(two, np.char.add(np.char.add(first, " "), second), first)


def make_catalog(rng: np.random.Generator, n_articles: int) -> Catalog:
    n_products = max(1, round(n_articles / ARTICLES_PER_PRODUCT))
    # variants per product: at least one; geometric tail; total exactly n_articles
    extra = rng.geometric(1 / ARTICLES_PER_PRODUCT, n_products) - 1
    size = 1 + extra
    while size.sum() > n_articles:
        big = np.flatnonzero(size > 1)
        size[rng.choice(big, min(len(big), size.sum() - n_articles), replace=False)] -= 1
    while size.sum() < n_articles:
        size[rng.choice(n_products, min(n_products, n_articles - size.sum()), replace=False)] += 1

    # product-level attributes, consistent hierarchy
    p_index = rng.choice(len(tx.INDEXES), n_products,
                         p=_shares([i.article_share for i in tx.INDEXES]))
    type_p = _type_choice_by_index()
    p_type = np.empty(n_products, dtype=np.int16)
    p_section = np.empty(n_products, dtype=np.int32)
    p_dept = np.empty(n_products, dtype=np.int32)
    for i, ix in enumerate(tx.INDEXES):
        m = np.flatnonzero(p_index == i)
        p_type[m] = rng.choice(len(tx.PRODUCT_TYPES), len(m), p=type_p[i])
        secs = [k for k, s in enumerate(tx.SECTIONS) if s.index_code == ix.index_code]
        p_section[m] = np.array(secs)[
            rng.choice(len(secs), len(m), p=_shares([tx.SECTIONS[k].article_share for k in secs]))
        ]
    dept_by_section: dict[int, list[int]] = {}
    for k, d in enumerate(tx.DEPARTMENTS):
        dept_by_section.setdefault(d.section_no, []).append(k)
    for j in range(n_products):  # a department of the section, of the type's garment group
        cands = dept_by_section[tx.SECTIONS[p_section[j]].section_no]
        gg = tx.PRODUCT_TYPES[p_type[j]].garment_group_no
        same = [k for k in cands if tx.DEPARTMENTS[k].garment_group_no == gg]
        pool = same or cands
        p_dept[j] = pool[rng.integers(0, len(pool))]
    p_pattern = rng.choice(len(tx.GRAPHICAL_APPEARANCES), n_products,
                           p=_shares([g.article_share for g in tx.GRAPHICAL_APPEARANCES]))
    type_price = np.array([t.base_price for t in tx.PRODUCT_TYPES]) * cfg.PRICE_DIVISOR
    p_price = np.maximum(np.round(type_price[p_type] * np.exp(rng.normal(0, 0.3, n_products))), 3)
    # launches: a back catalogue before the data starts, then a steady flow,
    # including launches in the hidden week (articles never sold before it)
    p_launch = np.where(rng.random(n_products) < 0.2,
                        rng.integers(-240, 0, n_products),
                        rng.integers(0, cfg.N_DAYS + 7, n_products)).astype(np.int16)
    basic = rng.random(n_products) < 0.08
    # e-folding time of demand after the peak: a season for fashion items (median
    # 44 days), longer for basics; short lives concentrate a week's sales on the
    # articles at their peak (the previous week's 12 best sellers are 2.8% of a
    # week's purchases, hm_data_facts.md)
    p_decay = np.where(basic, rng.uniform(80, 220, n_products),
                       np.exp(rng.normal(np.log(44), 0.6, n_products)))
    type_mult = np.array([t.sales_share / t.article_share for t in tx.PRODUCT_TYPES])
    p_appeal = np.exp(rng.normal(0, PRODUCT_APPEAL_SIGMA, n_products)) * type_mult[p_type]
    p_names = _product_names(rng, n_products)
    group_names = [t.product_group_name for t in tx.PRODUCT_TYPES]
    templates = [tx.DETAIL_DESC_TEMPLATES[group_names[t]] for t in p_type]
    p_desc = np.array([opts[rng.integers(0, len(opts))] for opts in templates], dtype=object)
    p_desc[rng.random(n_products) < 416 / 47_224] = ""
    p_code = np.sort(rng.choice(np.arange(108_775, 959_462), n_products, replace=False))

    # articles: colour variants of each product
    product = np.repeat(np.arange(n_products, dtype=np.int32), size)
    start = np.r_[0, np.cumsum(size)[:-1]].astype(np.int32)
    pos = np.arange(n_articles) - np.repeat(start, size)
    colour_share = _shares([c.article_share for c in tx.COLOURS])
    colour = rng.choice(len(tx.COLOURS), n_articles, p=colour_share).astype(np.int8)
    variant_no = np.empty(n_articles, dtype=np.int64)
    steps = rng.integers(1, 12, n_articles)
    steps[pos == 0] = rng.integers(1, 3, int((pos == 0).sum()))
    cum = np.cumsum(steps)
    variant_no = cum - np.repeat(cum[start] - steps[start], size)
    variant_no = np.minimum(variant_no, 999)
    pattern = p_pattern[product].copy()
    other = rng.random(n_articles) < 0.1
    pattern[other] = rng.choice(len(tx.GRAPHICAL_APPEARANCES), int(other.sum()),
                                p=_shares([g.article_share for g in tx.GRAPHICAL_APPEARANCES]))
    colour_mult = np.array([c.sales_share / c.article_share for c in tx.COLOURS])
    appeal = (p_appeal[product] * np.exp(rng.normal(0, ARTICLE_APPEAL_SIGMA, n_articles))
              * colour_mult[colour]).astype(np.float32)
    launch = p_launch[product] + np.where(rng.random(n_articles) < 0.15,
                                          rng.integers(7, 90, n_articles), 0)
    partner = _partners(rng, product, start, size, colour, p_index, p_type, p_launch)

    table = _articles_table(p_code, variant_no, product, p_names, p_type, p_pattern,
                            pattern, colour, p_dept, p_desc, pos)
    return Catalog(
        table=table, product=product, product_start=start, product_size=size.astype(np.int32),
        index=p_index[product].astype(np.int8), ptype=p_type[product], colour=colour,
        pattern=pattern.astype(np.int8), base_price=p_price[product].astype(np.float32),
        launch_day=launch.astype(np.int16), decay_days=p_decay[product].astype(np.float32),
        appeal=appeal, partner=partner,
    )


def _partners(rng, product, start, size, colour, p_index, p_type, p_launch) -> np.ndarray:
    """Bought-together pairs: a product is paired with one launched near it in the
    same index but another product group (top + bottom, bikini top + bottom ...)."""
    n_products = len(start)
    group = np.array([tx.PRODUCT_TYPES[t].product_group_name for t in p_type])
    month = (p_launch.astype(np.int32) + 400) // 45
    p_partner = np.full(n_products, -1, dtype=np.int64)
    key = p_index.astype(np.int64) * 10_000 + month
    order = np.argsort(key, kind="stable")
    bounds = np.r_[0, np.flatnonzero(np.diff(key[order])) + 1, len(order)]
    for lo, hi in itertools.pairwise(bounds):
        members = order[lo:hi]
        if len(members) < 2:
            continue
        cand = rng.permutation(members)
        for j in members[rng.random(len(members)) < 0.45]:
            other = cand[group[cand] != group[j]]
            if len(other):
                p_partner[j] = other[rng.integers(0, len(other))]
    # article level: the partner's variant in the same colour, else its first
    partner = np.full(len(product), -1, dtype=np.int32)
    for a in np.flatnonzero(p_partner[product] >= 0):
        q = p_partner[product[a]]
        variants = np.arange(start[q], start[q] + size[q])
        same = variants[colour[variants] == colour[a]]
        partner[a] = same[0] if len(same) else variants[0]
    return partner


def _articles_table(p_code, variant_no, product, p_names, p_type, p_pattern, pattern,
                    colour, p_dept, p_desc, pos) -> pd.DataFrame:
    t = [tx.PRODUCT_TYPES[i] for i in p_type[product]]
    g = [tx.GRAPHICAL_APPEARANCES[i] for i in pattern]
    c = [tx.COLOURS[i] for i in colour]
    d = [tx.DEPARTMENTS[i] for i in p_dept[product]]
    sections = {s.section_no: s for s in tx.SECTIONS}
    indexes = {i.index_code: i for i in tx.INDEXES}
    groups = {g_.index_group_no: g_ for g_ in tx.INDEX_GROUPS}
    garments = {x.garment_group_no: x for x in tx.GARMENT_GROUPS}
    s = [sections[x.section_no] for x in d]
    ix = [indexes[x.index_code] for x in s]
    names = p_names[product].astype(object)
    # some later variants carry a "(1)" suffix, as in the real file
    suffix = (pos > 0) & (variant_no % 5 == 1)
    names = np.where(suffix, names + " (1)", names)
    code = p_code[product]
    return pd.DataFrame({
        "article_id": [f"{pc:07d}{v:03d}" for pc, v in zip(code, variant_no)],
        "product_code": [f"{pc:07d}" for pc in code],
        "prod_name": names,
        "product_type_no": [x.product_type_no for x in t],
        "product_type_name": [x.product_type_name for x in t],
        "product_group_name": [x.product_group_name for x in t],
        "graphical_appearance_no": [x.graphical_appearance_no for x in g],
        "graphical_appearance_name": [x.graphical_appearance_name for x in g],
        "colour_group_code": [f"{x.colour_group_code:02d}" for x in c],
        "colour_group_name": [x.colour_group_name for x in c],
        "perceived_colour_value_id": [x.perceived_colour_value_id for x in c],
        "perceived_colour_value_name": [x.perceived_colour_value_name for x in c],
        "perceived_colour_master_id": [x.perceived_colour_master_id for x in c],
        "perceived_colour_master_name": [x.perceived_colour_master_name for x in c],
        "department_no": [x.department_no for x in d],
        "department_name": [x.department_name for x in d],
        "index_code": [x.index_code for x in ix],
        "index_name": [x.index_name for x in ix],
        "index_group_no": [x.index_group_no for x in ix],
        "index_group_name": [groups[x.index_group_no].index_group_name for x in ix],
        "section_no": [x.section_no for x in s],
        "section_name": [x.section_name for x in s],
        "garment_group_no": [x.garment_group_no for x in d],
        "garment_group_name": [garments[x.garment_group_no].garment_group_name for x in d],
        "detail_desc": p_desc[product],
    })
