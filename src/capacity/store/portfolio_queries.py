"""Portfolio queries the board dashboards need beyond `queries`: milestone gaps, evidence, a round's scores.

Like `queries`, each is one SQL statement over the stored results (no per-row Python)
and filters rows to what the actor may see; nothing here computes a score or a gap.
`data_version` is the cache key of the pages: it changes with every stored change, so a
new upload shows at once while unchanged data is never read twice.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from capacity import access
from capacity.access import Actor
from capacity.framework import Framework
from capacity.roadmap import INDEX, TARGETS
from capacity.scoring.results import AssessmentResult
from capacity.scoring.round_scores import RoundScores
from capacity.store.assessments import result_from_json
from capacity.store.db import Store
from capacity.store.models import (
    AssessmentResultRecord,
    AuditEntry,
    DimensionResultRecord,
    IndicatorResultRecord,
    Organisation,
)
from capacity.store.queries import frame_of, only_visible


def data_version(store: Store) -> str:
    """A token that changes whenever stored evidence or results change.

    Every store action writes an audit entry in its own transaction and every change of
    evidence recomputes results, so the newest audit id, the number of results and the
    newest computation time together change on any upload, restore, deletion or review.
    It reveals no data, so it needs no actor: it is only a cache key.
    """
    with store.read() as session:
        audit_id, results, computed = session.execute(
            select(
                select(func.max(AuditEntry.id)).scalar_subquery(),
                select(func.count()).select_from(AssessmentResultRecord).scalar_subquery(),
                select(func.max(AssessmentResultRecord.computed_at)).scalar_subquery(),
            )
        ).one()
    return f"{audit_id or 0}:{results}:{computed or ''}"


def dimension_positions(store: Store, actor: Actor) -> pd.DataFrame:
    """Each scored assessment × dimension with its roadmap position (expected, gaps, status), long form.

    `queries.portfolio` carries each dimension's score, status and gap; the milestone
    gaps (to 2023 and 2053) and the expectation are here, for the roadmap page.
    """
    access.require(actor, access.VIEW_DASHBOARD)
    r, d = AssessmentResultRecord, DimensionResultRecord
    statement = (
        select(
            r.organisation_id,
            r.year,
            d.dimension,
            d.score,
            d.expected,
            d.gap,
            d.gap_2023,
            d.gap_2053,
            d.status,
        )
        .join(d, d.assessment_id == r.assessment_id)
        .order_by(r.organisation_id, r.year, d.dimension)
    )
    with store.read() as session:
        return frame_of(session, only_visible(statement, r.organisation_id, actor, access.VIEW_DASHBOARD))


def evidence_coverage(store: Store, actor: Actor) -> pd.DataFrame:
    """Per scored assessment: indicators with a level (`answered`) and how many of them carry evidence.

    The counts are kept with each result (`assessments.refresh_evidence_counts`, which
    says what counts as evidence); an assessment without any indicator level has no row.
    """
    access.require(actor, access.VIEW_DASHBOARD)
    r = AssessmentResultRecord
    statement = (
        select(r.organisation_id, r.year, r.answered, r.evidenced)
        .where(r.answered > 0)
        .order_by(r.organisation_id, r.year)
    )
    with store.read() as session:
        frame = frame_of(session, only_visible(statement, r.organisation_id, actor, access.VIEW_DASHBOARD))
    return frame.astype({"answered": "int64", "evidenced": "int64"})


def round_results(store: Store, actor: Actor, year: int) -> list[AssessmentResult]:
    """The engine's whole stored results of every organisation assessed in `year`, by organisation id.

    Each is decoded from its JSON, evidence notes included, which at 2,000 organisations
    takes over a second; the peer statistics therefore read `round_scores` instead, and
    this is the reference their numbers are checked against.
    """
    access.require(actor, access.VIEW_DASHBOARD)
    r = AssessmentResultRecord
    statement = select(r.result).where(r.year == year).order_by(r.organisation_id)
    with store.read() as session:
        stored = session.scalars(only_visible(statement, r.organisation_id, actor, access.VIEW_DASHBOARD))
        return [result_from_json(data) for data in stored]


def round_scores(store: Store, actor: Actor, year: int, framework: Framework) -> RoundScores:
    """The index, dimension scores and indicator levels of every organisation assessed in `year`.

    For the peer statistics (weight sensitivity, Cronbach's alpha), which need only these
    numbers: they are read from the flat result tables, one row per assessment with each
    of `framework`'s dimensions and indicators joined in as a column, so no stored result
    is decoded. At 2,000 organisations that takes a tenth of loading the whole results
    (`round_results`), whose JSON carries every evidence note. The tables hold the numbers
    the results hold, so the statistics come out the same. The joins stay within SQLite's
    64 tables: a framework has 6 dimensions and at most 45 indicators.
    """
    access.require(actor, access.VIEW_DASHBOARD)
    r, d, i = AssessmentResultRecord, DimensionResultRecord, IndicatorResultRecord
    dimension_codes = tuple(dim.code for dim in framework.dimensions)
    indicator_codes = tuple(ind.code for ind in framework.indicators)
    statement = select(r.organisation_id, r.index_score).where(r.year == year)
    for n, code in enumerate(dimension_codes):
        dim = aliased(d, name=f"d{n}")
        statement = statement.outerjoin(
            dim, and_(dim.assessment_id == r.assessment_id, dim.dimension == code)
        ).add_columns(dim.score)
    for n, code in enumerate(indicator_codes):
        ind = aliased(i, name=f"i{n}")
        statement = statement.outerjoin(
            ind, and_(ind.assessment_id == r.assessment_id, ind.code == code)
        ).add_columns(ind.level)
    with store.read() as session:
        rows = session.execute(only_visible(statement, r.organisation_id, actor, access.VIEW_DASHBOARD)).all()
    # Sorted here rather than in SQL, whose collation of the ids depends on the database.
    rows.sort(key=lambda row: row[0])
    numbers = np.array([row[1:] for row in rows], dtype=np.float64).reshape(
        len(rows), 1 + len(dimension_codes) + len(indicator_codes)
    )  # None becomes NaN
    return RoundScores(
        organisation_ids=tuple(row[0] for row in rows),
        dimension_codes=dimension_codes,
        indicator_codes=indicator_codes,
        index=numbers[:, 0],
        dimensions=numbers[:, 1 : 1 + len(dimension_codes)],
        levels=numbers[:, 1 + len(dimension_codes) :],
    )


PEER_GROUP_ALL, PEER_GROUP_TYPE = "all", "type"  # every organisation of the round, or the same type


def peer_statistics(store: Store, actor: Actor, organisation_id: str, year: int) -> pd.DataFrame:
    """Anonymised statistics of the round `year` to set one organisation's scores against.

    One row per peer group (every organisation assessed that year; those of the same
    type) × target (the index and each dimension): how many organisations have a score
    (`n`), and their mean, quartiles and median. The figures are given only for a group of
    `access.MIN_PEER_GROUP` or more, so no one can read a single peer's score from them,
    and the same-type group only when the organisations outside it are none or as many,
    since the two groups' means side by side would otherwise reveal those few. No row
    names a peer. This is what a manager sees of other organisations, so it needs
    only access to the organisation's own profile.
    """
    access.require(actor, access.VIEW_PROFILE, organisation_id)
    r, d = AssessmentResultRecord, DimensionResultRecord
    with store.read() as session:
        kinds = dict(session.execute(select(Organisation.id, Organisation.type)).all())
        index = frame_of(
            session, select(r.organisation_id, r.index_score.label("score")).where(r.year == year)
        ).assign(target=INDEX)
        dimensions = frame_of(
            session,
            select(r.organisation_id, d.dimension.label("target"), d.score)
            .join(d, d.assessment_id == r.assessment_id)
            .where(r.year == year),
        )
    scores = pd.concat([index, dimensions], ignore_index=True).dropna(subset=["score"])
    scores["score"] = scores["score"].astype(float)
    own_type = kinds.get(organisation_id)
    groups = {PEER_GROUP_ALL: scores}
    if own_type is not None:
        groups[PEER_GROUP_TYPE] = scores[scores["organisation_id"].map(kinds) == own_type]
    rows = []
    for group, members in groups.items():
        for target in TARGETS:
            values = members.loc[members["target"] == target, "score"]
            left_out = (scores["target"] == target).sum() - len(values)
            # a subgroup's figures beside the whole round's would give away the few left out of it
            shown = len(values) >= access.MIN_PEER_GROUP and not 0 < left_out < access.MIN_PEER_GROUP
            rows.append(
                {
                    "group": group,
                    "organisation_type": own_type if group == PEER_GROUP_TYPE else None,
                    "target": target,
                    "n": len(values),
                    **{
                        name: float(statistic(values)) if shown else float("nan")
                        for name, statistic in (
                            ("mean", pd.Series.mean),
                            ("p25", lambda v: v.quantile(0.25)),
                            ("median", pd.Series.median),
                            ("p75", lambda v: v.quantile(0.75)),
                        )
                    },
                }
            )
    return pd.DataFrame(rows)
