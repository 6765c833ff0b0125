"""CHG rules (CHG001–CHG006): suspicious changes between two monthly exports (`siksval diff`).

These rules run on a `MonthDiff` (OLD and NEW matched once by siksval.monthdiff), never on a
single file: their dataset is `diff`. Each returns a findings frame whose record numbers refer
to NEW (`row`, `rows`) with the OLD record numbers in `old_rows`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from siksval.eligibility import AID_ANY, ELG_CODES, PROGRAMS, deceased_mask, household_reasons
from siksval.eligibility.policy import policy_for, policy_options
from siksval.monthdiff.households import household_first, household_keys
from siksval.rules import rule
from siksval.rules._evidence import bilingual

if TYPE_CHECKING:
    from siksval.dataset import Dataset
    from siksval.monthdiff.engine import MonthDiff

#: The dataset name of rules that compare two months.
DIFF = "diff"

STATUS_LABELS = {1: "TINGGAL BERSAMA", 2: "MENINGGAL", 3: "PINDAH", 4: "PINDAH KE LUAR NEGERI",
                 5: "ART BARU", 6: "TIDAK DITEMUKAN"}
#: status_keberadaan codes that say the person is alive
ALIVE = (1, 3, 4, 5)


def _rows(ds: Dataset, positions: np.ndarray) -> np.ndarray:
    return ds.row.to_numpy()[np.asarray(positions, dtype=np.int64)]


def _values(ds: Dataset, column: str, positions: np.ndarray) -> list[Any]:
    if column not in ds.frame.columns:
        return [None] * len(positions)
    values = ds.frame[column].to_numpy(dtype=object, na_value=None)[positions]
    return [v.item() if isinstance(v, np.generic) else v for v in values]


def person_findings(md: MonthDiff, pairs: pd.DataFrame, column: str | None,
                    value: list[Any] | None, params: list[dict[str, Any]]) -> pd.DataFrame:
    """One finding per matched person: row = the NEW record, old_rows = [the OLD record]."""
    o = pairs["old"].to_numpy(np.int64)
    n = pairs["new"].to_numpy(np.int64)
    rows = _rows(md.new, n)
    return pd.DataFrame(
        {
            "row": rows,
            "rows": [[int(r)] for r in rows],
            "old_rows": [[int(r)] for r in _rows(md.old, o)],
            "column": column,
            "value": value if value is not None else [None] * len(n),
            "no_kk": _values(md.new, "no_kk", n),
            "nik": _values(md.new, "nik", n),
            "params": params,
        }
    )


def household_findings(md: MonthDiff, hh: pd.DataFrame, column: str | None,
                       value: list[Any] | None, params: list[dict[str, Any]]) -> pd.DataFrame:
    """One finding per matched household: rows = every NEW member, old_rows = every OLD one."""
    o = hh["old"].to_numpy(np.int64)
    n = hh["new"].to_numpy(np.int64)
    rows = md.new.household_rows_by_id(n)
    first = household_first(md.new)[n]
    return pd.DataFrame(
        {
            "row": [r[0] for r in rows],
            "rows": rows,
            "old_rows": md.old.household_rows_by_id(o),
            "column": column,
            "value": value if value is not None else [None] * len(n),
            "no_kk": _values(md.new, "no_kk", first),
            "nik": [None] * len(n),
            "params": params,
        }
    )


def _programs(ds: Dataset, hh_ids: np.ndarray) -> list[str]:
    """The programs each household receives, e.g. "PKH, BPNT" ("-" for none)."""
    from siksval.monthdiff.households import household_any

    labels = []
    for col, label in PROGRAMS.items():
        if col in ds.frame.columns:
            got = household_any(ds, ds.frame[col].fillna(False).to_numpy(bool))[hh_ids]
            labels.append(np.where(got, label, ""))
    if not labels:
        return ["-"] * len(hh_ids)
    table = np.column_stack(labels)
    return [", ".join(x for x in r if x) or "-" for r in table.tolist()]


# ---------------------------------------------------------------------------------------------


@rule(
    "CHG001",
    "deceased-alive-again",
    severity="warning",
    columns=("status_keberadaan|nama",),
    datasets=(DIFF,),
    message={
        "id": "Bulan lalu tercatat meninggal (baris {baris_lama}: {status_lama}), bulan ini "
        "hidup ({status})",
        "en": "Recorded as deceased last month (record {baris_lama}: {status_lama}), alive "
        "this month ({status})",
    },
    summary={"id": "Orang meninggal hidup kembali", "en": "Deceased person alive again"},
)
def deceased_alive_again(md: MonthDiff, opts: dict) -> pd.DataFrame:
    """What it does: flags a person recorded as dead in OLD (`status_keberadaan` = 2
    MENINGGAL, or a name marked ALM./ALMH./ALMARHUM(AH), the ELG001 evidence) who is alive in
    NEW: matched to a NEW record whose status is 1 TINGGAL BERSAMA, 3/4 PINDAH or 5 ART BARU
    and whose name carries no such marker. One finding per person, on the NEW record.

    Why it matters: deaths are the most common reason to remove someone from aid; BPK found
    1.69 million active DTKS individuals reported dead (domain.md §3.1, S35). A death that is
    undone a month later is either a wrong death entry (the person lost aid for nothing) or a
    wrong correction that puts a deceased person back on the payroll; verivali treats both as
    cases to verify (Permensos 3/2021 monthly update, §6.2, S25).

    Example: OLD record 12 `SUPARMAN`, status MENINGGAL; NEW record 11, same NIK, status
    TINGGAL BERSAMA -> CHG001 on record 11. A person deceased in both months, or alive in both,
    does not fire; neither does a status TIDAK DITEMUKAN (not found says nothing about alive).

    How to fix: check the death with Dukcapil (akta kematian) or in the field; correct the
    month that is wrong through SIKS-NG and, if the person is alive, restore their programs.
    """
    policy = policy_for(md.new)
    p = md.people
    dead_old = deceased_mask(md.old, policy)[p["old"].to_numpy()]
    dead_new = deceased_mask(md.new, policy)[p["new"].to_numpy()]
    if "status_keberadaan" in md.new.frame.columns:
        status_new = md.new.frame["status_keberadaan"].to_numpy("float64", na_value=np.nan)
    else:
        status_new = np.full(len(md.new), np.nan)
    alive = np.isin(status_new[p["new"].to_numpy()], ALIVE) & ~dead_new
    sub = p[dead_old & alive]
    if sub.empty:
        return pd.DataFrame()
    old_status = _values(md.old, "status_keberadaan", sub["old"].to_numpy())
    new_status = _values(md.new, "status_keberadaan", sub["new"].to_numpy())
    old_rows = _rows(md.old, sub["old"].to_numpy())
    params = [
        {"baris_lama": int(r), "status_lama": STATUS_LABELS.get(a, "ALM."),
         "status": STATUS_LABELS.get(b, str(b))}
        for r, a, b in zip(old_rows, old_status, new_status, strict=True)
    ]
    values = [STATUS_LABELS.get(b, b) for b in new_status]
    return person_findings(md, sub, "status_keberadaan", values, params)


@rule(
    "CHG002",
    "desil-jump",
    severity="warning",
    level="household",
    columns=("no_kk", "desil"),
    datasets=(DIFF,),
    options={"min_jump": 3},
    message={
        "id": "Desil keluarga berubah {selisih} tingkat dalam sebulan: dari {desil_lama} menjadi "
        "{desil}",
        "en": "The household's decile moved by {selisih} in one month: from {desil_lama} to "
        "{desil}",
    },
    summary={"id": "Desil keluarga melompat", "en": "Household decile jump"},
)
def desil_jump(md: MonthDiff, opts: dict) -> pd.DataFrame:
    """What it does: flags a household (matched between OLD and NEW by KK number, or by its
    members when the KK number changed) whose desil moved by at least `min_jump` (default 3)
    between the two months, up or down. The household's desil is the highest desil among its
    members. One finding per household.

    Why it matters: desil is the welfare rank of the whole household from the proxy-means test
    (domain.md §2.9, S34, S40–S43), and programs are targeted by it (desil 1–4, priority 1–2).
    A household's circumstances rarely change by three deciles in a month; a jump usually means
    a re-ranking error, data of another family entered under this KK, or a manual override that
    moves the family in or out of programs.

    Example: KK 3273010101100001 desil 3 in OLD, desil 7 in NEW -> CHG002 (jump 4). Desil 3 ->
    4, or 2 -> 4 (jump 2) does not fire.

    How to fix: compare the household's PMT variables (housing, assets, members) of both months
    and the re-ranking decision; correct the variables that were entered wrongly.
    """
    hh = md.households
    d_old = md.household_desil("old")[hh["old"].to_numpy()]
    d_new = md.household_desil("new")[hh["new"].to_numpy()]
    jump = d_new - d_old
    hit = np.isfinite(jump) & (np.abs(np.nan_to_num(jump)) >= int(opts["min_jump"]))
    sub = hh[hit]
    if sub.empty:
        return pd.DataFrame()
    a, b = d_old[hit].astype(int), d_new[hit].astype(int)
    params = [{"desil_lama": int(x), "desil": int(y), "selisih": f"{int(y - x):+d}"}
              for x, y in zip(a, b, strict=True)]
    return household_findings(md, sub, "desil", [int(y) for y in b], params)


@rule(
    "CHG003",
    "aid-started-inclusion-indicator",
    severity="warning",
    level="household",
    columns=("no_kk", AID_ANY),
    datasets=(DIFF,),
    message={
        "id": "Bantuan mulai diterima bulan ini ({program}) oleh keluarga dengan indikasi salah "
        "sasaran: {alasan[id]}",
        "en": "Aid started this month ({program}) for a household with an inclusion-error "
        "indicator: {alasan[en]}",
    },
    summary={"id": "Bantuan baru untuk keluarga dengan indikasi salah sasaran",
             "en": "Aid started despite an inclusion indicator"},
)
def aid_started_inclusion_indicator(md: MonthDiff, opts: dict) -> pd.DataFrame:
    """What it does: flags a household that received no aid in OLD (none of PKH, BPNT,
    PBI-JK, BST, BLT-DD on any member) and receives aid in NEW while NEW shows one of the
    inclusion-error indicators of the ELG family (ELG001–ELG008: a deceased member, a state
    employee, a car, electricity ≥ 1300 VA, desil above 4, wealth indicators, not matched with
    Dukcapil, an invalid NIK; thresholds from `[policy]`). One finding per household; the
    message lists the indicators. Households new in NEW are left to the ELG rules of `check`.

    Why it matters: a new recipient is the cheapest inclusion error to stop: BPK recommends
    cleansing the data "before each monthly DTKS determination" (domain.md §3.1, S35), and the
    ASN and car-owner cases (S59–S61) show that new entries are where they slip in.

    Example: a household with a car and no program in OLD, BPNT in NEW -> CHG003 ("memiliki
    mobil"). The same household already receiving BPNT in OLD does not fire (ELG003 reports it
    in `check`); a poor household starting BPNT without any indicator does not fire.

    How to fix: verify the indicator before the first payment; if it holds, cancel the new
    program through SIKS-NG; if it is a data error, correct it (and the ELG rule goes silent).
    """
    hh = md.households
    aid_old = md.household_aid("old")[hh["old"].to_numpy()]
    aid_new = md.household_aid("new")[hh["new"].to_numpy()]
    started = hh[~aid_old & aid_new]
    if started.empty:
        return pd.DataFrame()
    reasons = household_reasons(md.new, policy_for(md.new))
    if reasons.empty:
        return pd.DataFrame()
    elg = reasons[reasons[list(ELG_CODES)].any(axis=1) & reasons["no_kk"].notna()]
    ids = household_keys(md.new).get_indexer(pd.Index(elg["no_kk"], dtype=object))
    elg = elg.assign(_hh=ids)
    sub = started.merge(elg, left_on="new", right_on="_hh", how="inner", suffixes=("", "_r"))
    if sub.empty:
        return pd.DataFrame()
    sub = sub.sort_values("new", kind="stable")
    codes = [[c for c in cs if c in ELG_CODES] for cs in sub["codes"]]
    alasan = bilingual(sub["sentence_id"].to_numpy(object), sub["sentence_en"].to_numpy(object))
    params = [
        {"program": ", ".join(p) or "-", "alasan": a, "reasons": c, "names": nm}
        for p, a, c, nm in zip(sub["programs"], alasan, codes, sub["names"], strict=True)
    ]
    return household_findings(md, sub[["old", "new"]], None, None, params)


@rule(
    "CHG004",
    "same-person-new-nik",
    severity="warning",
    columns=("nik", "nama", "tgl_lahir"),
    datasets=(DIFF,),
    options={"min_probability": 0.85},
    message={
        "id": "Orang yang sama dengan NIK lain: bulan lalu NIK {nik_other} (baris {baris_lama}), "
        "kemiripan {skor}",
        "en": "The same person under another NIK: last month NIK {nik_other} (record "
        "{baris_lama}), match {skor}",
    },
    summary={"id": "Orang yang sama dengan NIK berbeda", "en": "Same person, different NIK"},
)
def same_person_new_nik(md: MonthDiff, opts: dict) -> pd.DataFrame:
    """What it does: flags a NEW record whose NIK does not occur in OLD but whose person does:
    the duplicate engine matches it to an OLD record whose NIK is not in NEW (name, birth date,
    sex, mother's name, family; match probability at least `min_probability`, default 0.85),
    and the pair is corroborated by the same birth date, the same KK or the same desa or
    kecamatan. One finding per person, on the NEW record, naming the OLD NIK.

    Why it matters: a NIK is permanent (domain.md §1.1); a person who changes NIK between two
    months is either a corrected keying error (fine, but the old NIK's history and programs must
    follow) or a second identity: KPK and BPK counted millions of duplicate and invalid NIKs in
    DTKS and recipients under two NIKs (§3.1, S50, S56, S57; §5.3).

    Example: OLD `SITI AMINAH` born 15-06-1982, NIK 3273015506820001; NEW the same name, birth
    date and mother, NIK 3273015506829999 -> CHG004. A newborn with a new NIK (no OLD record
    with that birth date) does not fire, nor does a `NINGSIH` born 09-12-1966 in another KK and
    kab/kota than last month's `NINGSIH` born 09-02-1966.

    How to fix: check the NIK with Dukcapil (KTP-el / KK); if the old NIK was wrong, confirm the
    correction; if both are valid, it is a double identity: report it and keep one record.
    """
    p = md.people
    sub = p[(p["how"] == "linkage").to_numpy() & p["nik"].to_numpy()]
    if sub.empty:
        return pd.DataFrame()
    old_rows = _rows(md.old, sub["old"].to_numpy())
    old_nik = _values(md.old, "nik", sub["old"].to_numpy())
    params = [{"nik_other": k, "baris_lama": int(r), "skor": f"{float(s):.2f}"}
              for k, r, s in zip(old_nik, old_rows, sub["probability"], strict=True)]
    return person_findings(md, sub, "nik", _values(md.new, "nik", sub["new"].to_numpy()), params)


@rule(
    "CHG005",
    "household-members-all-changed",
    severity="warning",
    level="household",
    columns=("no_kk", "nik"),
    datasets=(DIFF,),
    message={
        "id": "Semua anggota KK ini berganti: tidak satu pun dari {anggota_lama} anggota bulan "
        "lalu ada di antara {anggota} anggota bulan ini",
        "en": "Every member of this family changed: none of last month's {anggota_lama} members "
        "is among this month's {anggota}",
    },
    summary={"id": "Seluruh anggota KK berganti", "en": "All household members changed"},
)
def household_members_all_changed(md: MonthDiff, opts: dict) -> pd.DataFrame:
    """What it does: flags a KK number present in both months whose members are entirely
    different people: not one NEW member is matched (by NIK or by the duplicate engine) to a
    member of the same KK in OLD. One finding per household, with the NEW members in `rows` and
    the OLD members in `old_rows`.

    Why it matters: a KK number belongs to one family (domain.md §1.2, S14, S15); it changes
    when the family moves or splits, but the family does not change under it. A KK number
    holding other people from one month to the next means the number was reused or keyed wrong
    for another family, or a family was replaced in the registry, which BPK lists among
    "recipients not in DTKS" (§3.1, S58).

    Example: KK 3273010101100001 holds SUPARMAN, SITI and BUDI in OLD and three other people in
    NEW -> CHG005. A family that lost one member and gained a newborn does not fire.

    How to fix: check the KK at Dukcapil; put each family under its own KK number and restore
    the original members' records if they were overwritten.
    """
    hh = md.households
    sub = hh[(hh["how"] == "kk").to_numpy() & (hh["both"].to_numpy() == 0)
             & (hh["old_size"].to_numpy() > 0) & (hh["new_size"].to_numpy() > 0)]
    if sub.empty:
        return pd.DataFrame()
    params = [{"anggota_lama": int(a), "anggota": int(b)}
              for a, b in zip(sub["old_size"], sub["new_size"], strict=True)]
    return household_findings(md, sub, "no_kk", None, params)


@rule(
    "CHG006",
    "aid-stopped-poor-household",
    severity="warning",
    level="household",
    columns=("no_kk", "desil", AID_ANY),
    datasets=(DIFF,),
    options=policy_options("poor_desil"),
    message={
        "id": "Semua bantuan berhenti ({program_lama}) padahal keluarga berada di desil {desil}",
        "en": "Every programme stopped ({program_lama}) although the household is in decile "
        "{desil}",
    },
    summary={"id": "Bantuan berhenti untuk keluarga desil 1–2",
             "en": "Aid stopped for a desil 1–2 household"},
)
def aid_stopped_poor_household(md: MonthDiff, opts: dict) -> pd.DataFrame:
    """What it does: flags a household that received aid in OLD (any of PKH, BPNT, PBI-JK,
    BST, BLT-DD) and receives none in NEW while its NEW desil is 1 to `poor_desil` (default 2,
    the `[policy]` value EXC001 uses). One finding per household, naming the programs lost.

    Why it matters: desil 1–2 households are the first priority of social assistance (domain.md
    §2.9, S41–S43); losing every program at once is an exclusion error in the making (§3.3,
    S63, S70) unless the household really left the registry's criteria, in which case its desil
    should have moved too.

    Example: a desil 1 household receiving PKH and BPNT in OLD and nothing in NEW -> CHG006. A
    desil 3 household losing its programs, or a desil 1 household keeping one program, does not
    fire.

    How to fix: check why the programs ended (graduation, death of the recipient, a
    deactivation batch); if the household is still eligible, propose it again through SIKS-NG;
    if it is not, update its desil and PMT variables.
    """
    hh = md.households
    aid_old = md.household_aid("old")[hh["old"].to_numpy()]
    aid_new = md.household_aid("new")[hh["new"].to_numpy()]
    d_new = md.household_desil("new")[hh["new"].to_numpy()]
    poor = np.isfinite(d_new) & (np.nan_to_num(d_new) >= 1) & (
        np.nan_to_num(d_new) <= int(opts["poor_desil"]))
    hit = aid_old & ~aid_new & poor
    sub = hh[hit]
    if sub.empty:
        return pd.DataFrame()
    lost = _programs(md.old, sub["old"].to_numpy())
    params = [{"program_lama": p, "desil": int(d)} for p, d in zip(lost, d_new[hit], strict=True)]
    return household_findings(md, sub, "desil", [int(d) for d in d_new[hit]], params)
