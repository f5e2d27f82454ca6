"""The Benchmark page's words (capacity.benchmark): the standing, the withheld types, the notes."""

from __future__ import annotations

import pandas as pd
import pytest

from capacity import benchmark, dashboard
from capacity.access import MIN_PEER_GROUP, Actor
from capacity.i18n import translator
from capacity.scoring.reliability import NOTE_NO_VARIATION, NOTE_TOO_FEW_CASES
from capacity.store import open_store, queries
from tests.dashboard_data import fill_small_portfolio

BOARD = Actor("board-test", "board")
HOSTILE = "*Aid* [here](https://evil.example)"


@pytest.fixture(scope="module")
def round_2023(tmp_path_factory) -> pd.DataFrame:
    """The small portfolio's 2023 round: six national societies (a group to show) and three NGOs."""
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('benchmark') / 'capacity.db'}")
    try:
        fill_small_portfolio(store)
        portfolio = queries.portfolio(store, BOARD)
    finally:
        store.close()
    return portfolio[portfolio["year"] == 2023]


def test_an_organisation_of_a_large_type_is_placed_among_its_peers(round_2023) -> None:
    standing = dashboard.peer_standing(round_2023, "NS-01")  # 60 among 60, 40, 60, 40, 80, 20
    score, peers, percentile = benchmark.standing_tiles(
        standing, "Index", "Aurora Relief Society", 2023, "en"
    )
    assert (score.label, score.value) == ("Score", "60.0")
    assert score.help == "Index of Aurora Relief Society in 2023."
    assert (peers.value, percentile.label, percentile.value) == ("6", "Percentile among peers", "70%")
    assert benchmark.standing_sentence(standing, "Aurora Relief Society", 2023, "en") == (
        r"Aurora Relief Society (National Red Crescent\/Red Cross society) scores higher than 70% of the "
        "other 5 organisations of its type in 2023."
    )


def test_an_organisation_of_a_small_type_is_placed_in_the_whole_round_anonymised(round_2023) -> None:
    standing = dashboard.peer_standing(round_2023, "NGO-03")  # three NGOs: the round of nine instead
    tiles = benchmark.standing_tiles(standing, "Endeks", "Ngo", 2023, "tr")
    assert tiles[2].label == translator("tr")("Percentile in the whole round")
    assert tiles[2].value == "%100"
    sentence = benchmark.standing_sentence(standing, "Ngo", 2023, "en")
    assert sentence.startswith(f"Its type has fewer than {MIN_PEER_GROUP} organisations with a score")
    assert "all 9 organisations of 2023" in sentence


def test_no_sentence_without_a_percentile_and_names_are_shown_as_text() -> None:
    unscored = dashboard.PeerStanding("ngo", 6, None, None, True)
    assert benchmark.standing_sentence(unscored, HOSTILE, 2023, "en") is None
    kind = dashboard.PeerStanding("*x*", 6, 50.0, 0.5, True)
    tiles = benchmark.standing_tiles(kind, "Index", HOSTILE, 2023, "en")
    assert r"\*Aid\* \[here\]" in tiles[0].help
    assert "](https" not in tiles[0].help
    assert r"\*x\*" in tiles[1].help
    assert r"\*Aid\*" in benchmark.standing_sentence(kind, HOSTILE, 2023, "en")


def test_only_types_too_small_to_show_are_listed_with_their_counts() -> None:
    groups = pd.DataFrame(
        {
            "organisation_type": ["national_society", "ngo", "", "*x*"],
            "organisations": [8, 4, 1, 2],
            "shown": [True, False, False, False],
        }
    )
    assert benchmark.withheld_types(groups, "en") == (
        f"Types with fewer than {MIN_PEER_GROUP} organisations are only part of the anonymised box: "
        r"NGO (4), Type not given (1), \*x\* (2)."
    )
    assert benchmark.withheld_types(groups[groups["shown"]], "en") is None


def test_reliability_notes_are_translated_per_dimension_and_counts_listed() -> None:
    table = pd.DataFrame(
        {
            "dimension": ["IC", "IL", "II"],
            "alpha": [0.8, None, None],
            "complete_cases": [9, 2, 9],
            "items": [5, 5, 5],
            "notes": [(), (NOTE_TOO_FEW_CASES,), (NOTE_NO_VARIATION, NOTE_TOO_FEW_CASES)],
        }
    )
    t = translator("tr")
    assert benchmark.consistency_notes(table, "tr") == (
        f"IL: {t(NOTE_TOO_FEW_CASES)} II: {t(NOTE_NO_VARIATION)}; {t(NOTE_TOO_FEW_CASES)}"
    )
    assert benchmark.consistency_notes(table.iloc[:1], "tr") is None
    assert benchmark.complete_cases(table, "en") == (
        "Organisations with every indicator of the dimension answered: IC 9, IL 2, II 9."
    )
