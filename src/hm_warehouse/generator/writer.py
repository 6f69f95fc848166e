"""Writes the generated data in the exact Kaggle formats, streamed week by week."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from . import config as cfg
from .population import Population

TRANSACTIONS_HEADER = "t_dat,customer_id,article_id,price,sales_channel_id\n"


def write_customers(people: Population, path: Path) -> None:
    age = np.where(people.age < 0, "", people.age.astype(str))
    pd.DataFrame({
        "customer_id": people.customer_id.astype(str),
        "FN": np.where(people.fn, "1.0", ""),
        "Active": np.where(people.active, "1.0", ""),
        "club_member_status": people.club_member_status,
        "fashion_news_frequency": people.fashion_news_frequency,
        "age": age,
        "postal_code": people.postal_code.astype(str),
    }).to_csv(path, index=False)


def write_sample_submission(people: Population, popular: list[str], path: Path) -> None:
    pd.DataFrame({
        "customer_id": people.customer_id.astype(str),
        "prediction": " ".join(popular),
    }).to_csv(path, index=False)


def write_oracle(people: Population, article_ids: list[str], customers: np.ndarray,
                 lists: np.ndarray, path: Path) -> None:
    """The oracle's lists in the submission format: customer_id, prediction
    (space-separated article ids, most likely first), one row per customer."""
    ids = np.asarray(article_ids, dtype=object)
    pd.DataFrame({
        "customer_id": people.customer_id[customers].astype(str),
        "prediction": [" ".join(row) for row in ids[lists]],
    }).to_csv(path, index=False)


class TransactionWriter:
    """Appends weeks of rows to a transactions csv (header written once)."""

    def __init__(self, path: Path, customer_ids: np.ndarray, article_ids: list[str]):
        self.path = path
        self.handle = path.open("wb")  # closed by close()
        self.handle.write(TRANSACTIONS_HEADER.encode())
        self.customers = pa.array(customer_ids.astype(str))
        self.articles = pa.array(article_ids)
        n_days = cfg.N_DAYS + 7
        self.dates = pa.array([cfg.day_to_date(d).isoformat() for d in range(n_days)])
        self.rows = 0

    def write(self, customer, article, day, price, channel) -> None:
        table = pa.table({
            "t_dat": self.dates.take(pa.array(day.astype(np.int32))),
            "customer_id": self.customers.take(pa.array(customer)),
            "article_id": self.articles.take(pa.array(article)),
            "price": pa.array(price, pa.float64()),
            "sales_channel_id": pa.array(channel, pa.int8()),
        })
        options = pacsv.WriteOptions(include_header=False, quoting_style="none")
        pacsv.write_csv(table, self.handle, options)
        self.rows += len(table)

    def close(self) -> None:
        self.handle.close()
