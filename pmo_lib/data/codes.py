"""Integer codes for id columns: computed once per validation, shared by every check.

An id column is dictionary-encoded once (pyarrow: each distinct value stored once, rows hold
integers). The parser does it while cleaning the column (surrounding spaces are stripped from
the few distinct values, not from millions of rows), and keys, links between tables and the
loop search then compare integers, never strings.
"""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._vector import Codes, encode


def clean_codes(codes: np.ndarray, values: pa.Array) -> Codes:
    """Strip surrounding spaces and blank out empty codes, working on the distinct values only."""
    trimmed = pc.utf8_trim_whitespace(values)
    blank = pc.equal(pc.utf8_length(trimmed), 0)
    if trimmed.equals(values) and not pc.any(blank).as_py():
        return codes, values
    cleaned = pc.if_else(blank, pa.scalar(None, pa.string()), trimmed)
    # two values may now be equal ("P1" and "P1 "): encode the cleaned values again
    remap = pc.dictionary_encode(cleaned)
    new_codes = np.append(remap.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64), -1)[codes]
    return new_codes, remap.dictionary


def decode(codes: np.ndarray, values: pa.Array, index: pd.Index) -> pd.Series:
    """The text column that ``codes`` stand for (one arrow ``take``)."""
    return pd.Series(pc.take(values, pa.array(codes, mask=codes < 0)), index=index, dtype="str")


def clean_and_encode(series: pd.Series) -> tuple[pd.Series, Codes]:
    """``clean_codes`` for a text column: the cleaned column (the input when already clean) and its codes."""
    codes, values = encode(series)
    cleaned = clean_codes(codes, values)
    if cleaned[1] is values:
        return series, cleaned
    return decode(*cleaned, series.index), cleaned


class Encoder:
    """Codes per (table, column), computed once and shared (safe to use from several threads)."""

    def __init__(self):
        self._cache: dict[tuple[str, str], Codes] = {}
        self._lock = threading.Lock()

    def put(self, table: str, column: str, codes: Codes) -> None:
        with self._lock:
            self._cache[(table, column)] = codes

    def cached(self, table: str, column: str) -> Codes | None:
        with self._lock:
            return self._cache.get((table, column))

    def codes(self, table: str, frame: pd.DataFrame, column: str) -> Codes:
        key = (table, column)
        with self._lock:
            found = self._cache.get(key)
        if found is None:
            found = encode(frame[column])
            self.put(table, column, found)
        return found

    def rows(self, table: str, frame: pd.DataFrame, columns) -> np.ndarray:
        """One int64 per row for a multi-column key (rows equal exactly when every column is)."""
        combined = np.zeros(len(frame), dtype=np.int64)
        radix = 1
        for column in columns:
            codes, values = self.codes(table, frame, column)
            size = len(values) + 1
            if radix * size >= 2**62:  # keep the combined code in range: renumber compactly
                combined = pd.factorize(combined)[0].astype(np.int64)
                radix = int(combined.max()) + 1 if combined.size else 1
            combined = combined * size + (codes + 1)
            radix *= size
        return combined


def shared_codes(
    enc: Encoder, table: str, frame: pd.DataFrame, a: str, b: str
) -> tuple[np.ndarray, np.ndarray, pa.Array]:
    """Codes of columns ``a`` and ``b`` over one shared set of values (e.g. predecessor and successor)."""
    a_codes, a_values = enc.codes(table, frame, a)
    b_codes, b_values = enc.codes(table, frame, b)
    position = pc.index_in(b_values, value_set=a_values).fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    new = np.flatnonzero(position < 0)  # values of b that a does not have go after a's
    position[new] = len(a_values) + np.arange(new.size)
    values = pa.concat_arrays([a_values, b_values.take(pa.array(new, type=pa.int64()))])
    mapped = np.append(position.astype(np.int64), -1)[b_codes]
    return a_codes, mapped, values
