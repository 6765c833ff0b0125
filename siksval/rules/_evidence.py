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
    # dtype=object: no string inference over a million mostly-None cells
    return pd.DataFrame(data, index=index, dtype=object)


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


def fmt_date(values: pd.Series) -> pd.Series:
    """Dates as ``DD-MM-YYYY`` text, the way officers write them."""
    return pd.to_datetime(pd.Series(values)).dt.strftime("%d-%m-%Y")


def as_of_text(ds: Any) -> str:
    """The dataset's reference date as ``DD-MM-YYYY``."""
    return ds.as_of.strftime("%d-%m-%Y")


def bilingual(id_text: Any, en_text: Any) -> np.ndarray:
    """Per-finding evidence in both report languages: ``{"id": ..., "en": ...}`` objects.

    Templates pick the language with an index, ``{alasan[id]}`` / ``{alasan[en]}``, so both
    languages share one parameter name. Built for firing records only.
    """
    ids = np.broadcast_to(np.asarray(id_text, dtype=object), np.shape(en_text) or np.shape(id_text))
    ens = np.broadcast_to(np.asarray(en_text, dtype=object), ids.shape)
    out = np.empty(ids.shape, dtype=object)
    out[:] = [{"id": a, "en": b} for a, b in zip(ids.tolist(), ens.tolist(), strict=True)]
    return out


def region_text(code: np.ndarray, raw: Any) -> np.ndarray:
    """Region codes for messages: dotted decree notation for 10-digit codes (``code`` >= 0),
    the text as written otherwise. Dotted codes are also never mistaken for a NIK by masking."""
    code = np.asarray(code, dtype=np.int64)
    raw = np.asarray(raw, dtype=object)
    return np.where(code >= 0, dotted(np.maximum(code, 0), 10).to_numpy(dtype=object), raw)
