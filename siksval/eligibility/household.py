"""The household view: one row per household with an ELG/EXC reason, its sentence in Bahasa
Indonesia and English, the members concerned and a priority score; computed once per run and
policy and shared by the rules and the worklist.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from siksval.eligibility.codes import ELG_CODES, EXC_CODES, NAMED_CODES, PROGRAMS
from siksval.eligibility.evidence import (
    EMPLOYEE_LABELS,
    bool_column,
    deceased_mask,
    employee_category,
    isin_column,
    nik_error_mask,
    not_working,
    numeric_column,
)
from siksval.eligibility.policy import CRITERIA_LABELS, WEALTH_LABELS, Policy, policy_for

if TYPE_CHECKING:
    from siksval.dataset import Dataset

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
    ev["ELG003"] = bool_column(f, "ada_mobil")
    va = numeric_column(f, "daya_listrik")
    ev["ELG004"] = np.nan_to_num(va, nan=-1) >= policy.min_va
    desil = numeric_column(f, "desil")
    ev["ELG005"] = np.nan_to_num(desil, nan=-1) > policy.max_desil
    ev["ELG007"] = (
        (~f["padan_dukcapil"].astype("boolean")).fillna(False).to_numpy(dtype=bool)
        if "padan_dukcapil" in f.columns else np.zeros(n, dtype=bool)
    )
    ev["ELG008"] = (
        ds.cached(nik_error_mask) if "ELG008" in selected else np.zeros(n, dtype=bool)
    )
    area = numeric_column(f, "luas_lantai")
    wealth_rec: dict[str, np.ndarray] = {}
    for key in policy.wealth_indicators:
        if key == "luas_lantai":
            wealth_rec[key] = np.nan_to_num(area, nan=-1) > policy.large_floor_m2
        elif key == "lantai_mewah":
            wealth_rec[key] = isin_column(f, "jenis_lantai", policy.rich_floor_codes)
        else:
            wealth_rec[key] = bool_column(f, key)
    wealth_hh = {k: _any_by(gid, m, G) for k, m in wealth_rec.items()}
    n_wealth = np.sum(list(wealth_hh.values()), axis=0) if wealth_hh else np.zeros(G, dtype=int)
    any_wealth = np.any(list(wealth_rec.values()), axis=0) if wealth_rec else np.zeros(n, bool)
    ev["ELG006"] = any_wealth & (n_wealth[gid] >= policy.min_wealth_indicators)

    ev["EXC001"] = (desil >= 1) & (desil <= policy.poor_desil)
    head = isin_column(f, "hub_keluarga", [1])
    crit_rec = {
        "lantai_tanah": isin_column(f, "jenis_lantai", policy.poor_floor_codes),
        "dinding_buruk": isin_column(f, "jenis_dinding", policy.poor_wall_codes),
        "tanpa_jamban": isin_column(f, "fasilitas_bab", policy.no_latrine_codes),
        "listrik_450": (va > 0) & (np.nan_to_num(va, nan=np.inf) <= policy.poor_max_va),
        "kepala_tidak_bekerja": head & not_working(ds, policy),
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

    # Names are only ever shown for members of flagged households: convert just those
    # (a record without a name shows as "#<record number>").
    names_arr = np.full(n, None, dtype=object)
    if "nama" in f.columns:
        names_arr[members_pos] = f["nama"].iloc[members_pos].to_numpy(dtype=object, na_value=None)
    unnamed = members_pos[pd.isna(names_arr[members_pos])]
    names_arr[unnamed] = ["#" + str(r) for r in rows_all[unnamed]]

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
            got = _any_by(gid, bool_column(f, col), G)[flagged]
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
    cats = emp_cat.iloc[pos].to_numpy(dtype=object, na_value=None)
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
    # The house's own floor area says more than the threshold it exceeds.
    area_hh = _max_by(gid, area, G)[flagged]
    area_txt = pd.Series(area_hh, index=idx).map(lambda v: f"{v:g}").astype("string")
    for key, on in wealth_hh.items():
        lid, len_ = WEALTH_LABELS[key]
        hit = pd.Series(on[flagged], index=idx)
        if key == "luas_lantai":
            w_id.append(("luas lantai " + area_txt + " m²").where(hit))
            w_en.append(("floor area " + area_txt + " m²").where(hit))
            continue
        w_id.append(pd.Series(np.where(hit, lid, None), index=idx, dtype="string"))
        w_en.append(pd.Series(np.where(hit, len_, None), index=idx, dtype="string"))
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
