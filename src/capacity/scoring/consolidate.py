"""Step 1 of the method: one score of record per indicator from every respondent's answer.

An external evaluator's level outranks self-assessment, because the evaluator checked the
evidence; several self-assessments are summarised by their median, which one outlier
cannot drag. A respondent's N/A only wins when nobody gave a level (or the evaluator said
N/A), so one person's "does not apply" never erases the others' answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from capacity.questionnaire.layout import ROLE_EVALUATOR
from capacity.questionnaire.submission import Submission
from capacity.scoring.results import IndicatorResult

SPREAD_FLAG_LEVELS = 2  # self-assessments this far apart are worth a conversation
SELF_EVALUATOR_FLAG_LEVELS = 1  # self-view and evaluator this far apart, likewise


def median(values: Sequence[float]) -> float:
    """The middle value; for an even count the mean of the two middle values."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def consolidate_indicator(code: str, submissions: Iterable[Submission]) -> IndicatorResult:
    """Apply the consolidation rule to one indicator's answers, in respondent order."""
    self_levels: list[int] = []
    evaluator_levels: list[int] = []
    self_not_applicable = evaluator_not_applicable = False
    respondents = 0
    evidence: list[str] = []
    links: list[str] = []
    for submission in submissions:
        answer = submission.answers.get(code)
        if answer is None:
            continue
        is_evaluator = submission.respondent_role == ROLE_EVALUATOR
        if answer.level is not None:
            respondents += 1
            (evaluator_levels if is_evaluator else self_levels).append(answer.level)
        elif answer.not_applicable:
            respondents += 1
            if is_evaluator:
                evaluator_not_applicable = True
            else:
                self_not_applicable = True
        if answer.evidence.strip():
            evidence.append(answer.evidence.strip())
        if answer.evidence_link.strip():
            links.append(answer.evidence_link.strip())

    self_level = median(self_levels) if self_levels else None
    evaluator_level = median(evaluator_levels) if evaluator_levels else None
    if evaluator_level is not None:
        level, not_applicable = evaluator_level, False
    elif evaluator_not_applicable:
        level, not_applicable = None, True
    else:
        level, not_applicable = self_level, self_level is None and self_not_applicable
    spread = float(max(self_levels) - min(self_levels)) if self_levels else None
    return IndicatorResult(
        code=code,
        level=level,
        not_applicable=not_applicable,
        respondents=respondents,
        self_level=self_level,
        evaluator_level=evaluator_level,
        spread=spread,
        spread_flag=spread is not None and spread >= SPREAD_FLAG_LEVELS,
        self_evaluator_flag=(
            self_level is not None
            and evaluator_level is not None
            and abs(self_level - evaluator_level) >= SELF_EVALUATOR_FLAG_LEVELS
        ),
        evidence=tuple(evidence),
        evidence_links=tuple(links),
    )
