"""Steps 8–9: Krippendorff's alpha between respondents and Cronbach's alpha within dimensions."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capacity.scoring import (
    agreement_for,
    consistency_by_dimension,
    cronbach_alpha,
    krippendorff_alpha,
    score_assessment,
)
from capacity.scoring.reliability import NOTE_NO_VARIATION, NOTE_TOO_FEW_CASES, dimension_consistency
from capacity.scoring.results import Consistency
from capacity.scoring.round_scores import RoundScores
from tests.scoring_cases import NA, evaluator, make_framework, make_roadmap, submission

N = None

# Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for
# Communication, University of Pennsylvania, section C ("nominal data, any number of observers,
# missing data"): 4 observers × 12 units. The paper reports alpha = 0.743 (nominal), and for the
# same data 0.815 (ordinal) and 0.849 (interval).
PAPER_DATA = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]


def as_array(data):
    return np.array([[np.nan if v is None else v for v in row] for row in data], dtype=float)


def test_paper_data_is_transcribed_correctly():
    assert round(krippendorff.alpha(as_array(PAPER_DATA), level_of_measurement="nominal"), 3) == 0.743


def test_krippendorff_ordinal_matches_the_paper():
    assert round(krippendorff_alpha(PAPER_DATA, "ordinal"), 3) == 0.815


def test_krippendorff_interval_matches_the_paper():
    assert round(krippendorff_alpha(PAPER_DATA, "interval"), 3) == 0.849


def test_krippendorff_interval_by_hand():
    # Units (1,1), (2,2), (3,4). Coincidences o11 = o22 = 2, o34 = o43 = 1; n = 6 and
    # n1 = n2 = 2, n3 = n4 = 1. Observed Σ o·δ² = 1 + 1 = 2; expected Σ n_c·n_k·δ² over ordered
    # pairs = 2·(4 + 8 + 18 + 2 + 8 + 1) = 82. alpha = 1 − (6 − 1)·2 / 82 = 72 / 82.
    assert krippendorff_alpha([[1, 2, 3], [1, 2, 4]], "interval") == pytest.approx(72 / 82)


def test_krippendorff_perfect_agreement_is_one():
    assert krippendorff_alpha([[0, 3, 5, N], [0, 3, 5, 2]], "ordinal") == pytest.approx(1.0)


@pytest.mark.parametrize(
    "data",
    [
        [[3, 3, 3], [3, 3, 3]],  # no variation: alpha undefined
        [[1, N, N], [N, 2, N]],  # no unit with two values
        [[1, 2, 3]],  # one coder
        [],
    ],
)
def test_krippendorff_undefined_cases_give_none(data):
    assert krippendorff_alpha(data, "ordinal") is None
    assert krippendorff_alpha(data, "interval") is None


def test_krippendorff_refuses_unknown_metric_and_ragged_rows():
    with pytest.raises(ValueError, match="metric"):
        krippendorff_alpha(PAPER_DATA, "nominal")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="one entry"):
        krippendorff_alpha([[1, 2], [1]], "interval")


reliability_tables = st.integers(2, 5).flatmap(
    lambda coders: st.integers(1, 12).flatmap(
        lambda units: st.lists(
            st.lists(st.one_of(st.none(), st.integers(0, 5)), min_size=units, max_size=units),
            min_size=coders,
            max_size=coders,
        )
    )
)


@settings(max_examples=150, deadline=None)
@given(reliability_tables, st.sampled_from(["ordinal", "interval"]))
def test_krippendorff_agrees_with_the_reference_package(data, metric):
    ours = krippendorff_alpha(data, metric)
    try:
        with np.errstate(all="ignore"):
            reference = float(krippendorff.alpha(as_array(data), level_of_measurement=metric))
    except ValueError:  # the package refuses data with fewer than two distinct values
        reference = math.nan
    if ours is None:
        assert not math.isfinite(reference)
    else:
        assert ours == pytest.approx(reference, abs=1e-9)


@settings(max_examples=50, deadline=None)
@given(reliability_tables, st.randoms(use_true_random=False))
def test_krippendorff_does_not_depend_on_coder_order(data, rng):
    shuffled = list(data)
    rng.shuffle(shuffled)
    for metric in ("ordinal", "interval"):
        assert krippendorff_alpha(shuffled, metric) == krippendorff_alpha(data, metric)


FW = make_framework({"IC": [1, 1, 1], "IL": [1, 1, 1]})


def test_agreement_uses_self_assessments_only_with_not_applicable_as_missing():
    a = {"IC.1": 1, "IC.2": 2, "IC.3": 3, "IL.1": 3, "IL.2": NA, "IL.3": None}
    b = {"IC.1": 1, "IC.2": 2, "IC.3": 4, "IL.1": 3, "IL.2": 5, "IL.3": 0}
    subs = [submission(FW, a), submission(FW, b), evaluator(FW, dict.fromkeys(a, 0))]
    agreement = agreement_for(subs)
    assert agreement.coders == 2
    # the pairable units are IC.1–IC.3 and IL.1: (1,1), (2,2), (3,4), (3,3)
    table = [[1, 2, 3, 3], [1, 2, 4, 3]]
    assert agreement.alpha_ordinal == pytest.approx(krippendorff_alpha(table, "ordinal"))
    assert agreement.alpha_interval == pytest.approx(krippendorff_alpha(table, "interval"))
    assert score_assessment(subs, FW, make_roadmap()).agreement == agreement


def test_agreement_needs_two_self_assessment_respondents():
    single = agreement_for([submission(FW, {"IC.1": 2}), evaluator(FW, {"IC.1": 4})])
    assert (single.alpha_ordinal, single.alpha_interval, single.coders) == (None, None, 1)


def test_agreement_without_a_pairable_unit_is_none():
    agreement = agreement_for([submission(FW, {"IC.1": 2}), submission(FW, {"IC.2": 4, "IC.1": NA})])
    assert agreement.alpha_ordinal is None and agreement.coders == 2


# Published example 1: the `performance` R package (Lüdecke et al.), reference page of
# cronbachs_alpha(): mtcars[, c("cyl", "gear", "carb", "hp")] gives 0.09463206. The data are
# R's mtcars (Henderson & Velleman 1981, from Motor Trend 1974), transcribed here.
MTCARS_CYL = [6, 6, 4, 6, 8, 6, 8, 4, 4, 6, 6, 8, 8, 8, 8, 8, 8, 4, 4, 4, 4, 8, 8, 8, 8, 4, 4, 4, 8, 6, 8, 4]
MTCARS_GEAR = [4, 4, 4, 3, 3, 3, 3, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 4, 4, 4, 3, 3, 3, 3, 3, 4, 5, 5, 5, 5, 5, 4]
MTCARS_CARB = [4, 4, 1, 1, 2, 1, 4, 2, 2, 4, 4, 3, 3, 3, 4, 4, 4, 1, 2, 1, 1, 2, 2, 4, 2, 1, 2, 2, 4, 6, 8, 2]
MTCARS_HP = [110, 110, 93, 110, 175, 105, 245, 62, 95, 123, 123, 180, 180, 180, 205, 215, 230, 66, 52, 65, 97,
             150, 150, 245, 175, 66, 91, 113, 264, 175, 335, 109]  # fmt: skip


def test_cronbach_matches_the_published_mtcars_example():
    assert (sum(MTCARS_CYL), sum(MTCARS_HP)) == (198, 4694)  # transcription check: R's column means × 32
    items = np.column_stack([MTCARS_CYL, MTCARS_GEAR, MTCARS_CARB, MTCARS_HP])
    assert round(cronbach_alpha(items), 8) == 0.09463206


# Published example 2: the QUEST data of the fmsb R package's CronbachAlpha() reference page
# (after Bland & Altman 1997, BMJ 314:572), 10 respondents × 3 items, computed here by hand:
# item sums of squares 97 − 29²/10 = 12.9, 76 − 24²/10 = 18.4, 80 − 26²/10 = 12.4;
# totals 5,14,4,8,11,5,7,13,7,5: 739 − 79²/10 = 114.9 (the 1/(n−1) factors cancel).
# alpha = 3/2 × (1 − 43.7 / 114.9) = 106.8 / 114.9 = 356/383 ≈ 0.9295.
QUEST = {
    "Q1": [1, 5, 2, 3, 4, 2, 3, 4, 3, 2],
    "Q2": [2, 4, 1, 2, 4, 1, 2, 5, 2, 1],
    "Q3": [2, 5, 1, 3, 3, 2, 2, 4, 2, 2],
}


def test_cronbach_matches_the_hand_computed_quest_example():
    assert cronbach_alpha(np.column_stack(list(QUEST.values()))) == pytest.approx(
        float(Fraction(356, 383)), abs=1e-12
    )


def test_cronbach_uses_complete_cases_only():
    rows = [list(r) for r in zip(*QUEST.values(), strict=True)]
    with_gaps = [*rows, [np.nan, 3, 3], [5, np.nan, np.nan]]
    assert cronbach_alpha(with_gaps) == cronbach_alpha(rows)


@pytest.mark.parametrize(
    "items",
    [
        [[1, 2], [2, 3]],  # two complete cases
        [[1, 2], [2, 3], [np.nan, 1], [3, np.nan]],
        [[1], [2], [3]],  # one item
        [[2, 2], [2, 2], [2, 2]],  # totals do not vary
    ],
)
def test_cronbach_undefined_cases_give_none(items):
    assert cronbach_alpha(items) is None


def test_cronbach_refuses_a_one_dimensional_list():
    with pytest.raises(ValueError, match="two-dimensional"):
        cronbach_alpha([1, 2, 3])


def test_consistency_uses_each_organisations_latest_complete_levels():
    fw = make_framework({"IC": [1, 1, 1], "IL": [1, 1, 1]})
    roadmap = make_roadmap()
    results = []
    for n, (q1, q2, q3) in enumerate(zip(*QUEST.values(), strict=True)):
        org = f"ORG-{n}"
        levels = {"IC.1": q1, "IC.2": q2, "IC.3": q3, "IL.1": q1, "IL.2": NA, "IL.3": 1}
        results.append(
            score_assessment([submission(fw, levels, organisation_id=org, year=2025)], fw, roadmap)
        )
        # an older assessment of the same organisation that must be ignored
        results.append(
            score_assessment(
                [submission(fw, dict.fromkeys(levels, 0), organisation_id=org, year=2020)], fw, roadmap
            )
        )
    ic, il = consistency_by_dimension(results, fw)
    assert (ic.dimension, ic.complete_cases, ic.items, ic.notes) == ("IC", 10, 3, ())
    assert ic.alpha == pytest.approx(356 / 383)
    assert (il.dimension, il.complete_cases, il.alpha, il.notes) == ("IL", 0, None, (NOTE_TOO_FEW_CASES,))


def test_consistency_notes_totals_without_variation():
    fw = make_framework({"IC": [1, 1]})
    results = [
        score_assessment([submission(fw, {"IC.1": 2, "IC.2": 3}, organisation_id=str(n))], fw, make_roadmap())
        for n in range(4)
    ]
    (ic,) = consistency_by_dimension(results, fw)
    assert (ic.alpha, ic.complete_cases, ic.notes) == (None, 4, (NOTE_NO_VARIATION,))


def test_krippendorff_example_all_coder_orders_agree_exactly():
    reference = krippendorff_alpha(PAPER_DATA, "ordinal")
    for order in itertools.permutations(PAPER_DATA):
        assert krippendorff_alpha(list(order), "ordinal") == reference


# ---------------------------------------------------------------- the array entry point


def legacy_consistency_by_dimension(results, framework) -> list[Consistency]:
    """The engine as it was before `dimension_consistency` took arrays (commit 06cd878): the oracle."""
    latest = {}
    for result in results:
        known = latest.get(result.organisation_id)
        if known is None or result.year > known.year:
            latest[result.organisation_id] = result
    latest = [latest[key] for key in sorted(latest)]
    found = []
    for dimension in framework.dimensions:
        codes = [ind.code for ind in dimension.indicators]
        rows = [
            [result.indicators[code].level for code in codes]
            for result in latest
            if all(code in result.indicators and result.indicators[code].level is not None for code in codes)
        ]
        alpha = cronbach_alpha(np.array(rows, dtype=float).reshape(len(rows), len(codes)))
        notes: tuple[str, ...] = ()
        if len(rows) < 3:
            notes = (NOTE_TOO_FEW_CASES,)
        elif alpha is None:
            notes = (NOTE_NO_VARIATION,)
        found.append(
            Consistency(
                dimension=dimension.code, alpha=alpha, complete_cases=len(rows), items=len(codes), notes=notes
            )
        )
    return found


FW_MIXED = make_framework({"IC": [1, 2, 1], "IL": [1, 1], "II": [2, 1, 1, 1]})
CONSISTENCY_ORGANISATION = st.tuples(
    st.sampled_from([f"O{n:02d}" for n in range(15)]),
    st.sampled_from([2019, 2023, 2026]),
    st.lists(
        st.one_of(st.none(), st.just(NA), st.integers(0, 5)),
        min_size=len(FW_MIXED.indicators),
        max_size=len(FW_MIXED.indicators),
    ),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(CONSISTENCY_ORGANISATION, max_size=20))
def test_dimension_consistency_of_arrays_equals_the_result_based_engine_exactly(organisations):
    roadmap = make_roadmap()
    results = [
        score_assessment(
            [
                submission(
                    FW_MIXED,
                    dict(zip((ind.code for ind in FW_MIXED.indicators), levels, strict=True)),
                    organisation_id=organisation,
                    year=year,
                )
            ],
            FW_MIXED,
            roadmap,
        )
        for organisation, year, levels in organisations
    ]
    expected = legacy_consistency_by_dimension(results, FW_MIXED)
    assert dimension_consistency(RoundScores.from_results(results, FW_MIXED), FW_MIXED) == expected
    assert consistency_by_dimension(results, FW_MIXED) == expected


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 60), st.integers(0, 2**32 - 1))
def test_dimension_consistency_of_half_levels_and_gaps_matches_the_table_it_describes(count, seed):
    rng = np.random.default_rng(seed)
    levels = rng.integers(0, 11, size=(count, len(FW_MIXED.indicators))) / 2  # medians may be x.5
    levels[rng.random(levels.shape) < 0.1] = np.nan
    scores = RoundScores(
        organisation_ids=tuple(f"O{n:03d}" for n in range(count)),
        dimension_codes=("IC", "IL", "II"),
        indicator_codes=tuple(ind.code for ind in FW_MIXED.indicators),
        index=np.full(count, np.nan),
        dimensions=np.full((count, 3), np.nan),
        levels=levels,
    )
    start = 0
    for dimension, found in zip(FW_MIXED.dimensions, dimension_consistency(scores, FW_MIXED), strict=True):
        table = levels[:, start : start + len(dimension.indicators)]
        start += len(dimension.indicators)
        complete = table[~np.isnan(table).any(axis=1)]
        assert (found.dimension, found.items, found.complete_cases) == (
            dimension.code,
            len(dimension.indicators),
            len(complete),
        )
        assert found.alpha == cronbach_alpha(complete)


def test_dimension_consistency_refuses_scores_laid_out_for_another_framework():
    scores = RoundScores.from_results([], make_framework({"IC": [1, 1]}))
    with pytest.raises(ValueError, match="not laid out for framework"):
        dimension_consistency(scores, FW_MIXED)
