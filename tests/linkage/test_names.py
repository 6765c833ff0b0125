"""Indonesian name normalisation: examples and properties (never raises, idempotent)."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from siksval.linkage.names import normalize_names


def norm(*names: str | None) -> list[str | None]:
    out = normalize_names(pd.Series(list(names), dtype=object))
    return [None if pd.isna(v) else v for v in out]


def test_titles_degrees_and_particles_are_dropped() -> None:
    assert norm("Hj. Siti Nurhayati binti Ahmad") == ["SITI NURHAYATI"]
    assert norm("Drs. Ir. BUDI SANTOSO, M.Si") == ["BUDI SANTOSO"]
    assert norm("ALMH. SITTI AMINAH") == ["SITI AMINAH"]
    assert norm("SUTRISNO, S.PD., M.PD") == ["SUTRISNO"]


def test_muhammad_variants_and_old_spelling_meet() -> None:
    forms = norm("Muhamad Soedjatmiko", "MOCH. SUJATMIKO", "M. Sudjatmiko", "Mohammad Sujatmiko")
    assert len(set(forms)) == 1 and forms[0] == "MUHAMMAD SUJATMIKO"
    assert norm("tjahjo") == norm("CAHYO".replace("Y", "J"))


def test_empty_values_are_missing() -> None:
    assert norm(None, "", " . ") == [None, None, None]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=40)), min_size=1, max_size=20))
def test_random_text_never_raises_and_is_idempotent(values: list[str | None]) -> None:
    once = normalize_names(pd.Series(values, dtype=object))
    twice = normalize_names(once)
    assert len(once) == len(values)
    assert once.fillna("<NA>").tolist() == twice.fillna("<NA>").tolist()
