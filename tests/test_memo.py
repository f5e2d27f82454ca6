"""The content memo of page builders (`capacity.memo`): equal content hits, any change of content misses."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from capacity import charts, memo
from capacity.dashboard import Heatmap
from capacity.roadmap import INDEX


@dataclasses.dataclass(frozen=True)
class Pair:
    left: object
    right: object


def test_equal_content_gives_equal_fingerprints_whatever_the_object():
    frame = pd.DataFrame({"a": [1.0, 2.0], "b": ["x", "y"]})
    assert memo.fingerprint(frame) == memo.fingerprint(frame.copy(deep=True))
    assert memo.fingerprint(Pair(frame, [1, "a"])) == memo.fingerprint(Pair(frame.copy(), [1, "a"]))


@pytest.mark.parametrize(
    "changed",
    [
        lambda f: f.assign(a=[1.0, 2.5]),  # a value
        lambda f: f.rename(columns={"a": "c"}),  # a column name
        lambda f: f.astype({"a": "float32"}),  # a dtype
        lambda f: f.set_axis([5, 6]),  # the index
        lambda f: f.iloc[::-1],  # the order of rows
        lambda f: f[["b", "a"]],  # the order of columns
        lambda f: f.iloc[:1],  # the number of rows
    ],
)
def test_any_change_of_a_table_changes_its_fingerprint(changed):
    frame = pd.DataFrame({"a": [1.0, 2.0], "b": ["x", "y"]})
    assert memo.fingerprint(changed(frame)) != memo.fingerprint(frame)


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=5))


@given(st.lists(scalars, max_size=6), st.lists(scalars, max_size=6))
def test_values_share_a_fingerprint_exactly_when_of_the_same_types_and_written_alike(first, second):
    # repr, not ==: 0.0 and -0.0 are equal but may draw differently, so they are two keys
    same = [(type(a), repr(a)) for a in first] == [(type(b), repr(b)) for b in second]
    assert (memo.fingerprint(first) == memo.fingerprint(second)) == same


def test_arrays_of_text_are_keyed_by_their_text_not_by_where_it_lies_in_memory():
    first = np.array(["a" * 3, None], dtype=object)
    assert memo.fingerprint(first) == memo.fingerprint(np.array(["aaa", None], dtype=object))
    assert memo.fingerprint(first) != memo.fingerprint(np.array(["aab", None], dtype=object))
    names = ["x" * 2, None]
    text = pd.DataFrame({"name": pd.Series(names, dtype=object)})
    assert memo.fingerprint(text) == memo.fingerprint(
        pd.DataFrame({"name": pd.Series(["xx", None], dtype=object)})
    )
    assert memo.fingerprint(text) != memo.fingerprint(
        pd.DataFrame({"name": pd.Series(["xy", None], dtype=object)})
    )


def test_a_value_of_unknown_type_is_refused_not_keyed_by_identity():
    with pytest.raises(TypeError):
        memo.fingerprint(object())


def test_a_builder_runs_once_per_content_and_again_after_clear():
    calls = []

    @memo.memoised(entries=2)
    def build(frame: pd.DataFrame, lang: str) -> list[str]:
        calls.append(lang)
        return [lang] * len(frame)

    frame = pd.DataFrame({"a": np.arange(3)})
    first = build(frame, "en")
    assert build(frame.copy(), "en") is first
    assert build(frame, "tr") == ["tr"] * 3 and calls == ["en", "tr"]
    build(frame.iloc[:2], "en")  # a third entry pushes out the least recently used ("en" on 3 rows)
    build(frame, "tr")
    build(frame, "en")
    assert calls == ["en", "tr", "en", "en"]
    memo.clear()
    build(frame, "tr")
    assert calls[-1] == "tr" and len(calls) == 5


def test_a_chart_is_built_once_for_equal_data_and_follows_the_language():
    memo.clear()
    heatmap = Heatmap(
        names=pd.Series({"ORG-1": "Alpha"}),
        scores=pd.DataFrame({INDEX: [55.0]}, index=["ORG-1"]),
        statuses=pd.DataFrame({INDEX: ["behind"]}, index=["ORG-1"]),
    )
    english = charts.status_heatmap(heatmap, "en")
    assert charts.status_heatmap(dataclasses.replace(heatmap), "en") is english
    assert charts.status_heatmap(heatmap, "tr") is not english
    changed = dataclasses.replace(heatmap, scores=pd.DataFrame({INDEX: [56.0]}, index=["ORG-1"]))
    assert charts.status_heatmap(changed, "en") is not english
