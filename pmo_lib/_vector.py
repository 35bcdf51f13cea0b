"""Helpers for functions that take a number or a whole column and give back the same."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

Codes = tuple[np.ndarray, pa.Array]  # one int64 per row (-1 for blank), the distinct values


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


def encode(series: pd.Series) -> Codes:
    """Dictionary-encode a text or date column."""
    if pd.api.types.is_datetime64_any_dtype(series):
        codes, uniques = pd.factorize(series)
        return codes.astype(np.int64), pa.array(np.asarray(uniques))
    arr = pa.array(series, type=pa.string(), from_pandas=True)
    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    encoded = pc.dictionary_encode(arr)
    return encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64), encoded.dictionary


def _arrow_text(values) -> pa.Array:
    arr = pa.array(values, type=pa.string(), from_pandas=True) if not isinstance(values, pa.Array) else values
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def positions(values, keys) -> np.ndarray:
    """Where each of ``values`` sits in ``keys`` (text ids), -1 where it is not there; vectorised in Arrow."""
    found = pc.index_in(_arrow_text(values), value_set=_arrow_text(keys))
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
