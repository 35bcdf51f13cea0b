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
    """Dictionary-encode a text, date or whole-number column."""
    if pd.api.types.is_datetime64_any_dtype(series) or pd.api.types.is_integer_dtype(series):
        codes, uniques = pd.factorize(series)
        return codes.astype(np.int64), pa.array(np.asarray(uniques))
    encoded = pc.dictionary_encode(_arrow_text(series))
    return encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64), encoded.dictionary


def _arrow_text(values) -> pa.Array:
    """Text values as one Arrow string array (no copy for pandas' Arrow-backed strings)."""
    if isinstance(values, pd.Series) and isinstance(values.array, pd.arrays.ArrowStringArray):
        arr = pa.array(values.array)  # the Arrow data behind the column, not copied
    elif isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        names = _arrow_text(pd.Series(values.cat.categories.astype(str), dtype="str"))
        arr = pc.take(names, pa.array(np.maximum(codes, 0), mask=codes < 0))
    elif isinstance(values, pa.Array | pa.ChunkedArray):
        arr = values
    else:
        arr = pa.array(np.asarray(values, dtype=object), type=pa.string(), from_pandas=True)
    if arr.type not in (pa.string(), pa.large_string()):
        arr = arr.cast(pa.string())
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def positions(values, keys) -> np.ndarray:
    """Where each of ``values`` sits in ``keys`` (text ids), -1 where it is not there; vectorised in Arrow."""
    values = _arrow_text(values)
    found = pc.index_in(values, value_set=_arrow_text(keys).cast(values.type))
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
