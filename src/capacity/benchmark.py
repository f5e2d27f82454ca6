"""The Benchmark page in words: where an organisation stands among its peers, and what is withheld.

Not the performance benchmarks (benchmarks/): the page that compares an organisation with
the others of its type, or with the whole round when its type is too small to show. The
page (views/benchmark.py) reads its widgets, calls these and draws; the choices behind the
words live here: which comparison group a percentile is over and which sentence says so,
which types are only part of the anonymised box, and the reliability notes. Names from
questionnaires are given raw and come back as markdown that shows them as plain text.
"""

from __future__ import annotations

import pandas as pd

from capacity.access import MIN_PEER_GROUP
from capacity.dashboard import COMPARED_WITH_ROUND, PeerStanding, Tile
from capacity.i18n import format_number, format_percent, translator
from capacity.labels import organisation_type_label
from capacity.plaintext import markdown_literal


def in_whole_round(standing: PeerStanding) -> bool:
    """Whether the organisation is compared with the whole round (its type is too small to show)."""
    return standing.compared_with == COMPARED_WITH_ROUND


def standing_tiles(standing: PeerStanding, target_label: str, name: str, year: int, lang: str) -> list[Tile]:
    """The score, the size of the type's group, and the percentile over the group it is compared with."""
    t = translator(lang)
    kind = markdown_literal(organisation_type_label(standing.organisation_type or None, lang))
    percentile = (
        t("Percentile in the whole round") if in_whole_round(standing) else t("Percentile among peers")
    )
    return [
        Tile(
            t("Score"),
            format_number(standing.score, lang, 1),
            t("{target} of {name} in {year}.", target=target_label, name=markdown_literal(name), year=year),
        ),
        Tile(
            t("Organisations of the same type"),
            format_number(standing.peers, lang, 0),
            t("Peer group: {kind}, organisations with a score in {year}.", kind=kind, year=year),
        ),
        Tile(
            percentile,
            format_percent(standing.share_below, lang),
            t("Share of the other organisations compared with that score lower (ties count half)."),
        ),
    ]


def standing_sentence(standing: PeerStanding, name: str, year: int, lang: str) -> str | None:
    """The percentile as a sentence over its group (the type, or the whole round); None without one."""
    if standing.share_below is None:
        return None
    t = translator(lang)
    name = markdown_literal(name)
    share = format_percent(standing.share_below, lang)
    if not in_whole_round(standing):
        return t(
            "{name} ({kind}) scores higher than {share} of the other {count} organisations of its "
            "type in {year}.",
            name=name,
            kind=markdown_literal(organisation_type_label(standing.organisation_type or None, lang)),
            share=share,
            count=standing.peers - 1,
            year=year,
        )
    return t(
        "Its type has fewer than {minimum} organisations with a score, so {name} is compared with "
        "all {count} organisations of {year}, anonymised: it scores higher than {share} of them.",
        minimum=MIN_PEER_GROUP,
        name=name,
        count=standing.round_size,
        year=year,
        share=share,
    )


def withheld_types(groups: pd.DataFrame, lang: str) -> str | None:
    """Which types are too small to show, with their counts (`dashboard.PeerGroups.groups`); None if none."""
    withheld = groups[~groups["shown"]]
    if withheld.empty:
        return None
    names = [organisation_type_label(kind or None, lang) for kind in withheld["organisation_type"]]
    listing = ", ".join(
        f"{markdown_literal(kind)} ({count})"
        for kind, count in zip(names, withheld["organisations"], strict=True)
    )
    t = translator(lang)
    return t(
        "Types with fewer than {minimum} organisations are only part of the anonymised box: {groups}.",
        minimum=MIN_PEER_GROUP,
        groups=listing,
    )


def consistency_notes(table: pd.DataFrame, lang: str) -> str | None:
    """The engine's notes on Cronbach's alpha (`dashboard.consistency_table`), per dimension; None if none."""
    t = translator(lang)
    notes = [
        f"{row.dimension}: {'; '.join(t(note) for note in row.notes)}"
        for row in table.itertuples()
        if row.notes
    ]
    return " ".join(notes) if notes else None


def complete_cases(table: pd.DataFrame, lang: str) -> str:
    """How many organisations answered every indicator of each dimension (`dashboard.consistency_table`)."""
    t = translator(lang)
    return t(
        "Organisations with every indicator of the dimension answered: {counts}.",
        counts=", ".join(f"{row.dimension} {row.complete_cases}" for row in table.itertuples()),
    )
