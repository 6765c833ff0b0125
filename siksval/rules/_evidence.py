"""Small helpers shared by the identity, region and household rule families.

Message parameters are built for the firing records only (never millions of strings) and
placed into a frame aligned to the dataset, which is what ``Hits.params`` expects.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def sparse_params(index: pd.Index, where: np.ndarray, **columns: Any) -> pd.DataFrame:
    """A params frame aligned to ``index``: ``columns`` values on positions ``where``, None
    elsewhere. Each value is a scalar or a sequence as long as ``where``."""
    data: dict[str, np.ndarray] = {}
    for name, values in columns.items():
        col = np.full(len(index), None, dtype=object)
        if np.isscalar(values) or values is None:
            col[where] = values
        else:
            col[where] = np.asarray(values, dtype=object)
        data[name] = col
    return pd.DataFrame(data, index=index)


def zfill(values: Any, width: int) -> pd.Series:
    """Integers as zero-padded text (``5`` -> ``"05"``)."""
    return pd.Series(np.asarray(values, dtype=np.int64)).astype(str).str.zfill(width)


def dotted(code: Any, width: int) -> pd.Series:
    """Integer region codes in decree notation: 3273 -> ``32.73``, 327301 -> ``32.73.01``."""
    text = zfill(code, width)
    parts = [text.str.slice(i, i + 2) for i in range(0, min(width, 6), 2)]
    if width > 6:
        parts.append(text.str.slice(6))
    out = parts[0]
    for p in parts[1:]:
        out = out + "." + p
    return out


def fmt_date(values: pd.Series, *, short_year: bool = False) -> pd.Series:
    """Dates as ``DD-MM-YYYY`` (or ``DD-MM-YY``) text, the way officers write them."""
    d = pd.to_datetime(values)
    return d.dt.strftime("%d-%m-%y" if short_year else "%d-%m-%Y")


def mask_of(values: Any, index: pd.Index) -> pd.Series:
    """A plain bool Series (NA -> False) aligned to ``index``."""
    arr = np.asarray(pd.Series(values).fillna(False).to_numpy(), dtype=bool)
    return pd.Series(arr, index=index)
