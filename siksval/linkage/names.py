"""Indonesian name normalisation for matching (domain.md §5.4, sources S95, S96).

`normalize_names` turns a Series of names as typed by desa operators into a comparable form:

* upper case, accents folded, punctuation to spaces, runs of spaces collapsed;
* academic degrees after the name (`, S.Pd`, `S.E.`, `A.Md`, `M.Si`), honorifics and deceased
  markers (`H.`, `Hj.`, `Drs.`, `Dr.`, `Ir.`, `Prof.`, `Alm.`, `Almh.`) and the patronymic
  particles `bin`, `binti`, `bintu` removed;
* the Muhammad family (`Muhamad`, `Mohammad`, `Moh.`, `Muh.`, `Moch.`, `Mochamad`, `Mhd.`,
  a leading `M.`) written as one token `MUHAMMAD`;
* pre-1972 spellings (`oe`→`u`, `dj`→`j`, `tj`→`c`, `nj`→`ny`, `sj`→`sy`, `ch`→`kh`) and doubled
  letters (`SITTI` → `SITI`) folded, so `SOEDJATMIKO` and `SUJATMIKO` meet.

The result is for comparison only (never shown to a user). It is idempotent
(`normalize(normalize(x)) == normalize(x)`): the rewriting passes are repeated on the values
they still change until none does. All work is done by pyarrow's RE2 kernels over the distinct
names, no Python loop over rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["MUHAMMAD", "name_parts", "normalize_names", "squash"]

MUHAMMAD = "MUHAMMAD"

# Degrees written after the name, usually after a comma: ", S.Pd", ", S.E.", ", A.Md.Kep".
_DEGREE = (
    r"(?:S|M|A|D|DR)\.\s?(?:PD|PDI|E|H|HI|HUM|KOM|SOS|T|TP|SI|KEP|KM|AG|IP|IKOM|HUT|FARM|KED|"
    r"PSI|GZ|TR|MD|AK|KES|M|SC|PT|AP|STP|PI|ST|AB|MB|MM|PSIKOLOG|AKP|IN|KEB|GIZ|FIL|N|PAR)"
    r"(?:\.[A-Z]{1,4})*\.?"
)
# Degrees written without dots after a comma: ", SE", ", SKM", ", SPD".
_DEGREE_PLAIN = (
    r"(?:SE|SH|ST|SPD|SPDI|SAG|SKM|SKEP|SKOM|SSOS|SSI|SIP|SHI|SHUT|SP|STP|AMD|AMK|AMKEB|AMDKEB|"
    r"MM|MSI|MPD|MKES|MAG|MH|MT|MKOM|PHD|SKED|SPSI|SFARM|APT|BSC|MSC|MBA)"
)
_TITLES = (
    r"H|HJ|HAJI|HAJJAH|HAJAH|DRS|DRA|DR|IR|PROF|ALM|ALMH|ALMARHUM|ALMARHUMAH|ALMRH|TN|NY|NN|"
    r"SDR|SDRI|BPK|IBU|BAPAK"
)
_MUHAMMAD_FORMS = (
    r"MUHAMMAD|MUHAMAD|MUHAMED|MUHAMMED|MOHAMMAD|MOHAMAD|MOHAMED|MOHAMMED|MOHD|MOH|MUH|MUHD|"
    r"MOCH|MOCHAMAD|MOCHAMMAD|MOCHAMED|MUCHAMAD|MUCHAMMAD|MUKHAMAD|MUKHAMMAD|MOKHAMAD|"
    r"MOKHAMMAD|MHD|MHMD|MUHAMAT|MUHAMMAT|MAMAD|MUHAMAD|MUHAD|MOKH|MUKH|MUHAMD"
)

# (pattern, replacement) applied in order to upper-case text, before punctuation is dropped.
_RAW_PASSES: tuple[tuple[str, str], ...] = (
    (r"[`´‘’']", ""),  # apostrophes inside names: MA'RUF = MARUF
    (r",\s*(?:" + _DEGREE + r"|" + _DEGREE_PLAIN + r")(?:[\s,]+|$)", ", "),
    (r"(^|\s)" + _DEGREE + r"(\s|,|$)", r"\1\2"),
    (r"\((?:ALM|ALMH|ALMARHUM|ALMARHUMAH)\.?\)", " "),
)
# Passes on the cleaned text (A-Z and single spaces only).
_CLEAN_PASSES: tuple[tuple[str, str], ...] = (
    (r"OE", "U"),
    (r"DJ", "J"),
    (r"TJ", "C"),
    (r"NJ", "NY"),
    (r"SJ", "SY"),
    (r"CH", "KH"),
    (r"\b(?:" + _TITLES + r")\b", " "),
    # bin/binti + the father's name: one record may carry it and the other not
    (r"([A-Z])\s+(?:BIN|BINTI|BINTU)(?:\s.*)?$", r"\1"),
    (r"^\s*(?:BIN|BINTI|BINTU)\b", " "),
    # the Muhammad family (after letters were undoubled: MUHAMAD) -> one token
    (r"\b(?:" + _MUHAMMAD_FORMS.replace("MM", "M") + r")\b", MUHAMMAD),
    (r"^M\s([A-Z])", MUHAMMAD + r" \1"),  # a leading M. is Muhammad in Indonesian names
    (r"\s+", " "),
)


def _apply(arr: pa.Array, passes: tuple[tuple[str, str], ...]) -> pa.Array:
    for pattern, repl in passes:
        arr = pc.replace_substring_regex(arr, pattern, repl)
    return arr


_DOUBLE = "|".join(ch + ch for ch in "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _undouble(arr: pa.Array) -> pa.Array:
    """Doubled letters to one (SITTI -> SITI, MUHAMMAD -> MUHAMAD); RE2 has no backreferences,
    so one literal pass per letter, run only on the values that hold a double letter."""
    has = pc.fill_null(pc.match_substring_regex(arr, _DOUBLE), False)
    if not pc.any(has).as_py():
        return arr
    idx = np.flatnonzero(has.to_numpy(zero_copy_only=False))
    sub = arr.take(pa.array(idx))
    for ch in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        sub = pc.replace_substring(sub, ch + ch, ch)
    out = arr.to_numpy(zero_copy_only=False).astype(object)
    out[idx] = sub.to_numpy(zero_copy_only=False)
    return pa.array(out, type=pa.string())


def _clean(arr: pa.Array) -> pa.Array:
    """Upper case, raw passes (degrees), then only A-Z and single spaces remain."""
    arr = pc.utf8_upper(arr)
    arr = _apply(arr, _RAW_PASSES)
    arr = pc.replace_substring_regex(arr, r"[^A-Z]+", " ")
    return pc.utf8_trim_whitespace(arr)


def _fold_accents(values: pd.Series) -> pd.Series:
    """Fold accented Latin letters (É -> E) so that they survive the A-Z filter."""
    s = values.astype("string[pyarrow]")
    if not s.str.contains(r"[^\x00-\x7f]", regex=True).fillna(False).any():
        return s
    import unicodedata

    # Only the distinct non-ASCII values go through Python (a handful in a real export).
    nonascii = s.str.contains(r"[^\x00-\x7f]", regex=True).fillna(False)
    uniq = pd.unique(s[nonascii].to_numpy())
    folded = {
        u: unicodedata.normalize("NFKD", u).encode("ascii", "ignore").decode("ascii") for u in uniq
    }
    out = s.copy()
    out[nonascii] = s[nonascii].map(folded)
    return out.astype("string[pyarrow]")


def normalize_names(values: pd.Series) -> pd.Series:
    """Normalised names for matching (see the module docstring); NA for empty values.

    The work is done once per distinct name; the result keeps `values`' index.
    """
    s = pd.Series(values, copy=False)
    if len(s) == 0:
        return pd.Series([], index=s.index, dtype="string[pyarrow]")
    codes, uniques = pd.factorize(s.astype("string[pyarrow]"), use_na_sentinel=True)
    if len(uniques) == 0:
        return pd.Series(pd.NA, index=s.index, dtype="string[pyarrow]")
    u = _fold_accents(pd.Series(uniques))
    arr = _clean(pa.array(u.array))
    # Repeat the rewriting passes on the values still changing: each pass shortens a value or
    # removes a C/J, so this ends; real names settle after one or two passes.
    values = arr.to_numpy(zero_copy_only=False).astype(object)
    active = np.arange(len(values))
    work = arr
    for _ in range(64):
        new = pc.utf8_trim_whitespace(_apply(_undouble(work), _CLEAN_PASSES))
        changed = pc.fill_null(pc.not_equal(new, work), False).to_numpy(zero_copy_only=False)
        values[active] = new.to_numpy(zero_copy_only=False)
        if not changed.any():
            break
        active = active[changed]
        work = pa.array(values[active], type=pa.string())
    result = pd.Series(pd.array(values, dtype="string[pyarrow]"))
    result = result.mask(result == "")
    out = result.to_numpy(dtype=object, na_value=None)
    full = np.where(codes >= 0, out[np.maximum(codes, 0)], None)
    return pd.Series(pd.array(full, dtype="string[pyarrow]"), index=s.index)


def squash(names: pd.Series) -> pd.Series:
    """Normalised names without spaces: `NUR HAYATI` and `NURHAYATI` become equal."""
    return names.str.replace(" ", "", regex=False)


def name_parts(names: pd.Series) -> pd.DataFrame:
    """First and last token of normalised names, and the first token that is not MUHAMMAD
    (the given name that tells people apart: `MUHAMMAD RIZKI` -> `RIZKI`)."""
    arr = pa.array(names.astype("string[pyarrow]").array)
    first = pc.replace_substring_regex(arr, r" .*$", "")
    last = pc.replace_substring_regex(arr, r"^.* ", "")
    rest = pc.replace_substring_regex(arr, r"^[^ ]* ?", "")
    second = pc.replace_substring_regex(rest, r" .*$", "")
    is_m = pc.fill_null(pc.equal(first, MUHAMMAD), False)
    has_second = pc.fill_null(pc.not_equal(second, ""), False)
    given = pc.if_else(pc.and_(is_m, has_second), second, first)

    def col(a: pa.Array) -> pd.Series:
        return pd.Series(pd.array(a, dtype="string[pyarrow]"), index=names.index)

    return pd.DataFrame({"first": col(first), "last": col(last), "given": col(given)})
