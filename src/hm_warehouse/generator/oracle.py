"""The ceiling: each buyer's most likely articles under the generator's own model.

The simulator draws every purchase from probabilities it knows. As of the
cutoff (the state after the last week of data, before the hidden week) the
oracle computes, for a set of customers, the expected number of times each
article is bought in the hidden week *given that the customer shops that
week*, and keeps the best `k`. No model that sees only the data can know
more than this: the customers' hidden traits (taste, price level, re-buy
propensity), every article's demand that week (launches included) and the
exact mixture the simulator draws from. Its MAP@12 on the hidden week is the
ceiling of what any recommender can expect to score on the data.

The expected counts follow `Simulator.week` term by term: re-buys (the same
article or a sibling, weighted by the recency of each remembered purchase),
new items (popularity alone, or by taste: index, then colour, then pattern,
then the article within its bucket by popularity times price acceptance) and
the bought-together partners of new items. Basket counts and sizes scale all
of a customer's articles alike and do not change the order.
"""

from __future__ import annotations

import multiprocessing

import numpy as np
import scipy.sparse as sp

from . import config as cfg
from .simulate import Simulator

CHUNK = 512  # customers per block of (customers x articles on sale) arrays


def _log_softmax(logits: np.ndarray, axis: int) -> np.ndarray:
    """log softmax along `axis`; an all -inf slice stays -inf."""
    top = np.max(logits, axis=axis, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return logits - top - np.log(np.exp(logits - top).sum(axis=axis, keepdims=True))


class Oracle:
    """The simulator's purchase probabilities for one week, from its state now."""

    def __init__(self, sim: Simulator, week: int):
        self.sim = sim
        cat = sim.cat
        days = np.array(list(cfg.week_days(week)), dtype=np.int16)
        self.today = float(days.mean())
        week_pop = sim.popularity(week)
        self.active = np.flatnonzero(week_pop > 0)  # articles on sale
        self.pop = week_pop[self.active]
        self.log_pop = np.log(self.pop).astype(np.float32)
        self.bucket = sim.bucket[self.active]
        self.log_price = sim.log_price[self.active].astype(np.float32)
        n_active = len(self.active)
        self.to_bucket = sp.csr_matrix(
            (np.ones(n_active, dtype=np.float32), (np.arange(n_active), self.bucket)),
            shape=(n_active, sim.n_buckets))
        mass = np.bincount(sim.bucket, weights=week_pop, minlength=sim.n_buckets).reshape(
            cat.n_indexes, sim.n_colours, sim.n_patterns)
        with np.errstate(divide="ignore"):
            self.log_colour_mass = np.log(mass.sum(axis=2))
            self.log_mass = np.log(mass)
        self.glob = (self.pop / self.pop.sum()).astype(np.float32)
        position = np.full(cat.n_articles, -1, dtype=np.int64)
        position[self.active] = np.arange(n_active)
        # new item x -> its partner (both on sale)
        partner = cat.partner[self.active]
        partner_pos = np.where(partner >= 0, position[np.maximum(partner, 0)], -1)
        keep = np.flatnonzero(partner_pos >= 0)
        # (source, partner) column pairs in layers where no partner column
        # repeats, so each layer is one vectorised `+=`
        order = np.argsort(partner_pos[keep], kind="stable")
        src, dst = keep[order], partner_pos[keep][order]
        first = np.r_[0, np.flatnonzero(np.diff(dst)) + 1]
        occurrence = np.arange(len(dst)) - np.repeat(first, np.diff(np.r_[first, len(dst)]))
        self.partner_layers = [(src[occurrence == j], dst[occurrence == j])
                               for j in range(int(occurrence.max(initial=-1)) + 1)]
        self.rebuy = self._rebuy_matrix(position)
        # the remembered purchases as of now: the week itself must not leak in
        self.hist_art = sim.hist_art.copy()
        self.hist_day = sim.hist_day.copy()
        self.hist_n = sim.hist_n.copy()
        self.to_bucket_t = self.to_bucket.T.tocsr()

    def _rebuy_matrix(self, position: np.ndarray) -> sp.csr_matrix:
        """(all articles x articles on sale): where a re-buy of a remembered
        article lands: itself, or another colour of its product."""
        cat, same = self.sim.cat, self.sim.b.same_article
        size = cat.product_size[cat.product]
        start = cat.product_start[cat.product]
        rows = np.repeat(np.arange(cat.n_articles), size)
        offset = np.arange(len(rows)) - np.repeat(np.cumsum(size) - size, size)
        cols = np.repeat(start, size) + offset
        weight = np.where(np.repeat(size, size) == 1, 1.0,
                          np.where(cols == rows, same, (1 - same) / np.maximum(
                              np.repeat(size, size) - 1, 1)))
        on_sale = position[cols] >= 0
        return sp.csr_matrix((weight[on_sale].astype(np.float32),
                              (rows[on_sale], position[cols[on_sale]])),
                             shape=(cat.n_articles, len(self.active)))

    def new_item_probabilities(self, customers: np.ndarray) -> np.ndarray:
        """(len(customers), articles on sale): the probability that a new
        (not re-bought) item of the customer is each article (float32; each
        row sums to 1): `Simulator._new_items` in closed form."""
        sim, b = self.sim, self.sim.b
        c = customers
        n = len(c)
        # taste: index, colour within index, pattern within (index, colour),
        # then the article in its bucket by popularity x price acceptance
        log_index = sim.index_pref_log[c].astype(np.float64)
        col_aff = sim.colour_taste.log_affinity(c).astype(np.float64)
        pat_aff = sim.pattern_taste.log_affinity(c).astype(np.float64)
        log_colour = _log_softmax(self.log_colour_mass[None] + col_aff[:, None, :], axis=2)
        log_pattern = _log_softmax(self.log_mass[None] + pat_aff[:, None, None, :], axis=3)
        bucket_term = (log_index[:, :, None, None] + log_colour[:, :, :, None] + log_pattern
                       ).reshape(n, -1)
        log_acc = -np.square(self.log_price[None, :] - sim.pop.price_pref[c, None]) / np.float32(
            2 * b.price_width ** 2)
        weight = np.exp(log_acc + self.log_pop[None, :])
        z = (self.to_bucket_t @ weight.T).T  # (n, buckets)
        # a bucket whose every article is out of the customer's price range
        # has z = 0 and weight 0: its articles score 0, not 0 / 0
        with np.errstate(divide="ignore"):
            bucket_term = (bucket_term - np.log(np.maximum(z, 1e-30))).astype(np.float32)
        p_new = np.exp(bucket_term[:, self.bucket])
        p_new *= weight
        p_new *= 1 - b.global_pick
        p_new += b.global_pick * self.glob[None, :]
        return p_new

    def expected_items(self, customers: np.ndarray) -> np.ndarray:
        """(len(customers), articles on sale): expected units of each article
        per item the customer buys that week (float32)."""
        sim, b = self.sim, self.sim.b
        c = customers
        n = len(c)
        p_new = self.new_item_probabilities(c)
        # the bought-together partners of new items come along
        p = p_new.copy()
        for src, dst in self.partner_layers:
            p[:, dst] += b.partner * p_new[:, src]
        # re-buys from the remembered purchases, weighted by recency
        r = np.where(self.hist_n[c] > 0, sim.pop.repurchase[c], 0.0).astype(np.float32)
        hist_art = self.hist_art[c]
        logits = (self.hist_day[c].astype(np.float64) - self.today) / b.recency_days
        logits[hist_art < 0] = -np.inf
        slot = np.nan_to_num(np.exp(_log_softmax(logits, axis=1))) * r[:, None]
        filled = hist_art >= 0
        remembered = sp.csr_matrix(
            (slot[filled], (np.nonzero(filled)[0], hist_art[filled])),
            shape=(n, sim.cat.n_articles))
        p *= (1 - r)[:, None]
        rebuys = (remembered @ self.rebuy).tocoo()
        np.add.at(p, (rebuys.row, rebuys.col), rebuys.data)
        return p

    def _top_k_block(self, customers: np.ndarray, k: int) -> np.ndarray:
        p = self.expected_items(customers)
        top = np.argpartition(-p, k - 1, axis=1)[:, :k]
        score = np.take_along_axis(p, top, axis=1)
        order = np.lexsort((top, -score), axis=1)
        return self.active[np.take_along_axis(top, order, axis=1)]

    def top_k(self, customers: np.ndarray, k: int = 12, workers: int = 1) -> np.ndarray:
        """(len(customers), k) article rows, most likely first (ties: lower
        row). Blocks of customers are spread over `workers` forked processes,
        which share this object copy-on-write."""
        blocks = [customers[lo:lo + CHUNK] for lo in range(0, len(customers), CHUNK)]
        if not blocks:
            return np.empty((0, k), dtype=np.int32)
        if workers <= 1 or len(blocks) == 1:
            return np.concatenate([self._top_k_block(b, k) for b in blocks])
        global _SHARED
        _SHARED = self
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                parts = pool.starmap(_top_k_shared, [(b, k) for b in blocks])
        finally:
            _SHARED = None
        return np.concatenate(parts)


_SHARED: Oracle | None = None  # the oracle forked workers read


def _top_k_shared(customers: np.ndarray, k: int) -> np.ndarray:
    assert _SHARED is not None
    return _SHARED._top_k_block(customers, k)
