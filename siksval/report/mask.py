"""Masking personal data: NIK/KK as `3273**********01`, names as initials.

Masked by default in every output except the XLSX worklist; `--unmask` shows everything.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

ID_COLUMNS = frozenset({"nik", "no_kk", "id_dtks"})
NAME_COLUMNS = frozenset({"nama", "nama_ibu_kandung", "nama_kepala"})
#: message parameters that carry personal data, and how to mask them
ID_PARAMS = frozenset({"nik", "no_kk", "nik_other"})
NAME_PARAMS = frozenset({"nama", "names", "nama_ibu", "kepala", "nama_kepala"})

_DIGITS = re.compile(r"\d")


def mask_id(value: Any) -> Any:
    """Keep the first 4 and last 2 characters of an identity number, star the rest."""
    if _missing(value):
        return None
    text = str(value)
    if not _DIGITS.search(text):
        return text  # a placeholder such as "-" carries no identity
    if len(text) <= 6:
        return "*" * len(text)
    return text[:4] + "*" * (len(text) - 6) + text[-2:]


def mask_name(value: Any) -> Any:
    """`SITI NURHAYATI` -> `S. N.`; keeps only initials."""
    if _missing(value):
        return None
    if isinstance(value, (list, tuple)):
        return [mask_name(v) for v in value]
    words = re.findall(r"[^\W\d_]+", str(value))
    # No letters (an empty cell, "-"): no name to hide, but a NIK keyed into it still is.
    return " ".join(w[0].upper() + "." for w in words) if words else mask_text(value)


def _missing(value: Any) -> bool:
    """None, NaN or pd.NA (findings columns may come back with NaN for "no value")."""
    if value is None:
        return True
    return (isinstance(value, float) and math.isnan(value)) or type(value).__name__ == "NAType"


#: 11+ digits: a NIK/KK (16), also truncated or with extra digits. Not 10: a 10-digit run is a
#: desa/kelurahan region code (kode_wilayah), public and needed to find the place.
_LONG_DIGITS = re.compile(r"(?<!\d)\d{11,}(?!\d)")


def mask_text(value: Any) -> Any:
    """Free text: any run of 11+ digits (a NIK/KK inside a message) is masked."""
    if value is None:
        return None
    return _LONG_DIGITS.sub(lambda m: mask_id(m.group(0)), str(value))


def mask_value(column: str | None, value: Any) -> Any:
    if value is None:
        return None
    if column in ID_COLUMNS:
        return mask_id(value)
    if column in NAME_COLUMNS:
        return mask_name(value)
    return mask_text(value) if isinstance(value, str) else value


def _names_in(params: Mapping[str, Any]) -> list[str]:
    """Person names given under the name keys, longest first (so "SITI AMINAH" is masked before
    "SITI")."""
    found: set[str] = set()
    for key in NAME_PARAMS:
        value = params.get(key)
        items = value if isinstance(value, (list, tuple)) else [value]
        found.update(str(v) for v in items if isinstance(v, str) and v.strip())
    return sorted(found, key=len, reverse=True)


def _mask_str(value: str, names: list[str]) -> str:
    text = mask_text(value)
    for name in names:
        if name in text:
            text = text.replace(name, mask_name(name))
    return text


def mask_params(params: Mapping[str, Any] | None, column: str | None) -> dict[str, Any] | None:
    """Mask personal data in message parameters. Names listed under a name key are also masked
    wherever they occur inside other text parameters (e.g. the ELG household sentence
    "anggota SUPARMAN berstatus PNS/ASN" -> "anggota S. berstatus PNS/ASN")."""
    if not params:
        return None if params is None else {}
    names = _names_in(params)
    out: dict[str, Any] = {}
    for key, value in params.items():
        if key in ID_PARAMS:
            out[key] = mask_id(value) if not isinstance(value, list) else [mask_id(v) for v in value]
        elif key in NAME_PARAMS:
            out[key] = mask_name(value)
        elif key == "value":
            out[key] = mask_value(column, value)
        elif isinstance(value, str):
            out[key] = _mask_str(value, names)
        elif isinstance(value, Mapping):  # bilingual text {"id": ..., "en": ...}
            out[key] = {
                k: _mask_str(v, names) if isinstance(v, str) else v for k, v in value.items()
            }
        else:
            out[key] = value
    return out


# -- vectorised forms, for whole columns (same results as the functions above) ----------------
def mask_ids(values: Any) -> list[Any]:
    """mask_id over a column, without a Python call per value."""
    import pandas as pd

    s = pd.Series(values, dtype="object").astype("string")
    n = s.str.len().fillna(0).astype(int)
    stars = (n - 6).clip(lower=0)
    star_text = stars.map({k: "*" * k for k in stars.unique()})
    long = s.str[:4] + star_text + s.str[-2:]
    short = n.map({k: "*" * k for k in n.unique()})
    out = long.where(n > 6, short).where(s.str.contains(r"\d", regex=True).fillna(False), s)
    return [None if v is pd.NA else v for v in out.astype(object)]


def mask_names(values: Any) -> list[Any]:
    """mask_name over a column: initials of the letter runs; a value without letters is masked
    as free text (a NIK keyed into a name column stays hidden)."""
    import pandas as pd

    s = pd.Series(values, dtype="object").astype("string")
    letters = s.str.replace(r"[^A-Za-z\s]+", " ", regex=True)
    initials = letters.str.replace(r"([A-Za-z])[A-Za-z]*", r"\1.", regex=True)
    initials = initials.str.replace(r"\s+", " ", regex=True).str.strip().str.upper()
    out = initials.astype(object).tolist()
    plain = s.astype(object).tolist()
    for i, v in enumerate(out):
        if v is pd.NA or not v:  # no ASCII letters: the scalar path (rare)
            out[i] = mask_name(plain[i]) if plain[i] is not pd.NA else None
    return out
