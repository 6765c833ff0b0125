"""Dataset household helpers: numpy fast path of per_household and the household index."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from siksval.dataset import Dataset


def _ds(keys: list[str | None]) -> Dataset:
    return Dataset("dtks", pd.DataFrame({"no_kk": keys}), as_of=dt.date(2026, 10, 31))


@settings(max_examples=60, deadline=None)
@given(
    keys=st.lists(st.sampled_from(["A", "B", "C", None]), min_size=1, max_size=30),
    data=st.data(),
    how=st.sampled_from(["sum", "min", "max"]),
    kind=st.sampled_from(["bool", "int8", "int64", "float64"]),
)
def test_numpy_path_equals_groupby_transform(keys, data, how, kind):
    ds = _ds(keys)
    n = len(keys)
    if kind == "bool":
        values = pd.Series(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    elif kind == "float64":
        floats = st.one_of(st.just(np.nan), st.floats(-1e6, 1e6))
        values = pd.Series(data.draw(st.lists(floats, min_size=n, max_size=n)), dtype="float64")
    else:
        ints = st.integers(-100, 100)
        values = pd.Series(data.draw(st.lists(ints, min_size=n, max_size=n)), dtype=kind)
    expected = values.groupby(ds.hh_codes, sort=False).transform(how)
    got = ds.per_household(values, how)
    pd.testing.assert_series_equal(got, expected, check_names=False)


def test_other_aggregates_fall_back_to_pandas():
    ds = _ds(["A", "A", "B"])
    got = ds.per_household(pd.Series(["x", "y", "x"]), "nunique")
    assert got.tolist() == [2, 2, 1]


@pytest.mark.parametrize("keys", [["1", "2", "1", None, "3"]])
def test_household_rows(keys):
    ds = _ds(keys)
    assert ds.household_rows(["1", "3", None, "9"]) == [[1, 3], [5], [], []]
    assert ds.household_rows_by_id(np.array([0, -1])) == [[1, 3], []]
