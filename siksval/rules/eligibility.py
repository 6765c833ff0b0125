"""ELG — inclusion errors (aid reaching households the data says are not eligible) and
EXC — exclusion errors (poor households receiving nothing). One finding per household.

The evidence is computed once per run by `siksval.eligibility.household_reasons(ds)`; each rule
here only picks the households where its own reason holds. Every finding's message is the
household's full sentence listing *all* applicable reasons, so an officer sees the whole
picture whichever rule they look at; the same facts are in the finding's params (`details` in
JSON): programs, reason codes, priority, the members concerned per reason, desil, power, etc.
Member names go only under the `names` param (masked by the formatters, together with their
occurrences in the sentence).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from siksval.dataset import Dataset
from siksval.eligibility import (
    AID_ANY,
    EXC_CODES,
    employee_category,
    household_reasons,
    policy_for,
    policy_options,
)
from siksval.rules import rule

#: The sentence is the message; params carry the structured reasons.
HOUSEHOLD_MESSAGE = {"id": "{alasan[id]}", "en": "{alasan[en]}"}

_LABEL_COLUMNS = {"status_keberadaan": {2: "MENINGGAL"}}


def _findings(ds: Dataset, opts: dict[str, Any], code: str, column: str | None) -> pd.DataFrame:
    """One finding per household where `code` holds, built from the shared household view.

    The frame carries a private `_pos` column (0-based position of the evidence record) for
    rules that refine `column`/`value`; the registry keeps only the standard columns.
    """
    hh = household_reasons(ds, policy_for(ds, opts))
    if hh.empty:
        return pd.DataFrame()
    sub = hh[hh[code].astype(bool)]
    if sub.empty:
        return pd.DataFrame()
    sub = sub.sort_values("row", kind="stable")
    pos = sub[f"_pos_{code}"].to_numpy(dtype="int64")
    frame = ds.frame
    value: np.ndarray
    if column and column in frame.columns:
        value = frame[column].to_numpy(dtype=object, na_value=None)[pos]
        labels = _LABEL_COLUMNS.get(column)
        if labels:
            value = np.array([labels.get(v, v) for v in value], dtype=object)
    else:
        value = np.full(len(sub), None, dtype=object)

    def key(col: str) -> np.ndarray:
        if col not in frame.columns:
            return np.full(len(sub), None, dtype=object)
        # Only the firing records: converting a whole 1M-row text column costs ~0.1 s a call.
        return frame[col].iloc[pos].to_numpy(dtype=object, na_value=None)

    params = [
        {
            "alasan": {"id": s_id, "en": s_en},
            "programs": programs,
            "reasons": codes,
            "names": names,
            "priority": int(priority),
            "desil": None if pd.isna(desil) else int(desil),
            "daya_listrik": None if pd.isna(va) else int(va),
            "wealth": wealth,
            "poverty_criteria": criteria,
            "members": members,
        }
        for s_id, s_en, programs, codes, names, priority, desil, va, wealth, criteria, members in zip(
            sub["sentence_id"], sub["sentence_en"], sub["programs"], sub["codes"], sub["names"],
            sub["priority"], sub["desil"], sub["daya_listrik"], sub["wealth"],
            sub["poverty_criteria"], sub["members"], strict=True,
        )
    ]
    return pd.DataFrame(
        {
            "row": sub["row"].to_numpy(dtype="int64"),
            "rows": sub["rows"].tolist(),
            "column": column,
            "value": _plain(value),
            "no_kk": key("no_kk"),
            "nik": key("nik"),
            "params": params,
            "_pos": pos,
        }
    )


def _plain(values: np.ndarray) -> list[Any]:
    return [v.item() if isinstance(v, np.generic) else v for v in values]


# ---------------------------------------------------------------------------------------------
# ELG — inclusion errors
# ---------------------------------------------------------------------------------------------

_SUMMARY_SOURCES = (
    "BPK audit (domain.md §3.1, S35), Kemensos/BKN 2021 (S59, S60), Kemensos (S61), "
    "DTKS/DTSEN desil targeting (S34, S40–S43)"
)


@rule(
    "ELG001",
    "aid-to-deceased",
    severity="warning",
    level="household",
    columns=(AID_ANY,),
    options=policy_options("deceased_name_markers"),
    message=HOUSEHOLD_MESSAGE,
    summary={"id": "Bantuan ke keluarga dengan anggota meninggal",
             "en": "Aid to a household with a deceased member"},
)
def aid_to_deceased(ds: Dataset, opts: dict) -> pd.DataFrame:
    """What it does: flags a household that receives aid (any of PKH, BPNT, PBI-JK, BST,
    BLT-DD on any member) while one of its members is recorded as dead: `status_keberadaan` =
    2 MENINGGAL (Regsosek 404), or a name marked `ALM.`, `ALMH.`, `ALMARHUM`, `ALMARHUMAH`
    (option `deceased_name_markers`, matched as whole words). One finding per household; the
    message lists every inclusion reason of the household.

    Why it matters: a BPK audit found 1.69 million active DTKS individuals reported dead, 125.7
    thousand of whom still received PKH/Sembako (Rp 182.1 bn); KPK earlier found 234 thousand
    deceased people in DTKS (domain.md §3.1, sources S35, S50, S51). Aid for a deceased member
    inflates the household's entitlement or is drawn by someone else.

    Example: household 3273010101100001 receives PKH and member `ALM. SUPARMAN` (or a member
    with status MENINGGAL) -> ELG001. The same deceased member in a household without any
    program does not fire.

    How to fix: verify the death in the field or with Dukcapil (akta kematian), set the member's
    status to MENINGGAL through SIKS-NG, and have the program's entitlement recalculated; if the
    person is alive, correct the status or the name.
    """
    if "status_keberadaan" not in ds.frame.columns:
        return _findings(ds, opts, "ELG001", "nama")
    frame = _findings(ds, opts, "ELG001", "status_keberadaan")
    if frame.empty:
        return frame
    # Found through the name marker alone: point at the name, not at a status that says alive.
    by_name = frame["value"].to_numpy(dtype=object) != "MENINGGAL"
    if by_name.any():
        names = ds.frame["nama"].to_numpy(dtype=object, na_value=None)[frame["_pos"].to_numpy()]
        frame["column"] = np.where(by_name, "nama", frame["column"].to_numpy(dtype=object))
        frame["value"] = np.where(by_name, names, frame["value"].to_numpy(dtype=object))
    return frame


@rule(
    "ELG002",
    "aid-to-state-employee",
    severity="warning",
    level="household",
    columns=(AID_ANY, "pekerjaan|kedudukan_kerja"),
    options=policy_options(
        "state_employee_codes", "state_employee_keywords", "state_employee_exclude"
    ),
    message=HOUSEHOLD_MESSAGE,
    summary={"id": "Bantuan ke keluarga PNS/TNI/POLRI/BUMN/pejabat",
             "en": "Aid to a household of a state employee or official"},
)
def aid_to_state_employee(ds: Dataset, opts: dict) -> pd.DataFrame:
    """What it does: flags a household that receives aid while a member is a civil servant
    (PNS/ASN), soldier (TNI), police officer (POLRI), employee of a state or regional enterprise
    (BUMN/BUMD) or a state official: Dukcapil `pekerjaan` codes 5, 6, 7, 16, 17, 48–63 or a
    label containing one of the keywords (PNS, ASN, PEGAWAI NEGERI, TNI, POLRI, BUMN, ANGGOTA
    DPRD, BUPATI, ...), or Regsosek 418 `kedudukan_kerja` = 5. Keywords match whole words only
    (POLRI inside another word is no match) and a label with an excluded word is never flagged:
    PENSIUNAN, PURNAWIRAWAN, MANTAN, NON (e.g. `GURU NON ASN`), PAMONG PRAJA. Options
    `state_employee_codes`, `state_employee_keywords`, `state_employee_exclude` (e.g. add 4 to
    the codes and remove PENSIUNAN from the exclusions to flag retirees too).

    Why it matters: Kemensos and BKN found 31,624 ASN indicated as PKH/BPNT recipients in 2021,
    28,965 of them active (domain.md §3.1, sources S59, S60); a BPK audit lists ASN, TNI/Polri and
    officials among its inclusion-error flags (S35). A fixed government income makes a household
    ineligible (Kemensos, S61). Occupation codes: Dukcapil SIAK list (S20, domain.md §2.7).

    Example: a household receiving PKH and BPNT in which `SUPARMAN` has pekerjaan `PEGAWAI NEGERI
    SIPIL (PNS)` or `5` -> ELG002 "Keluarga menerima PKH, BPNT; anggota SUPARMAN berstatus
    PNS/ASN". `PENSIUNAN PNS`, `GURU NON ASN` or `APOLRIANTO` do not fire.

    How to fix: check the member's employment (SK, payslip, BKN data); if confirmed, propose the
    household's removal from the program in SIKS-NG; if the occupation is wrong, correct it.
    """
    frame = _findings(ds, opts, "ELG002", "pekerjaan" if "pekerjaan" in ds.frame.columns
                      else "kedudukan_kerja")
    if frame.empty or "kedudukan_kerja" not in ds.frame.columns:
        return frame
    # A member found through kedudukan_kerja = 5 alone: point at that column, not at an
    # occupation that says something else.
    category = employee_category(ds, policy_for(ds, opts)).to_numpy(dtype=object, na_value=None)
    by_status = category[frame["_pos"].to_numpy()] == "kedudukan"
    frame["column"] = np.where(by_status, "kedudukan_kerja", frame["column"].to_numpy(dtype=object))
    frame["value"] = np.where(by_status, 5, frame["value"].to_numpy(dtype=object))
    return frame


@rule(
    "ELG003",
    "aid-to-car-owner",
    severity="warning",
    level="household",
    columns=(AID_ANY, "ada_mobil"),
    message=HOUSEHOLD_MESSAGE,
    summary={"id": "Bantuan ke keluarga pemilik mobil", "en": "Aid to a car-owning household"},
)
def aid_to_car_owner(ds: Dataset, opts: dict) -> pd.DataFrame:
    """What it does: flags a household that receives aid while `ada_mobil` (Regsosek 502k, owns
    a car) is yes on any member record.

    Why it matters: a BPK audit lists owners of four-wheel vehicles among the 12.05 million DTKS
    individuals hit by inclusion-error flags (domain.md §3.1, source S35); a car is one of the
    strongest wealth signals of the Regsosek asset block (S20, §3.2.5).

    Example: a household receiving BPNT with `ada_mobil` = YA -> ELG003 "Keluarga menerima BPNT;
    memiliki mobil". A car owner without any program does not fire.

    How to fix: verify ownership in the field (or with Samsat data); a commercial vehicle used for
    a living may justify keeping the household, otherwise propose its removal; correct the asset
    field if it was keyed wrong.
    """
    return _findings(ds, opts, "ELG003", "ada_mobil")


@rule(
    "ELG004",
    "aid-high-electricity",
    severity="warning",
    level="household",
    columns=(AID_ANY, "daya_listrik"),
    options=policy_options("min_va"),
    message=HOUSEHOLD_MESSAGE,
    summary={"id": "Bantuan ke keluarga berdaya listrik tinggi",
             "en": "Aid to a household with high electricity power"},
)
def aid_high_electricity(ds: Dataset, opts: dict) -> pd.DataFrame:
    """What it does: flags a household that receives aid while its installed electricity power
    `daya_listrik` is at least `min_va` (default 1300 VA; Regsosek 307b codes 3 = 1300, 4 = 2200,
    5 = more than 2200). Set `min_va = 900` in the `[policy]` table of siksval.toml to follow the
    BPK audit's stricter flag.

    Why it matters: the PLN electricity subsidy is limited to 450/900 VA customers in DTKS; a BPK
    audit flags recipients with non-subsidised PLN connections of 900 VA or more (domain.md §3.1
    and §3.2.4, sources S35, S66–S68). 900 VA alone is a weak signal, so the default starts at
    1300 VA, the stronger one.

    Example: a PKH household with `daya_listrik` 2200 -> ELG004 "... daya 2200 VA". A household
    on 900 VA does not fire with the default; it does with `min_va = 900`.

    How to fix: check the PLN meter (ID pelanggan) in the field; a shared meter with another
    household or a wrong code may explain it, otherwise propose the household's re-assessment.
    """
    return _findings(ds, opts, "ELG004", "daya_listrik")


@rule(
    "ELG005",
    "aid-above-desil",
    severity="warning",
    level="household",
    columns=(AID_ANY, "desil"),
    options=policy_options("max_desil"),
    message=HOUSEHOLD_MESSAGE,
    summary={"id": "Bantuan ke keluarga di atas desil sasaran",
             "en": "Aid to a household above the target decile"},
)
def aid_above_desil(ds: Dataset, opts: dict) -> pd.DataFrame:
    """What it does: flags a household that receives aid while its welfare decile `desil` is
    above `max_desil` (default 4).

    Why it matters: DTKS covered the poorest 40 % of households (desil 1–4); under DTSEN all
    families are ranked into desil 1–10 and bansos targets desil 1–4, with priority on 1–2
    (domain.md §2.9, sources S34, S40–S43). A recipient in desil 5–10 is a likely inclusion error.

    Example: a household receiving PKH with `desil` 6 -> ELG005 "... desil 6". Desil 4 does not
    fire with the default.

    How to fix: verify the household's living conditions; if it is better off, propose removal
    from the program; if the ranking is wrong, file a data correction (usulan perbaikan) so the
    household is re-ranked.
    """
    return _findings(ds, opts, "ELG005", "desil")


@rule(
    "ELG006",
    "aid-wealth-indicators",
    severity="warning",
    level="household",
    columns=(AID_ANY, "ada_ac|ada_emas|ada_laptop|ada_lahan|ada_rumah_lain|luas_lantai|jenis_lantai"),
    options=policy_options(
        "wealth_indicators", "min_wealth_indicators", "large_floor_m2", "rich_floor_codes"
    ),
    message=HOUSEHOLD_MESSAGE,
    summary={"id": "Bantuan ke keluarga dengan banyak indikator kekayaan",
             "en": "Aid to a household with several wealth indicators"},
)
def aid_wealth_indicators(ds: Dataset, opts: dict) -> pd.DataFrame:
    """What it does: counts the wealth indicators that hold for a household receiving aid and
    flags it when at least `min_wealth_indicators` (default 3) do. Indicators (option
    `wealth_indicators`): `ada_ac`, `ada_emas` (gold >= 10 g), `ada_laptop`, `ada_lahan` (other
    land), `ada_rumah_lain` (another house), `luas_lantai` > `large_floor_m2` (default 100 m²),
    `lantai_mewah` = `jenis_lantai` in `rich_floor_codes` (default 1 MARMER/GRANIT and 3
    PARKET/VINIL/KARPET). Indicators whose column is absent count as not holding. `ada_mobil`,
    `ada_motor`, `ada_lemari_es` may be added to the list.

    Why it matters: Kemensos states that a house over 100 m² is not eligible (elite Menteng
    recipients, 2021; domain.md §3.1, source S61); the Regsosek asset block (502/503, S20) and the
    BPK audit (S35) use such assets as inclusion-error signals (§3.2.5–3.2.6). One asset alone is
    weak evidence, several together are strong; the default of 3 is this project's choice.

    Example: a BPNT household with AC, gold and a laptop -> ELG006 "... 3 indikator kekayaan (AC,
    emas/perhiasan, komputer/laptop)". A household whose only indicator is a ceramic (KERAMIK)
    floor does not fire: ceramic is not a luxury floor.

    How to fix: verify the assets and the house in the field (geotagged photos); propose removal
    if the household is well-off, or correct the asset fields if they were keyed wrong.
    """
    return _findings(ds, opts, "ELG006", None)


@rule(
    "ELG007",
    "aid-not-matched-dukcapil",
    severity="warning",
    level="household",
    columns=(AID_ANY, "padan_dukcapil"),
    message=HOUSEHOLD_MESSAGE,
    summary={"id": "Bantuan ke keluarga dengan anggota tidak padan Dukcapil",
             "en": "Aid to a household with a member not matched with Dukcapil"},
)
def aid_not_matched(ds: Dataset, opts: dict) -> pd.DataFrame:
    """What it does: flags a household that receives aid while a member's `padan_dukcapil` is
    no (the NIK did not match the Dukcapil population database).

    Why it matters: KPK reported 16.8 million DTKS records not matched with Dukcapil, and BPK
    counted 10.9 million members with invalid NIKs in the 2020 determination; unmatched
    identities are where ghost and duplicate recipients hide (domain.md §3.1 and §5.2, sources
    S50, S56, S57, S62, S64).

    Example: a PKH household whose member `SITI` has `padan_dukcapil` = TIDAK -> ELG007
    "... anggota SITI tidak padan Dukcapil". The same member in a household without aid does not
    fire.

    How to fix: check the member's KTP-el/KK against Dukcapil (SIAK) and correct NIK, name or birth
    date in SIKS-NG; if the person cannot be found, propose the record's deactivation.
    """
    return _findings(ds, opts, "ELG007", "padan_dukcapil")


@rule(
    "ELG008",
    "aid-invalid-identity",
    severity="warning",
    level="household",
    columns=(AID_ANY, "nik"),
    message=HOUSEHOLD_MESSAGE,
    summary={"id": "Bantuan ke keluarga dengan NIK anggota tidak valid",
             "en": "Aid to a household with an invalid member NIK"},
)
def aid_invalid_identity(ds: Dataset, opts: dict) -> pd.DataFrame:
    """What it does: flags a household that receives aid while a member's NIK has an
    error-level NIK finding: NIK001 malformed, NIK002 damaged by Excel, NIK003 unknown province,
    NIK004 unknown regency, NIK005 impossible birth date, NIK006 serial 0000. It uses those rules
    themselves (with their options), also when they are not selected in the run.

    Why it matters: BPKP counted 3,877,975 aid recipients (KPM) with invalid NIKs and BPK 239,154
    Sembako-cash recipients with invalid NIKs (about Rp 126.8 bn) in 2020 (domain.md §3.1,
    sources S56, S57); aid paid on an identity that cannot exist cannot be verified.

    Example: a BPNT household whose member has NIK `3.27301E+15` (Excel damage) or
    `3273010000000000` -> ELG008 "... NIK anggota ... tidak valid". An invalid NIK in a household
    without aid does not fire here (NIK001–NIK006 still report it).

    How to fix: correct the NIK from the member's KTP-el or KK (store it as text), then have it
    matched with Dukcapil again.
    """
    return _findings(ds, opts, "ELG008", "nik")


# ---------------------------------------------------------------------------------------------
# EXC — exclusion errors
# ---------------------------------------------------------------------------------------------


@rule(
    "EXC001",
    "poor-without-aid",
    severity="warning",
    level="household",
    columns=(AID_ANY, "desil"),
    options=policy_options("poor_desil"),
    message=HOUSEHOLD_MESSAGE,
    summary={"id": "Keluarga desil terbawah tanpa bantuan",
             "en": "Poorest-decile household without aid"},
)
def poor_without_aid(ds: Dataset, opts: dict) -> pd.DataFrame:
    """What it does: flags a household with a valid welfare decile `desil` at most `poor_desil`
    (default 2) that receives none of PKH, BPNT, PBI-JK, BST, BLT-DD.

    Why it matters: desil 1 is "sangat miskin" and desil 2 "miskin" in BDT/DTKS terms, and DTSEN
    messaging (2025) puts desil 1–2 first in line for bansos (domain.md §2.9, sources S33, S34,
    S43). Exclusion errors are the other half of mistargeting: World Bank/TNP2K research finds
    under-coverage of the poor driven by registration (§3.3, S70, S71).

    Example: a household with `desil` 1 and every program flag TIDAK -> EXC001 "Keluarga tidak
    menerima bantuan; desil 1". Desil 3 does not fire with the default.

    How to fix: verify the household in the field and, if eligible, propose it for a program
    through the village (musyawarah desa/kelurahan) in SIKS-NG.
    """
    return _findings(ds, opts, "EXC001", "desil")


@rule(
    "EXC002",
    "poverty-criteria-without-aid",
    severity="info",
    level="household",
    columns=(AID_ANY, "jenis_lantai|jenis_dinding|fasilitas_bab|daya_listrik|pekerjaan"),
    options=policy_options(
        "min_poverty_criteria", "poor_floor_codes", "poor_wall_codes", "no_latrine_codes",
        "poor_max_va", "not_working_codes", "not_working_keywords",
    ),
    message=HOUSEHOLD_MESSAGE,
    summary={"id": "Keluarga memenuhi kriteria kemiskinan tanpa bantuan",
             "en": "Household meeting poverty criteria without aid"},
)
def poverty_criteria_without_aid(ds: Dataset, opts: dict) -> pd.DataFrame:
    """What it does: counts the Kepmensos 262/HUK/2022 poverty criteria that can be read from the
    export and flags a household meeting at least `min_poverty_criteria` (default 4) that
    receives no program. Criteria: earth floor (`jenis_lantai` in `poor_floor_codes`, default 8
    TANAH); bamboo/wood walls (`jenis_dinding` in `poor_wall_codes`, default 2–6); no own latrine
    (`fasilitas_bab` in `no_latrine_codes`, default 2–6: shared, communal, public, unused, none);
    450 VA electricity (`daya_listrik` <= `poor_max_va`); head of family not working (the head's
    `pekerjaan` is code 1 BELUM/TIDAK BEKERJA or says TIDAK/BELUM BEKERJA). A household without
    electricity cannot be told apart from a missing value, so it does not count.

    Why it matters: Kepmensos 262/HUK/2022 defines fakir miskin by these dwelling and livelihood
    criteria (domain.md §2.10, sources S45–S47); PLN/ESDM found 14.8 million 450-VA households
    outside DTKS, about half of them later judged eligible (§3.3, S66). The threshold of 4 is
    this project's choice; it is reported as info because the criteria are proxies.

    Example: a household with an earth floor, bamboo walls, no latrine and 450 VA and no program
    -> EXC002 "Keluarga tidak menerima bantuan; memenuhi 4 kriteria kemiskinan Kepmensos
    262/HUK/2022 (...)". Three criteria do not fire with the default.

    How to fix: visit the household and, if it is poor, propose it through the village
    (musyawarah desa/kelurahan) for DTKS/DTSEN registration and a program.
    """
    return _findings(ds, opts, "EXC002", None)


__all__ = ["EXC_CODES", "HOUSEHOLD_MESSAGE"]
