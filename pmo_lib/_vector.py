"""Helpers for functions that take a number or a whole column and give back the same."""

from __future__ import annotations

import numpy as np
import pandas as pd


def like(values, *inputs):
    """``values`` shaped like the inputs: a Series (with its index) if any input was one,
    a float if all were scalars, else an array."""
    for x in inputs:
        if isinstance(x, pd.Series):
            return pd.Series(np.asarray(values, dtype=float).reshape(len(x)), index=x.index)
    values = np.asarray(values, dtype=float)
    if all(np.ndim(x) == 0 for x in inputs):
        return float(values.reshape(-1)[0])
    return values


def ratio(numerator, denominator):
    """``numerator / denominator``, ``NaN`` where the denominator is zero or missing."""
    num = np.asarray(numerator, dtype=float)
    den = np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(den == 0, np.nan, num / np.where(den == 0, 1.0, den))
    return like(out, numerator, denominator)
