"""Eligibility evidence per household: who receives aid although the data says they should not
(inclusion errors, ELG001–ELG008) and who is poor but receives nothing (exclusion errors,
EXC001–EXC002).

Everything is derived once per run and per policy (`household_reasons(ds)` is cached on the
Dataset) and shared by the ELG/EXC rules and by the XLSX worklist: each household appears once
with a flag per rule, the reasons as one sentence in Bahasa Indonesia and English, the members
concerned and a priority score for sorting the verification worklist.

Thresholds live in `Policy` (config `[policy]` in siksval.toml or `[tool.siksval.policy]`); each
default cites its source in domain.md (S-numbers) and in the rule docstrings.

All computations are vectorized over whole columns; occupation labels are matched on the
distinct values of `pekerjaan`, not per record.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from siksval.errors import UserError

if TYPE_CHECKING:
    from siksval.dataset import Dataset

__all__ = [
    "AID_ANY",
    "DEFAULT_POLICY",
    "ELG_CODES",
    "EXC_CODES",
    "Policy",
    "classify_occupation",
    "deceased_mask",
    "household_reasons",
    "households_from_findings",
    "nik_error_mask",
    "policy_for",
]

#: Program columns whose "yes" means aid (rules.md) and their display names.
PROGRAMS: dict[str, str] = {
    "pkh": "PKH",
    "bpnt": "BPNT",
    "pbi_jk": "PBI-JK",
    "bst": "BST",
    "blt_dd": "BLT-DD",
}
#: "any of these columns" for the registry: a rule needs at least one program column.
AID_ANY = "|".join(PROGRAMS)

ELG_CODES: tuple[str, ...] = tuple(f"ELG00{i}" for i in range(1, 9))
EXC_CODES: tuple[str, ...] = ("EXC001", "EXC002")
NIK_ERROR_CODES: tuple[str, ...] = tuple(f"NIK00{i}" for i in range(1, 7))
#: reasons whose sentence part names members, in sentence order
NAMED_CODES: tuple[str, ...] = ("ELG001", "ELG002", "ELG007", "ELG008")

# ---------------------------------------------------------------------------------------------
# Policy
# ---------------------------------------------------------------------------------------------

#: Default thresholds. Sources (domain.md): BPK audit S35, Kemensos/BKN 2021 S59/S60, Kemensos
#: Menteng statement S61, DTKS/DTSEN desil targeting S34/S40–S43, PLN/ESDM S66–S68, Kepmensos
#: 262/HUK/2022 S45–S47, Dukcapil occupation codes S20 (§2.7), Regsosek 418/303/304/309a S20.
DEFAULT_POLICY: dict[str, Any] = {
    # ELG001: name markers of a deceased person (domain.md §5.4).
    "deceased_name_markers": ["ALM", "ALMH", "ALMARHUM", "ALMARHUMAH"],
    # ELG002: Dukcapil pekerjaan codes 5 PNS, 6 TNI, 7 POLRI, 16 BUMN, 17 BUMD, 48–63 state
    # officials (S20 §2.7, domain.md §3.2.2).
    "state_employee_codes": [5, 6, 7, 16, 17, *range(48, 64)],
    "state_employee_keywords": [
        "PNS", "CPNS", "ASN", "PPPK", "P3K", "PEGAWAI NEGERI", "APARATUR SIPIL NEGARA",
        "TNI", "TENTARA", "POLRI", "POLISI", "KEPOLISIAN", "BUMN", "BUMD",
        "DPR", "DPRD", "DPD", "ANGGOTA BPK", "PRESIDEN", "MAHKAMAH KONSTITUSI", "KABINET",
        "MENTERI", "DUTA BESAR", "GUBERNUR", "BUPATI", "WALIKOTA", "WALI KOTA", "PEJABAT NEGARA",
    ],
    # A label holding one of these words is not a serving state employee: retirees (Kemensos/BKN
    # counted them apart, S59), former office holders, "NON ASN" honorary staff, municipal police
    # (Satpol PP are not POLRI), a company's "presiden direktur".
    "state_employee_exclude": [
        "PENSIUNAN", "PURNAWIRAWAN", "PURN", "MANTAN", "EKS", "BEKAS", "NON", "BUKAN",
        "PAMONG PRAJA", "DIREKTUR",
    ],
    # ELG004: PLN subsidy is for 450/900 VA DTKS households; BPK flags >= 900 VA (S35), 1300 VA is
    # the stronger signal (domain.md §3.2.4, S66–S68).
    "min_va": 1300,
    # ELG005: DTKS holds desil 1–4; DTSEN targets desil 1–4 (S34, S40–S43).
    "max_desil": 4,
    # ELG006: Regsosek 502/503 assets and house (S20); > 100 m² not eligible (Kemensos, S61).
    "wealth_indicators": [
        "ada_ac", "ada_emas", "ada_laptop", "ada_lahan", "ada_rumah_lain", "luas_lantai",
        "lantai_mewah",
    ],
    "min_wealth_indicators": 3,
    "large_floor_m2": 100,
    # Regsosek 303: 1 MARMER/GRANIT, 3 PARKET/VINIL/KARPET.
    "rich_floor_codes": [1, 3],
    # EXC001: DTSEN priority desil 1–2 (S43); BDT desil 1 sangat miskin, 2 miskin (S33, S34).
    "poor_desil": 2,
    # EXC002: Kepmensos 262/HUK/2022 criteria computable from the export (S45–S47).
    "min_poverty_criteria": 4,
    "poor_floor_codes": [8],  # Regsosek 303: 8 TANAH
    "poor_wall_codes": [2, 3, 4, 5, 6],  # Regsosek 304: bamboo, wire, wood board, logs
    "no_latrine_codes": [2, 3, 4, 5, 6],  # Regsosek 309a: shared, communal, public, unused, none
    "poor_max_va": 450,
    "not_working_codes": [1],  # Dukcapil pekerjaan 1 BELUM/TIDAK BEKERJA
    "not_working_keywords": ["TIDAK BEKERJA", "BELUM BEKERJA", "PENGANGGURAN"],
}

_INT_KEYS = {
    "min_va", "max_desil", "min_wealth_indicators", "poor_desil", "min_poverty_criteria",
    "poor_max_va",
}
_FLOAT_KEYS = {"large_floor_m2"}
_INT_LIST_KEYS = {
    "state_employee_codes", "rich_floor_codes", "poor_floor_codes", "poor_wall_codes",
    "no_latrine_codes", "not_working_codes",
}


@dataclass(frozen=True)
class Policy:
    """The eligibility thresholds in force (hashable, so results can be cached per policy)."""

    deceased_name_markers: tuple[str, ...]
    state_employee_codes: tuple[int, ...]
    state_employee_keywords: tuple[str, ...]
    state_employee_exclude: tuple[str, ...]
    min_va: int
    max_desil: int
    wealth_indicators: tuple[str, ...]
    min_wealth_indicators: int
    large_floor_m2: float
    rich_floor_codes: tuple[int, ...]
    poor_desil: int
    min_poverty_criteria: int
    poor_floor_codes: tuple[int, ...]
    poor_wall_codes: tuple[int, ...]
    no_latrine_codes: tuple[int, ...]
    poor_max_va: int
    not_working_codes: tuple[int, ...]
    not_working_keywords: tuple[str, ...]

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Policy:
        """Defaults overlaid with `values` (unknown keys ignored), checked and normalised."""
        merged = dict(DEFAULT_POLICY)
        for key, value in values.items():
            if key in merged:
                merged[key] = value
        out: dict[str, Any] = {}
        for f in fields(cls):
            out[f.name] = _coerce(f.name, merged[f.name])
        if not WEALTH_KNOWN.issuperset(out["wealth_indicators"]):
            unknown = sorted(set(out["wealth_indicators"]) - WEALTH_KNOWN)
            raise UserError(
                f"policy: wealth_indicators {unknown} are unknown; use some of "
                f"{', '.join(sorted(WEALTH_KNOWN))}."
            )
        return cls(**out)


def _coerce(key: str, value: Any) -> Any:
    try:
        if key in _INT_KEYS:
            if isinstance(value, bool):
                raise ValueError
            return int(value)
        if key in _FLOAT_KEYS:
            return float(value)
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        items = list(value)
        if key in _INT_LIST_KEYS:
            return tuple(int(v) for v in items)
        return tuple(str(v).strip().upper() if key != "wealth_indicators" else str(v).strip()
                     for v in items)
    except (TypeError, ValueError):
        raise UserError(
            f"policy: {key} = {value!r} is not valid; the default is {DEFAULT_POLICY[key]!r}."
        ) from None


def policy_for(ds: Dataset, overrides: Mapping[str, Any] | None = None) -> Policy:
    """The policy of a run: defaults, then the config's `[policy]`, then `overrides` (a rule's
    merged options, which include per-rule `[rules.CODE]` settings)."""
    values: dict[str, Any] = dict(getattr(ds.config, "policy", {}) or {})
    _reject_unknown_keys(values)
    values.update(overrides or {})
    return Policy.from_mapping(values)


def _reject_unknown_keys(policy: Mapping[str, Any]) -> None:
    """A misspelt policy key would silently leave the default in force: name it instead. Keys
    that are options of any registered rule are accepted (Config.options_for merges them)."""
    if not policy:
        return
    from siksval.rules import catalogue

    known = set(DEFAULT_POLICY)
    for info in catalogue().values():
        known.update(info.options)
    unknown = sorted(set(policy) - known)
    if unknown:
        raise UserError(
            f"policy: unknown key(s) {', '.join(unknown)}; known policy keys are "
            f"{', '.join(sorted(DEFAULT_POLICY))} (see `siksval init`)."
        )


def policy_options(*keys: str) -> dict[str, Any]:
    """Default values of the policy keys a rule uses (its registry `options`)."""
    return {k: DEFAULT_POLICY[k] for k in keys}


# ---------------------------------------------------------------------------------------------
# Record-level evidence
# ---------------------------------------------------------------------------------------------


def _word_pattern(words: Iterable[str]) -> str | None:
    """A regex matching any of `words` as whole words: no letter or digit may touch it, so
    POLRI inside another word or ASN inside KASNI is no match. RE2 syntax (no lookarounds) for
    pyarrow's kernel; spaces inside a phrase match any run of spaces."""
    items = sorted({w.strip().upper() for w in words if w and w.strip()}, key=len, reverse=True)
    if not items:
        return None
    alt = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items)
    return rf"(?:^|[^A-Z0-9])(?:{alt})(?:[^A-Z0-9]|$)"


def _contains(values: pd.Series, pattern: str | None) -> np.ndarray:
    """Case-insensitive regex search over a text Series in one pyarrow kernel call."""
    if pattern is None or values.empty:
        return np.zeros(len(values), dtype=bool)
    arr = pa.array(values.to_numpy(dtype=object, na_value=None), type=pa.string())
    hit = pc.match_substring_regex(arr, pattern, ignore_case=True)
    return hit.fill_null(False).to_numpy(zero_copy_only=False).astype(bool)


#: Category of a state-employee occupation: key, Bahasa label, English label, codes, keywords.
_EMPLOYEE_GROUPS: tuple[tuple[str, str, str, frozenset[int], tuple[str, ...]], ...] = (
    ("pns", "PNS/ASN", "a civil servant (PNS/ASN)", frozenset({5}),
     ("PNS", "CPNS", "ASN", "PPPK", "P3K", "PEGAWAI NEGERI", "APARATUR SIPIL NEGARA")),
    ("tni", "TNI", "a soldier (TNI)", frozenset({6}), ("TNI", "TENTARA")),
    ("polri", "POLRI", "a police officer (POLRI)", frozenset({7}),
     ("POLRI", "POLISI", "KEPOLISIAN")),
    ("bumn", "karyawan BUMN", "a state-owned enterprise employee (BUMN)", frozenset({16}),
     ("BUMN",)),
    ("bumd", "karyawan BUMD", "a regional enterprise employee (BUMD)", frozenset({17}),
     ("BUMD",)),
    ("pejabat", "pejabat negara", "a state official", frozenset(range(48, 64)),
     ("DPR", "DPRD", "DPD", "ANGGOTA BPK", "PRESIDEN", "MAHKAMAH KONSTITUSI", "KABINET",
      "MENTERI", "DUTA BESAR", "GUBERNUR", "BUPATI", "WALIKOTA", "WALI KOTA", "PEJABAT NEGARA")),
)
EMPLOYEE_LABELS: dict[str, tuple[str, str]] = {
    **{g[0]: (g[1], g[2]) for g in _EMPLOYEE_GROUPS},
    "lainnya": ("pegawai/pejabat negara", "a state employee or official"),
    "kedudukan": (
        "PNS/TNI/POLRI/BUMN/BUMD/pejabat negara (kedudukan kerja 5)",
        "a state employee or official (employment status 5)",
    ),
}


def _code_numbers(values: pd.Series) -> np.ndarray:
    """Integer occupation code of values written as a number (`5`, `05`, `5.0`), -1 otherwise."""
    num = values.str.extract(r"^0*(\d{1,3})(?:\.0+)?$", expand=False)
    return pd.to_numeric(num, errors="coerce").fillna(-1).astype("int64").to_numpy()


def classify_occupation(pekerjaan: pd.Series, policy: Policy) -> pd.Series:
    """State-employee category per record ('pns', 'tni', 'polri', 'bumn', 'bumd', 'pejabat',
    'lainnya' for user-added codes/keywords) or NA when the occupation is not one.

    Matches Dukcapil codes and label text on the distinct values only, with whole-word
    keywords and an exclusion list (PENSIUNAN, NON, MANTAN, ...) that vetoes a label.
    """
    codes, uniques = pd.factorize(pekerjaan, use_na_sentinel=True)
    if len(uniques) == 0:
        return pd.Series(pd.NA, index=pekerjaan.index, dtype="string")
    u = pd.Series(uniques, dtype="string").str.upper().str.replace(r"\s+", " ", regex=True)
    u = u.str.strip()
    num = _code_numbers(u)
    matched = np.isin(num, np.asarray(policy.state_employee_codes, dtype="int64"))
    matched |= _contains(u, _word_pattern(policy.state_employee_keywords))
    matched &= ~_contains(u, _word_pattern(policy.state_employee_exclude))
    category = np.full(len(u), None, dtype=object)
    category[matched] = "lainnya"
    # First group that explains the value names it (reverse order so earlier groups win).
    for key, _id, _en, group_codes, group_words in reversed(_EMPLOYEE_GROUPS):
        hit = np.isin(num, np.asarray(sorted(group_codes), dtype="int64"))
        hit |= _contains(u, _word_pattern(group_words))
        category[matched & hit] = key
    per_row = np.where(codes >= 0, category[np.maximum(codes, 0)], None)
    return pd.Series(per_row, index=pekerjaan.index, dtype="string")


def deceased_mask(ds: Dataset, policy: Policy) -> np.ndarray:
    """Records of people who died: `status_keberadaan` = 2 (MENINGGAL, Regsosek 404) or a name
    marked ALM./ALMH./ALMARHUM(AH)."""
    f = ds.frame
    out = np.zeros(len(f), dtype=bool)
    if "status_keberadaan" in f.columns:
        out |= (f["status_keberadaan"] == 2).fillna(False).to_numpy(dtype=bool)
    if "nama" in f.columns:
        out |= _contains(f["nama"], _word_pattern(policy.deceased_name_markers))
    return out


def employee_category(ds: Dataset, policy: Policy) -> pd.Series:
    """State-employee category per record from `pekerjaan`, else `kedudukan_kerja` = 5."""
    f = ds.frame
    cat = pd.Series(pd.NA, index=f.index, dtype="string")
    if "pekerjaan" in f.columns:
        cat = classify_occupation(f["pekerjaan"].astype("string"), policy)
    if "kedudukan_kerja" in f.columns:
        status5 = (f["kedudukan_kerja"] == 5).fillna(False)
        cat = cat.mask(cat.isna() & status5, "kedudukan")
    return cat


def _not_working(ds: Dataset, policy: Policy) -> np.ndarray:
    f = ds.frame
    if "pekerjaan" not in f.columns:
        return np.zeros(len(f), dtype=bool)
    codes, uniques = pd.factorize(f["pekerjaan"].astype("string"), use_na_sentinel=True)
    u = pd.Series(uniques, dtype="string").str.upper().str.strip()
    hit = np.isin(_code_numbers(u), np.asarray(policy.not_working_codes, dtype="int64"))
    # "BELUM/TIDAK BEKERJA" is Dukcapil's label for code 1.
    hit |= _contains(u.str.replace("/", " ", regex=False).str.replace(r"\s+", " ", regex=True),
                     _word_pattern((*policy.not_working_keywords, "BELUM TIDAK BEKERJA")))
    return np.where(codes >= 0, hit[np.maximum(codes, 0)] if len(hit) else False, False)


def _bool_col(f: pd.DataFrame, col: str) -> np.ndarray:
    if col not in f.columns:
        return np.zeros(len(f), dtype=bool)
    return f[col].fillna(False).astype(bool).to_numpy()


def _isin_col(f: pd.DataFrame, col: str, codes: Iterable[int]) -> np.ndarray:
    if col not in f.columns:
        return np.zeros(len(f), dtype=bool)
    return f[col].isin(list(codes)).fillna(False).to_numpy(dtype=bool)


def _num_col(f: pd.DataFrame, col: str) -> np.ndarray:
    if col not in f.columns:
        return np.full(len(f), np.nan)
    s = f[col]
    if not pd.api.types.is_numeric_dtype(s):
        s = pd.to_numeric(s, errors="coerce")
    return s.to_numpy(dtype="float64", na_value=np.nan)


# ---------------------------------------------------------------------------------------------
# ELG008: error-level NIK findings
# ---------------------------------------------------------------------------------------------

def nik_error_mask(ds: Dataset) -> np.ndarray:
    """True on records whose NIK has an error-level NIK finding (NIK001–NIK006).

    Runs the NIK rules of the registry themselves (siksval.rules.nik over the shared
    `ds.cached(nik_columns)` decoding, with the run's options for those rules), also when they
    are not selected, so ELG008 can never disagree with NIK001–NIK006.
    """
    from siksval.rules import Hits, load_rules

    registry = load_rules()
    out = np.zeros(len(ds.frame), dtype=bool)
    for code in NIK_ERROR_CODES:
        r = registry.get(code)
        if r is None or r.fn is None or ds.name not in r.info.datasets:
            continue
        if not all(ds.has(c) for c in r.info.columns):
            continue
        result = r.fn(ds, ds.config.options_for(code, dict(r.info.options)))
        if isinstance(result, Hits):
            out |= result.mask.fillna(False).astype(bool).to_numpy()
        elif isinstance(result, pd.DataFrame) and not result.empty:
            out |= ds.row.isin(result["row"].dropna().astype("int64")).to_numpy()
    return out


# ---------------------------------------------------------------------------------------------
# Household view
# ---------------------------------------------------------------------------------------------

#: Wealth indicators (ELG006): key -> (Bahasa label, English label).
WEALTH_LABELS: dict[str, tuple[str, str]] = {
    "ada_ac": ("AC", "air conditioner"),
    "ada_emas": ("emas/perhiasan", "gold/jewellery"),
    "ada_laptop": ("komputer/laptop", "computer/laptop"),
    "ada_lahan": ("lahan lain", "other land"),
    "ada_rumah_lain": ("rumah lain", "another house"),
    "ada_mobil": ("mobil", "car"),
    "ada_motor": ("sepeda motor", "motorcycle"),
    "ada_lemari_es": ("lemari es", "refrigerator"),
    "luas_lantai": ("luas lantai > {m2} m²", "floor area > {m2} m²"),
    "lantai_mewah": ("lantai marmer/granit/parket", "marble/granite/parquet floor"),
}
WEALTH_KNOWN = frozenset(WEALTH_LABELS)

#: Poverty criteria of Kepmensos 262/HUK/2022 computable from the export (EXC002).
CRITERIA_LABELS: dict[str, tuple[str, str]] = {
    "lantai_tanah": ("lantai tanah", "earth floor"),
    "dinding_buruk": ("dinding bambu/kayu", "bamboo/wood walls"),
    "tanpa_jamban": ("tanpa jamban sendiri", "no own latrine"),
    "listrik_450": ("listrik 450 VA", "450 VA electricity"),
    "kepala_tidak_bekerja": ("kepala keluarga tidak bekerja", "head of family not working"),
}

#: Priority points per reason (how strong the indicator is). Deceased members and state
#: employees are near-certain inclusion errors (BPK S35, Kemensos/BKN S59); a car is strong;
#: electricity, desil, padan and NIK problems need a field check.
WEIGHTS: dict[str, int] = {
    "ELG001": 3, "ELG002": 3, "ELG003": 2, "ELG004": 1, "ELG005": 1, "ELG006": 2,
    "ELG007": 1, "ELG008": 1, "EXC001": 2, "EXC002": 2,
}

HOUSEHOLD_COLUMNS: tuple[str, ...] = (
    "no_kk", "row", "rows", "receives_aid", "programs", *ELG_CODES, *EXC_CODES, "codes",
    "sentence_id", "sentence_en", "names", "priority", "desil", "daya_listrik", "wealth",
    "poverty_criteria", "members",
)


class _ReasonCache:
    """Per-Dataset store of household_reasons results keyed by (policy, selected codes)."""

    def __init__(self, ds: Dataset) -> None:
        self.results: dict[tuple[Policy, tuple[str, ...]], pd.DataFrame] = {}


def _selected_codes(ds: Dataset) -> tuple[str, ...]:
    cfg = ds.config
    return tuple(c for c in (*ELG_CODES, *EXC_CODES) if cfg.is_selected(c))


def household_reasons(ds: Dataset, policy: Policy | None = None) -> pd.DataFrame:
    """One row per household that has at least one ELG/EXC reason, computed once per policy.

    Columns (see HOUSEHOLD_COLUMNS): `no_kk` (cleaned KK, None for a record without KK),
    `row` (first record, 1-based), `rows` (all member records), `receives_aid`, `programs`
    (e.g. ["PKH", "BPNT"]), one bool column per rule code ELG001…EXC002, `codes` (the codes that
    apply), `sentence_id` / `sentence_en` (every reason in one sentence), `names` (members named
    in the sentence), `priority` (int, higher = verify first), `desil`, `daya_listrik`,
    `wealth` (indicator keys), `poverty_criteria` (criterion keys), `members` ({code: [rows]}),
    and private `_pos_<CODE>` columns (0-based position of the first evidence record).

    Only reasons of rules selected in the run's config are listed (`--select/--ignore`). Sorted
    by priority (descending), then first record.
    """
    policy = policy or policy_for(ds)
    selected = _selected_codes(ds)
    cache = ds.cached(_ReasonCache)
    key = (policy, selected)
    if key not in cache.results:
        cache.results[key] = _compute(ds, policy, set(selected))
    return cache.results[key]


def _group_ids(ds: Dataset) -> np.ndarray:
    """Household id per record; a record without KK is a household of its own."""
    gid = np.asarray(ds.hh_codes, dtype="int64").copy()
    lone = gid < 0
    if lone.any():
        gid[lone] = (gid.max(initial=-1) + 1) + np.arange(int(lone.sum()))
    return gid


def _any_by(gid: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(gid[mask], minlength=n) > 0


def _first_pos(gid: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    """0-based position of the first masked record of each household (-1 if none)."""
    out = np.full(n, -1, dtype="int64")
    pos = np.flatnonzero(mask)
    if len(pos):
        groups, first = np.unique(gid[pos], return_index=True)
        out[groups] = pos[first]
    return out


def _max_by(gid: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    out = np.full(n, np.nan)
    ok = np.isfinite(values)
    if ok.any():
        np.fmax.at(out, gid[ok], values[ok])
    return out


def _min_by(gid: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    out = np.full(n, np.nan)
    ok = np.isfinite(values)
    if ok.any():
        np.fmin.at(out, gid[ok], values[ok])
    return out


def _join(parts: list[pd.Series], sep: str) -> pd.Series:
    """Join string Series element-wise, skipping NA parts (one pyarrow kernel call)."""
    index = parts[0].index
    arrays = [pa.array(p.to_numpy(dtype=object, na_value=None), type=pa.string()) for p in parts]
    # A leading all-"" array keeps rows whose parts are all null (pyarrow 26 drops such rows
    # with null_handling="skip"); the separator it adds in front is removed afterwards.
    lead = pa.array(np.full(len(index), "", dtype=object), type=pa.string())
    joined = pc.binary_join_element_wise(lead, *arrays, sep, null_handling="skip")
    joined = pc.replace_substring_regex(
        joined, pattern="^" + re.escape(sep), replacement="", max_replacements=1
    )
    return pd.Series(joined.to_numpy(zero_copy_only=False), index=index, dtype="string")


def _group_join(
    groups: np.ndarray, texts: np.ndarray, H: int, sep: str, *, unique: bool = False
) -> pd.Series:
    """Texts joined with `sep` per group 0..H-1 (file order kept; NA for groups without text).

    Vectorized with np.add.reduceat on object arrays instead of a Python call per group.
    """
    out = np.full(H, None, dtype=object)
    if len(groups):
        frame = pd.DataFrame({"g": groups, "t": np.asarray(texts, dtype=object)})
        if unique:
            frame = frame.drop_duplicates()
        frame = frame.sort_values("g", kind="stable")
        g = frame["g"].to_numpy()
        t = frame["t"].to_numpy(dtype=object)
        starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
        joined = pd.Series(np.add.reduceat(t + sep, starts), dtype="string")
        out[g[starts]] = joined.str.slice(0, -len(sep)).to_numpy(dtype=object)
    return pd.Series(out, dtype="string")


def _group_rows(groups: np.ndarray, rows: np.ndarray) -> dict[int, list[Any]]:
    """Values (record numbers, names) per group in their given order, only for groups that
    have values."""
    if not len(groups):
        return {}
    order = np.argsort(groups, kind="stable")
    g = groups[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    chunks = np.split(rows[order], starts[1:])
    return dict(zip(g[starts].tolist(), (c.tolist() for c in chunks), strict=True))


def _compute(ds: Dataset, policy: Policy, selected: set[str]) -> pd.DataFrame:
    f = ds.frame
    n = len(f)
    if n == 0:
        return pd.DataFrame(columns=list(HOUSEHOLD_COLUMNS))
    gid = _group_ids(ds)
    G = int(gid.max()) + 1
    aid_rec = ds.receives_aid.fillna(False).astype(bool).to_numpy()
    aid = _any_by(gid, aid_rec, G)
    rows_all = ds.row.to_numpy()

    # --- record-level evidence --------------------------------------------------------------
    ev: dict[str, np.ndarray] = {}
    ev["ELG001"] = deceased_mask(ds, policy)
    emp_cat = employee_category(ds, policy)
    ev["ELG002"] = emp_cat.notna().to_numpy()
    ev["ELG003"] = _bool_col(f, "ada_mobil")
    va = _num_col(f, "daya_listrik")
    ev["ELG004"] = np.nan_to_num(va, nan=-1) >= policy.min_va
    desil = _num_col(f, "desil")
    ev["ELG005"] = np.nan_to_num(desil, nan=-1) > policy.max_desil
    ev["ELG007"] = (
        (~f["padan_dukcapil"].astype("boolean")).fillna(False).to_numpy(dtype=bool)
        if "padan_dukcapil" in f.columns else np.zeros(n, dtype=bool)
    )
    ev["ELG008"] = (
        ds.cached(nik_error_mask) if "ELG008" in selected else np.zeros(n, dtype=bool)
    )
    area = _num_col(f, "luas_lantai")
    wealth_rec: dict[str, np.ndarray] = {}
    for key in policy.wealth_indicators:
        if key == "luas_lantai":
            wealth_rec[key] = np.nan_to_num(area, nan=-1) > policy.large_floor_m2
        elif key == "lantai_mewah":
            wealth_rec[key] = _isin_col(f, "jenis_lantai", policy.rich_floor_codes)
        else:
            wealth_rec[key] = _bool_col(f, key)
    wealth_hh = {k: _any_by(gid, m, G) for k, m in wealth_rec.items()}
    n_wealth = np.sum(list(wealth_hh.values()), axis=0) if wealth_hh else np.zeros(G, dtype=int)
    any_wealth = np.any(list(wealth_rec.values()), axis=0) if wealth_rec else np.zeros(n, bool)
    ev["ELG006"] = any_wealth & (n_wealth[gid] >= policy.min_wealth_indicators)

    ev["EXC001"] = (desil >= 1) & (desil <= policy.poor_desil)
    head = _isin_col(f, "hub_keluarga", [1])
    crit_rec = {
        "lantai_tanah": _isin_col(f, "jenis_lantai", policy.poor_floor_codes),
        "dinding_buruk": _isin_col(f, "jenis_dinding", policy.poor_wall_codes),
        "tanpa_jamban": _isin_col(f, "fasilitas_bab", policy.no_latrine_codes),
        "listrik_450": (va > 0) & (np.nan_to_num(va, nan=np.inf) <= policy.poor_max_va),
        "kepala_tidak_bekerja": head & _not_working(ds, policy),
    }
    crit_hh = {k: _any_by(gid, m, G) for k, m in crit_rec.items()}
    n_crit = np.sum(list(crit_hh.values()), axis=0)
    any_crit = np.any(list(crit_rec.values()), axis=0)
    ev["EXC002"] = any_crit & (n_crit[gid] >= policy.min_poverty_criteria)

    # --- household flags ---------------------------------------------------------------------
    flags: dict[str, np.ndarray] = {}
    for code in ELG_CODES:
        flags[code] = (_any_by(gid, ev[code], G) & aid) if code in selected else np.zeros(G, bool)
    for code in EXC_CODES:
        flags[code] = (_any_by(gid, ev[code], G) & ~aid) if code in selected else np.zeros(G, bool)
    flagged = np.flatnonzero(np.any(list(flags.values()), axis=0))
    if len(flagged) == 0:
        return pd.DataFrame(columns=list(HOUSEHOLD_COLUMNS))
    H = len(flagged)
    idx = pd.RangeIndex(H)
    fl = {c: flags[c][flagged] for c in flags}

    # Map household -> flagged position, and keep only evidence of flagged households.
    slot = np.full(G, -1, dtype="int64")
    slot[flagged] = np.arange(H)
    rec_slot = slot[gid]
    in_flagged = rec_slot >= 0

    # Members of each flagged household, in file order.
    members_pos = np.flatnonzero(in_flagged)
    by_slot = _group_rows(rec_slot[members_pos], rows_all[members_pos])
    member_rows = [by_slot[i] for i in range(H)]

    names_col = (
        f["nama"].astype("string") if "nama" in f.columns else pd.Series(pd.NA, index=f.index, dtype="string")
    )
    display_name = names_col.fillna(pd.Series("#" + pd.Series(rows_all).astype(str), index=f.index))

    names_arr = display_name.to_numpy(dtype=object)

    def evidence(code: str) -> np.ndarray:
        """Positions of the evidence records of households where `code` fires."""
        return np.flatnonzero(ev[code] & in_flagged & fl[code][np.maximum(rec_slot, 0)])

    def names_of(code: str) -> pd.Series:
        """Names (", "-joined, each once) of the evidence records per flagged household."""
        pos = evidence(code)
        return _group_join(rec_slot[pos], names_arr[pos], H, ", ", unique=True)

    parts_id: list[pd.Series] = []
    parts_en: list[pd.Series] = []
    # Evidence records of each reason per flagged household (household attributes such as
    # a car or the floor are on every member record that carries them).
    members: dict[str, dict[int, list[int]]] = {}
    for code in (*ELG_CODES, *EXC_CODES):
        pos = evidence(code)
        members[code] = _group_rows(rec_slot[pos], rows_all[pos])

    def add(code: str, text_id: pd.Series, text_en: pd.Series) -> None:
        on = pd.Series(fl[code], index=idx)
        parts_id.append(text_id.astype("string").where(on))
        parts_en.append(text_en.astype("string").where(on))

    # Head: programs received (ELG) or none (EXC).
    prog_parts = []
    for col, label in PROGRAMS.items():
        if col in f.columns:
            got = _any_by(gid, _bool_col(f, col), G)[flagged]
            prog_parts.append(pd.Series(np.where(got, label, None), index=idx, dtype="string"))
    programs = _join(prog_parts, ", ") if prog_parts else pd.Series("", index=idx, dtype="string")
    aid_f = aid[flagged]
    head_id = pd.Series(np.where(aid_f, "Keluarga menerima ", "Keluarga tidak menerima bantuan"),
                        index=idx, dtype="string")
    head_en = pd.Series(np.where(aid_f, "Family receives ", "Family receives no programme"),
                        index=idx, dtype="string")
    head_id = head_id + pd.Series(np.where(aid_f, programs, ""), index=idx, dtype="string")
    head_en = head_en + pd.Series(np.where(aid_f, programs, ""), index=idx, dtype="string")

    # ELG001 deceased
    nm = names_of("ELG001")
    add("ELG001", "anggota " + nm + " sudah meninggal", "member " + nm + " has died")

    # ELG002 state employees: one part per member with their category.
    pos = evidence("ELG002")
    cats = emp_cat.to_numpy(dtype=object, na_value=None)[pos]
    lab_id = np.array([EMPLOYEE_LABELS[c][0] for c in EMPLOYEE_LABELS], dtype=object)
    lab_en = np.array([EMPLOYEE_LABELS[c][1] for c in EMPLOYEE_LABELS], dtype=object)
    which = pd.Index(list(EMPLOYEE_LABELS)).get_indexer(cats)
    nm_pos = names_arr[pos]
    emp_id = _group_join(rec_slot[pos], "anggota " + nm_pos + " berstatus " + lab_id[which], H, "; ")
    emp_en = _group_join(rec_slot[pos], "member " + nm_pos + " is " + lab_en[which], H, "; ")
    add("ELG002", emp_id, emp_en)

    # ELG003 car, ELG004 power, ELG005 desil (household attributes)
    const = pd.Series("memiliki mobil", index=idx, dtype="string")
    add("ELG003", const, pd.Series("owns a car", index=idx, dtype="string"))
    va_hh = _max_by(gid, va, G)[flagged]
    va_txt = pd.Series(
        np.where(va_hh > 2200, "> 2200", np.nan_to_num(va_hh, nan=0).astype(int).astype(str)),
        index=idx, dtype="string",
    )
    add("ELG004", "daya " + va_txt + " VA", "electricity " + va_txt + " VA")
    desil_hh_max = _max_by(gid, desil, G)[flagged]
    desil_hh_min = _min_by(gid, desil, G)[flagged]
    d_max = pd.Series(np.nan_to_num(desil_hh_max, nan=0).astype(int).astype(str), index=idx,
                      dtype="string")
    add("ELG005", "desil " + d_max, "decile " + d_max)

    # ELG006 wealth indicators
    w_id, w_en = [], []
    for key, on in wealth_hh.items():
        lid, len_ = WEALTH_LABELS[key]
        m2_ = f"{policy.large_floor_m2:g}"
        w_id.append(pd.Series(np.where(on[flagged], lid.format(m2=m2_), None), index=idx,
                              dtype="string"))
        w_en.append(pd.Series(np.where(on[flagged], len_.format(m2=m2_), None), index=idx,
                              dtype="string"))
    nw = pd.Series(n_wealth[flagged].astype(int).astype(str), index=idx, dtype="string")
    if w_id:
        add("ELG006", nw + " indikator kekayaan (" + _join(w_id, ", ") + ")",
            nw + " wealth indicators (" + _join(w_en, ", ") + ")")
    # ELG007 / ELG008 members
    nm = names_of("ELG007")
    add("ELG007", "anggota " + nm + " tidak padan Dukcapil",
        "member " + nm + " not matched with Dukcapil")
    nm = names_of("ELG008")
    add("ELG008", "NIK anggota " + nm + " tidak valid", "member " + nm + " has an invalid NIK")

    # EXC001 / EXC002
    d_min = pd.Series(np.nan_to_num(desil_hh_min, nan=0).astype(int).astype(str), index=idx,
                      dtype="string")
    add("EXC001", "desil " + d_min, "decile " + d_min)
    c_id, c_en = [], []
    for key, on in crit_hh.items():
        lid, len_ = CRITERIA_LABELS[key]
        c_id.append(pd.Series(np.where(on[flagged], lid, None), index=idx, dtype="string"))
        c_en.append(pd.Series(np.where(on[flagged], len_, None), index=idx, dtype="string"))
    nc = pd.Series(n_crit[flagged].astype(int).astype(str), index=idx, dtype="string")
    add("EXC002",
        "memenuhi " + nc + " kriteria kemiskinan Kepmensos 262/HUK/2022 (" + _join(c_id, ", ") + ")",
        "meets " + nc + " poverty criteria of Kepmensos 262/HUK/2022 (" + _join(c_en, ", ") + ")")

    sentence_id = _join([head_id, *parts_id], "; ")
    sentence_en = _join([head_en, *parts_en], "; ")

    # --- priority ----------------------------------------------------------------------------
    priority = np.zeros(H, dtype="int64")
    for code in (*ELG_CODES, *EXC_CODES):
        priority += WEIGHTS[code] * fl[code]
    # Stronger evidence within a reason: more power, higher desil, more indicators, poorer.
    priority += fl["ELG004"] * (np.nan_to_num(va_hh) > 2200)
    priority += fl["ELG005"] * (np.nan_to_num(desil_hh_max) >= policy.max_desil + 3)
    priority += fl["ELG006"] * np.maximum(n_wealth[flagged] - policy.min_wealth_indicators, 0)
    priority += fl["EXC001"] * np.maximum(
        policy.poor_desil - np.nan_to_num(desil_hh_min, nan=policy.poor_desil), 0
    ).astype("int64")
    priority += fl["EXC002"] * np.maximum(n_crit[flagged] - policy.min_poverty_criteria, 0)

    # --- assemble ----------------------------------------------------------------------------
    codes_arr = np.array([*ELG_CODES, *EXC_CODES])
    flag_matrix = np.column_stack([fl[c] for c in codes_arr])
    codes_list = [codes_arr[r].tolist() for r in flag_matrix]
    # Members named in the sentence, in sentence order, each once.
    named_pos = np.concatenate([evidence(c) for c in NAMED_CODES])
    named_slot = rec_slot[named_pos]
    named_frame = pd.DataFrame({"g": named_slot, "name": names_arr[named_pos]}).drop_duplicates()
    by_hh = _group_rows(named_frame["g"].to_numpy(), named_frame["name"].to_numpy(dtype=object))
    names_list = [by_hh.get(i, []) for i in range(H)]
    first_pos = {c: _first_pos(gid, ev[c] & in_flagged, G)[flagged] for c in codes_arr}
    hh_key = ds.hh_key.to_numpy(dtype=object, na_value=None)
    first_member = np.array([m[0] for m in member_rows])
    wealth_list = _keys_lists(wealth_hh, flagged, H)
    crit_list = _keys_lists(crit_hh, flagged, H)
    members_dict = [{c: members[c].get(i, []) for c in codes_list[i]} for i in range(H)]
    out = pd.DataFrame(
        {
            "no_kk": hh_key[_first_pos(gid, np.ones(n, bool), G)[flagged]],
            "row": first_member,
            "rows": member_rows,
            "receives_aid": aid_f,
            "programs": [p.split(", ") if p else [] for p in programs.fillna("").tolist()],
            **{c: fl[c] for c in codes_arr},
            "codes": codes_list,
            "sentence_id": sentence_id.to_numpy(dtype=object),
            "sentence_en": sentence_en.to_numpy(dtype=object),
            "names": names_list,
            "priority": priority,
            "desil": pd.array(np.where(np.isnan(desil_hh_max), None, desil_hh_max), dtype="Int64"),
            "daya_listrik": pd.array(np.where(np.isnan(va_hh), None, va_hh), dtype="Int64"),
            "wealth": wealth_list,
            "poverty_criteria": crit_list,
            "members": members_dict,
            **{f"_pos_{c}": first_pos[c] for c in codes_arr},
        }
    )
    return out.sort_values(["priority", "row"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )


def _keys_lists(per_hh: dict[str, np.ndarray], flagged: np.ndarray, H: int) -> list[list[str]]:
    if not per_hh:
        return [[] for _ in range(H)]
    keys = np.array(list(per_hh))
    matrix = np.column_stack([per_hh[k][flagged] for k in keys])
    return [keys[r].tolist() for r in matrix]


# ---------------------------------------------------------------------------------------------
# Worklist view from a Report (formatters see only the Report)
# ---------------------------------------------------------------------------------------------

WORKLIST_COLUMNS: tuple[str, ...] = (
    "source", "no_kk", "row", "rows", "codes", "severity", "priority", "message", "programs",
    "names", "members", "desil", "daya_listrik", "wealth", "poverty_criteria",
)
_SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}


def households_from_findings(findings: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """One row per household from the ELG/EXC findings of a Report (`report.findings_raw`),
    for the verification worklist: every ELG/EXC finding of a household carries the same
    household params, so the codes are gathered and the params read once.

    Columns (WORKLIST_COLUMNS): `source`, `no_kk` (as in the file; mask it when needed),
    `row` (first record, 1-based), `rows` (all member records), `codes` (sorted list),
    `severity` (the worst of the codes), `priority` (int, higher = verify first), `message` (the
    household sentence in `lang`, id or en), `programs`, `names` (members named in the
    sentence: mask with the names masker), `members` ({code: [rows]}), `desil`,
    `daya_listrik`, `wealth`, `poverty_criteria`. Sorted by priority (descending), then source
    and row.
    """
    codes = (*ELG_CODES, *EXC_CODES)
    if findings.empty:
        return pd.DataFrame(columns=list(WORKLIST_COLUMNS))
    sub = findings[findings["code"].isin(codes)]
    if sub.empty:
        return pd.DataFrame(columns=list(WORKLIST_COLUMNS))
    sub = sub.assign(
        _src=sub["source"].astype("string").fillna(""),
        _rank=sub["severity"].map(_SEVERITY_RANK).fillna(0).astype(int),
    ).sort_values(["_src", "row", "code"], kind="stable")
    grouped = sub.groupby(["_src", "row"], sort=False)
    first = grouped.head(1).reset_index(drop=True)
    code_lists = grouped["code"].agg(list).reset_index(drop=True)
    worst = grouped["_rank"].max().reset_index(drop=True)
    rank_to_sev = {v: k for k, v in _SEVERITY_RANK.items()}
    params = [p if isinstance(p, dict) else {} for p in first["params"]]

    def param(key: str, default: Any = None) -> list[Any]:
        return [p.get(key, default) for p in params]

    out = pd.DataFrame(
        {
            "source": first["source"].to_numpy(dtype=object),
            "no_kk": first["no_kk"].to_numpy(dtype=object),
            "row": first["row"].astype("int64").to_numpy(),
            "rows": first["rows"].to_numpy(dtype=object),
            "codes": code_lists.to_numpy(dtype=object),
            "severity": worst.map(rank_to_sev).to_numpy(dtype=object),
            "priority": [int(v or 0) for v in param("priority", 0)],
            "message": [(a or {}).get(lang) or (a or {}).get("id") for a in param("alasan")],
            "programs": param("programs", []),
            "names": param("names", []),
            "members": param("members", {}),
            "desil": param("desil"),
            "daya_listrik": param("daya_listrik"),
            "wealth": param("wealth", []),
            "poverty_criteria": param("poverty_criteria", []),
        }
    )
    order = out.assign(_src=out["source"].astype("string").fillna(""))
    order = order.sort_values(["priority", "_src", "row"], ascending=[False, True, True],
                              kind="stable")
    return out.loc[order.index].reset_index(drop=True)
