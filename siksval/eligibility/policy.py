"""Eligibility policy: the thresholds of the ELG/EXC rules, their defaults and their sources.

Set in `[policy]` of siksval.toml (or `[tool.siksval.policy]` in pyproject.toml); a rule's
`[rules.CODE]` options override them for that rule. Every default cites its source (domain.md
S-numbers); the rule docstrings repeat the citation for the user.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from siksval.errors import UserError

if TYPE_CHECKING:
    from siksval.dataset import Dataset

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
    "luas_lantai": ("luas lantai > large_floor_m2", "floor area > large_floor_m2"),
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
