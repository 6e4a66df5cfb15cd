"""Date arithmetic the loaders share: an embargo of N years from a day, as the PaN data policies count it.

>>> years_later(dt.date(2020, 2, 29), 3), years_later(dt.date(2021, 6, 1), 3)
(datetime.date(2023, 2, 28), datetime.date(2024, 6, 1))
"""

from __future__ import annotations

import datetime as dt


def years_later(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later; 29 February becomes 28 February in a year without it."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
