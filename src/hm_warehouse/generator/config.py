"""Scales, calendar and calibration constants of the H&M data generator.

Every number here is calibrated against the published facts about the real
files (`shared/hm_data_facts.md`) and the exact aggregates of the full files
(`shared/real_sample/aggregates/`), never against this project's models.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

FIRST_DATE = dt.date(2018, 9, 20)
LAST_DATE = dt.date(2020, 9, 22)
HIDDEN_FIRST_DATE = dt.date(2020, 9, 23)
HIDDEN_LAST_DATE = dt.date(2020, 9, 29)
# Weeks run Wednesday -> Tuesday; week 0 starts on the Wednesday before the data.
WEEK0_START = dt.date(2018, 9, 19)
N_DAYS = (LAST_DATE - FIRST_DATE).days + 1  # 734
N_WEEKS = (LAST_DATE - WEEK0_START).days // 7 + 1  # 105, the last one 2020-09-16 .. 22
HIDDEN_WEEK = N_WEEKS  # 2020-09-23 .. 29

# Transactions per Wed-Tue week of the real file, divided by the mean of the
# full weeks (transaction_daily_metrics.csv). Week 0 is the 6-day first week.
WEEKLY_VOLUME = (
    0.84, 1.38, 0.81, 1.15, 1.04, 1.22, 0.83, 0.78, 0.86, 1.54, 0.70, 0.79, 0.81, 1.05, 0.80,
    1.00, 1.00, 0.87, 0.99, 0.92, 0.85, 0.82, 1.19, 0.89, 0.95, 0.92, 0.98, 1.08, 1.20, 0.99,
    1.13, 1.27, 1.24, 0.91, 1.16, 1.23, 1.36, 1.03, 1.17, 2.10, 1.71, 1.30, 1.23, 1.28, 1.50,
    1.04, 0.96, 1.06, 0.80, 0.78, 0.87, 0.81, 0.77, 1.40, 1.06, 0.83, 0.75, 0.79, 0.91, 0.70,
    0.63, 0.73, 1.71, 0.58, 0.72, 1.20, 0.69, 0.80, 0.81, 0.71, 0.88, 0.79, 0.83, 0.77, 0.76,
    0.86, 0.99, 0.68, 0.66, 0.79, 1.11, 1.33, 0.76, 0.98, 0.70, 0.86, 0.99, 1.28, 1.20, 1.03,
    0.99, 1.81, 1.71, 1.11, 0.95, 0.96, 0.99, 1.05, 0.95, 0.88, 0.85, 0.93, 0.87, 0.84, 0.79,
)
# The hidden week continues the last weeks' level.
HIDDEN_WEEK_VOLUME = 0.80
# Share of transactions per weekday, Monday first (transaction_daily_metrics.csv).
WEEKDAY_SHARE = (0.1275, 0.1321, 0.1523, 0.1529, 0.1494, 0.1588, 0.1269)

# customers.csv value mixes (hm_data_facts.md, customers.csv table)
CLUB_STATUS = (("ACTIVE", 0.927485), ("PRE-CREATE", 0.067756), ("LEFT CLUB", 0.00034), ("", 0.004418))
FASHION_NEWS = (("NONE", 0.63974), ("Regularly", 0.347976), ("Monthly", 0.000614), ("", 0.011669))
FN_SHARE = 1 - 895_050 / 1_371_980
ACTIVE_SHARE = 1 - 907_576 / 1_371_980
AGE_NULL_SHARE = 15_861 / 1_371_980
NEVER_BOUGHT_SHARE = 9_699 / 1_371_980
PLACEHOLDER_POSTAL_SHARE = 120_303 / 1_371_980
POSTAL_CODES_PER_CUSTOMER = 352_899 / 1_371_980
ONLINE_CHANNEL_SHARE = 0.704028  # sales_channel_id 2
PRICE_DIVISOR = 590.0  # prices are SEK amounts ending in .99 divided by ~590


@dataclass(frozen=True)
class Scale:
    name: str
    customers: int
    articles: int


SCALES: dict[str, Scale] = {
    "tiny": Scale("tiny", customers=8_000, articles=12_000),
    # 1% / 10% / 100% of the real customers, over the full catalogue (scaling study)
    "small": Scale("small", customers=13_720, articles=105_542),
    "demo": Scale("demo", customers=137_198, articles=105_542),
    "full": Scale("full", customers=1_371_980, articles=105_542),
}


def day_to_date(day: int) -> dt.date:
    """Day number (0 = 2018-09-20) to date."""
    return FIRST_DATE + dt.timedelta(days=int(day))


def day_to_week(day):
    """Day number (0 = 2018-09-20) to Wed-Tue week number (0 = 2018-09-19 ..)."""
    return (day + (FIRST_DATE - WEEK0_START).days) // 7


def week_days(week: int) -> range:
    """Day numbers of a week, clipped to the first day of data."""
    offset = (FIRST_DATE - WEEK0_START).days
    start = week * 7 - offset
    return range(max(start, 0), start + 7)
