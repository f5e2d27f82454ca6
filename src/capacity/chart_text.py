"""Text alternatives of the dashboard charts: one or two sentences with the key numbers.

A chart's picture is no use to a screen-reader user, nor to a board member who reads the
page aloud or prints it in black and white. Every chart on the dashboards is followed by
one of these sentences, in the reader's language, written from the same page data the
chart is drawn from: no number here is computed anew, apart from counting and picking the
highest and lowest of what the engine said. Gaps follow the project's one sign: a
positive gap means behind the roadmap, and the sentences say "below" and "above" in words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from capacity.dashboard import EXPECTED_NOW, LATEST, VISION, Heatmap, PeerGroups, RoundSummary
from capacity.i18n import format_number, format_percent, tn, translator
from capacity.labels import (
    ARROW_ORDER,
    NO_DATA,
    STATUS_ORDER,
    arrow_label,
    organisation_type_label,
    status_label,
    target_name,
)
from capacity.roadmap import INDEX, Roadmap
from capacity.scoring import expected_score

# A rank interval (5–95 %) at most this many places wide: the place hardly depends on the weights.
STABLE_RANK_WIDTH = 2


def _number(value: object, lang: str, digits: int = 1) -> str:
    return format_number(None if value is None or pd.isna(value) else float(value), lang, digits)


def _position(score: float, expected: float, lang: str) -> str:
    """'4.5 points below the roadmap', 'on the roadmap' or '3.0 points above the roadmap'."""
    t = translator(lang)
    gap = expected - score  # positive: behind
    if round(gap, 1) == 0:
        return t("on the roadmap")
    if gap > 0:
        return t("{points} points below the roadmap", points=format_number(gap, lang, 1))
    return t("{points} points above the roadmap", points=format_number(-gap, lang, 1))


def roadmap_summary(series: pd.DataFrame, roadmap: Roadmap, lang: str) -> str:
    """The portfolio's mean index in its first and latest year, against the roadmap and the vision."""
    t = translator(lang)
    rows = series[series["target"] == INDEX].sort_values("year")
    vision = format_number(roadmap.target(INDEX, roadmap.vision_year), lang, 0)
    if rows.empty:
        return t(
            "No index yet. The roadmap's target for {year} is {vision}.",
            year=roadmap.vision_year,
            vision=vision,
        )
    last = rows.iloc[-1]
    year = int(last["year"])
    sentence = t(
        "In {year} the mean index of {count} organisations is {mean}, {position} (it expects {expected}).",
        year=year,
        count=int(last["organisations"]),
        mean=_number(last["mean"], lang),
        position=_position(float(last["mean"]), expected_score(roadmap, INDEX, year), lang),
        expected=format_number(expected_score(roadmap, INDEX, year), lang, 1),
    )
    if len(rows) > 1:
        first = rows.iloc[0]
        sentence += " " + t(
            "In {year} it was {mean}.", year=int(first["year"]), mean=_number(first["mean"], lang)
        )
    return sentence + " " + t("The {year} vision is {vision}.", year=roadmap.vision_year, vision=vision)


def _counts(counts: Mapping[str, int], words: Mapping[str, str]) -> str:
    """'9 on track, 3 slightly behind, …' in the order of `words`, leaving out zero counts."""
    return ", ".join(f"{counts[key]} {word}" for key, word in words.items() if counts.get(key))


def heatmap_summary(heatmap: Heatmap, lang: str) -> str:
    """How many organisations have each roadmap status of the index."""
    t = translator(lang)
    if not len(heatmap) or INDEX not in heatmap.targets:
        return t("No organisation to show.")
    counts = heatmap.statuses[INDEX].value_counts().to_dict()
    words = {status: status_label(status, lang) for status in STATUS_ORDER}
    return tn(
        "Index of {n} organisation against the roadmap: {counts}.",
        "Index of {n} organisations against the roadmap: {counts}.",
        len(heatmap),
        lang,
        counts=_counts(counts, words),
    )


def bullet_summary(bullets: pd.DataFrame, lang: str) -> str:
    """Each target's score, the expectation and the status, e.g. 'Index 71.4 (expected 63.0, on track)'."""
    t = translator(lang)
    parts = [
        t(
            "{target} {score} (expected {expected}, {status})",
            target=target_name(row.target, lang),
            score=_number(row.score, lang),
            expected=_number(row.expected, lang),
            status=status_label(None if row.status == NO_DATA else row.status, lang),
        )
        for row in bullets.itertuples(index=False)
    ]
    return "; ".join(parts) + "."


def radar_summary(radar: pd.DataFrame, lang: str) -> str:
    """The latest round's dimension scores, the expectation now and the vision."""
    t = translator(lang)
    latest = radar[radar["series"] == LATEST]
    expected = radar[radar["series"] == EXPECTED_NOW]
    vision = radar[radar["series"] == VISION]
    if latest.empty:
        return t("No score to show.")
    scores = ", ".join(
        f"{target_name(row.target, lang)} {_number(row.score, lang)}"
        for row in latest.itertuples(index=False)
    )
    sentence = t("Round {year}: {scores}.", year=int(latest["year"].iloc[0]), scores=scores)
    if not expected.empty and not vision.empty:
        sentence += " " + t(
            "The roadmap expects {low}–{high} in {year} and {vision} in {vision_year}.",
            low=_number(expected["score"].min(), lang),
            high=_number(expected["score"].max(), lang),
            year=int(expected["year"].iloc[0]),
            vision=_number(vision["score"].max(), lang, 0),
            vision_year=int(vision["year"].iloc[0]),
        )
    return sentence


def trend_summary(history: pd.DataFrame, target: str, projected_year: float | None, lang: str) -> str:
    """One target's score in each assessment, and the year the vision would be reached at this pace."""
    t = translator(lang)
    rows = history[history["target"] == target].dropna(subset=["score"]).sort_values("year")
    if rows.empty:
        return t("No score to show.")
    scores = ", ".join(
        t("{score} in {year}", score=_number(row.score, lang), year=int(row.year))
        for row in rows.itertuples(index=False)
    )
    sentence = f"{target_name(target, lang)}: {scores}."
    if projected_year is not None and not pd.isna(projected_year):
        sentence += " " + t(
            "At this pace the vision is reached in {year}.", year=round(float(projected_year))
        )
    return sentence


def distribution_summary(groups: PeerGroups, whole_round: RoundSummary | None, lang: str) -> str:
    """The median of each organisation type drawn, and of the whole round."""
    t = translator(lang)
    parts = []
    if whole_round is not None:
        parts.append(
            t(
                "all organisations {median} (middle half {low}–{high}, {count} organisations)",
                median=_number(whole_round.median, lang),
                low=_number(whole_round.p25, lang),
                high=_number(whole_round.p75, lang),
                count=whole_round.organisations,
            )
        )
    points = groups.points
    for kind, rows in points.groupby("organisation_type", sort=True):
        parts.append(
            t(
                "{kind} {median} ({count} organisations)",
                kind=organisation_type_label(str(kind) or None, lang),
                median=_number(rows["score"].median(), lang),
                count=len(rows),
            )
        )
    if not parts:
        return t("No group is large enough to show.")
    return t("Medians: {parts}.", parts="; ".join(parts))


def milestone_summary(shares: pd.DataFrame, basis_labels: Mapping[str, str], lang: str) -> str:
    """Per basis, the index's share at the milestone and the range over the dimensions."""
    t = translator(lang)
    sentences = []
    for basis, label in basis_labels.items():
        rows = shares[(shares["basis"] == basis) & (shares["assessed"] > 0)]
        index = rows[rows["target"] == INDEX]
        dimensions = rows[rows["target"] != INDEX].sort_values("share")
        if index.empty:
            continue
        sentence = t(
            "{basis}: index {share} ({met} of {assessed})",
            basis=label,
            share=format_percent(float(index["share"].iloc[0]), lang),
            met=int(index["met"].iloc[0]),
            assessed=int(index["assessed"].iloc[0]),
        )
        if len(dimensions):
            low, high = dimensions.iloc[0], dimensions.iloc[-1]
            sentence += t(
                ", dimensions from {low} ({low_name}) to {high} ({high_name})",
                low=format_percent(float(low["share"]), lang),
                low_name=target_name(low["target"], lang),
                high=format_percent(float(high["share"]), lang),
                high_name=target_name(high["target"], lang),
            )
        sentences.append(sentence + ".")
    return " ".join(sentences) if sentences else t("Nobody assessed yet.")


def arrow_summary(counts: pd.DataFrame, lang: str, target: str = INDEX) -> str:
    """How many organisations have each trend arrow for the index (`dashboard.arrow_counts`)."""
    t = translator(lang)
    rows = counts[counts["target"] == target]
    total = int(rows["organisations"].sum())
    if not total:
        return t("No organisation to show.")
    found = dict(zip(rows["arrow"], rows["organisations"].astype(int), strict=True))
    words = {arrow: arrow_label(arrow, lang) for arrow in ARROW_ORDER}
    return tn(
        "Trend of the index of {n} organisation: {counts}.",
        "Trend of the index of {n} organisations: {counts}.",
        total,
        lang,
        counts=_counts(found, words),
    )


def rank_sentence(window: pd.DataFrame, organisation_id: str, name: str, lang: str) -> str:
    """One plain sentence for boards: how far the organisation's rank depends on the weights."""
    t = translator(lang)
    own = window[window["organisation_id"] == organisation_id]
    if own.empty:
        return ""
    row = own.iloc[0]
    low, high = float(row["rank_p05"]), float(row["rank_p95"])
    total = int(row["organisations"])
    if format_number(low, lang, 0) == format_number(high, lang, 0):
        return t(
            "With each of 1,000 different weightings of the dimensions, {name} ranks {rank} of {total}: its "
            "place does not depend on how the dimensions are weighted.",
            name=name,
            rank=format_number(low, lang, 0),
            total=total,
        )
    sentence = t(
        "With 1,000 different weightings of the dimensions, {name} ranks between {low} and {high} of "
        "{total} (rank {nominal} with the framework's weights).",
        name=name,
        low=format_number(low, lang, 0),
        high=format_number(high, lang, 0),
        total=total,
        nominal=format_number(float(row["nominal_rank"]), lang, 0),
    )
    stable = high - low <= STABLE_RANK_WIDTH
    return (
        sentence
        + " "
        + (
            t("Its place hardly depends on how the dimensions are weighted.")
            if stable
            else t("Its place depends partly on how the dimensions are weighted.")
        )
    )


def rank_summary(window: pd.DataFrame, lang: str) -> str:
    """How wide the rank ranges of the organisations drawn are (`dashboard.rank_window`)."""
    t = translator(lang)
    widths = window["rank_p95"] - window["rank_p05"]
    widest = window.loc[widths.idxmax()]
    return t(
        "Rank ranges (5–95 %) of the {count} organisations shown: from {narrow} to {wide} places wide; "
        "widest: {name} ({low}–{high}).",
        count=len(window),
        narrow=format_number(float(widths.min()), lang, 0),
        wide=format_number(float(widths.max()), lang, 0),
        name=widest["organisation_name"],
        low=format_number(float(widest["rank_p05"]), lang, 0),
        high=format_number(float(widest["rank_p95"]), lang, 0),
    )


def consistency_sentence(table: pd.DataFrame, lang: str, threshold: float = 0.7) -> str:
    """One plain sentence for boards: in how many dimensions the indicators hang together."""
    t = translator(lang)
    measured = table.dropna(subset=["alpha"])
    good = measured[measured["alpha"] >= threshold]
    sentence = t(
        "In {good} of {total} dimensions the indicators hang together well enough to be added into one "
        "score (Cronbach's alpha {threshold} or more).",
        good=len(good),
        total=len(table),
        threshold=format_number(threshold, lang, 1),
    )
    weak: Sequence[str] = [
        target_name(code, lang) for code in table["dimension"] if code not in set(good["dimension"])
    ]
    if weak:
        sentence += " " + t("Read these with care: {names}.", names=", ".join(weak))
    return sentence


def consistency_summary(table: pd.DataFrame, lang: str) -> str:
    """Each dimension's alpha, e.g. 'Institutional Capacity 0.86'."""
    t = translator(lang)
    values = ", ".join(
        f"{target_name(row.dimension, lang)} "
        + (format_number(row.alpha, lang, 2) if not pd.isna(row.alpha) else t("not enough data"))
        for row in table.itertuples(index=False)
    )
    return t("Cronbach's alpha: {values}.", values=values)
