"""Small vectorised helpers shared by the generator modules: codes, working days, weeks, months."""

from __future__ import annotations

import numpy as np


def _ids(prefix, n, width=None) -> np.ndarray:
    if n == 0:
        return np.array([], dtype=object)
    width = width or max(3, len(str(n)))
    return np.char.add(prefix, np.char.zfill(np.arange(1, n + 1).astype(str), width)).astype(object)


def _busday(dates, offsets, holidays) -> np.ndarray:
    return np.busday_offset(dates.astype("datetime64[D]"), offsets, roll="forward", holidays=holidays)


def _mondays(d) -> np.ndarray:
    d = d.astype("datetime64[D]")
    return d - ((d.astype(np.int64) - 4) % 7).astype("timedelta64[D]")  # 1970-01-05 was a Monday


def _month_range(first, last) -> tuple[np.ndarray, np.ndarray]:
    f = first.astype("datetime64[M]")
    l_ = last.astype("datetime64[M]")
    count = (l_ - f).astype(np.int64) + 1
    count = np.maximum(count, 1)
    rep = np.repeat(np.arange(first.size), count)
    off = np.arange(rep.size) - np.repeat(np.cumsum(count) - count, count)
    return rep, f[rep] + off.astype("timedelta64[M]")
