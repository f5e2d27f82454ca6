"""The whole dataset for one's own analysis: consolidated scores and every answer, tidy.

Tables as the store's queries return them (so every figure is the engine's, unrounded):
`scores`, one row per organisation and assessment year with the index and each dimension;
`responses`, one row per questionnaire and indicator (active questionnaires only);
`submissions`, one row per active questionnaire with its role of record and the account
(and that account's role) that uploaded it; `reviews`, every evaluator review with its
reason, reviewer and time. From the last three the official levels can be reproduced
without the database (docs/METHOD.md, step 1).
`plan`, one row per improvement-plan action with its indicator's level before and after. Board
members take the scores only (`responses=False`): the portfolio in a file they can open,
without the raw answers their role may not take away (`access.EXPORT_SCORES`). A
`codebook` says what each column means, in the reader's language. Column names stay the
same in every language, so an analysis script works on any export. Text from uploads
(names, evidence) is neutralised, so a spreadsheet never runs it as a formula.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from capacity import access
from capacity.access import Actor
from capacity.export.safe import cell_text, neutralise_frame
from capacity.framework import current_framework
from capacity.i18n import translator
from capacity.labels import target_name
from capacity.plans.report import dataset_plan
from capacity.sheets import lay_out_for
from capacity.store import audit, evidence_queries, queries
from capacity.store.db import Store

SCORES, RESPONSES, SUBMISSIONS, REVIEWS, PLAN, CODEBOOK = (
    "scores",
    "responses",
    "submissions",
    "reviews",
    "plan",
    "codebook",
)
EXCEL_ROWS = 1_048_576  # rows of one sheet, the header included
MAX_COLUMN_WIDTH = 40  # characters; longer text (names, evidence) wraps into view when selected
CSV_ENCODING = "utf-8-sig"  # the byte-order mark makes Excel read ğ, ş, ı as UTF-8


def _naive_utc(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Times in UTC without a zone: Excel cells hold no time zone (the codebook says UTC)."""
    for column in columns:
        frame[column] = pd.to_datetime(frame[column], utc=True).dt.tz_localize(None)
    return frame


def dataset_frames(store: Store, actor: Actor, responses: bool = True) -> dict[str, pd.DataFrame]:
    """The scores (and, with `responses`, every answer, who uploaded each questionnaire and every
    review), neutralised; raises AccessDenied when the actor may not export them."""
    access.require(actor, access.EXPORT_DATASET if responses else access.EXPORT_SCORES)
    scores = queries.portfolio(store, actor)
    scores["computed_at"] = scores["computed_at"].dt.tz_convert("UTC").dt.tz_localize(None)
    frames = {SCORES: neutralise_frame(scores)}
    if responses:
        frames[RESPONSES] = neutralise_frame(queries.responses(store, actor))
        uploads = _naive_utc(evidence_queries.submission_provenance(store, actor), "uploaded_at")
        frames[SUBMISSIONS] = neutralise_frame(uploads)
        reviews = _naive_utc(evidence_queries.reviews(store, actor), "created_at", "superseded_at")
        frames[REVIEWS] = neutralise_frame(reviews)
    frames[PLAN] = neutralise_frame(dataset_plan(store, actor))
    return frames


def codebook(frames: dict[str, pd.DataFrame], lang: str) -> pd.DataFrame:
    """What every column of every table means (table, column, meaning)."""
    t = translator(lang)
    fixed = {
        "organisation_id": t("Organisation ID, as written in its questionnaires"),
        "organisation_name": t("Organisation name"),
        "organisation_type": t("Organisation type (a code of the questionnaire's list)"),
        "country": t("Country"),
        "region": t("Region"),
        "year": t("Assessment year"),
        "respondents": t("Questionnaires scored (an evaluator's reviews count as one)"),
        "alpha_ordinal": t("Agreement between self-assessment respondents: Krippendorff's alpha, ordinal"),
        "alpha_interval": t("Agreement between self-assessment respondents: Krippendorff's alpha, interval"),
        "framework_version": t("Version of the framework the scores use"),
        "roadmap_version": t("Version of the roadmap the gaps use"),
        "computed_at": t("When the scores were computed (UTC)"),
        "submission_id": t("Stored questionnaire the answer comes from"),
        "respondent_role": t("self = self-assessment, evaluator = external evaluator"),
        "status": t("active = counts in the scores"),
        "code": t("Indicator code"),
        "dimension": t("Dimension code"),
        "level": t("Level 0–5 given (empty: N/A or no answer)"),
        "not_applicable": t("The respondent answered N/A"),
        "evidence": t("Evidence named by the respondent"),
        "evidence_link": t("Link to the evidence"),
        "uploaded_by": t("Account that uploaded the questionnaire"),
        "uploader_role": t(
            "That account's role when it uploaded (manager, evaluator, admin; empty: unknown, stored "
            "before roles were recorded)"
        ),
        "uploaded_at": t("When the questionnaire was uploaded (UTC)"),
        "evaluator_unverified": t(
            "Marked Evaluator but not uploaded by an evaluator or admin (stored before the role of record "
            "came from the account); an admin should demote it"
        ),
        "review_id": t("Review number"),
        "reason": t("The reviewer's reason for the level"),
        "reviewer": t("Account that recorded the review"),
        "created_at": t("When the review was recorded (UTC)"),
        "superseded_at": t("When a newer review of the indicator replaced it (UTC; empty: in force)"),
        "late": t("Stored after its year's round was closed (an administrator's late upload)"),
    }
    per_target = {
        "score": t("{target}: score 0–100 (empty: insufficient data or not applicable)"),
        "label": t("{target}: level 0–5 of the score's band"),
        "status": t("{target}: roadmap status (on track, slightly behind, behind, off track)"),
        "expected": t("{target}: score the roadmap expects in the assessment year"),
        "gap": t("{target}: expected score minus score (positive: behind)"),
        "gap_2023": t("{target}: 2023 target minus score (positive: behind)"),
        "gap_2053": t("{target}: 2053 target minus score (positive: behind)"),
        "coverage": t("{target}: share of its applicable indicators answered"),
        "insufficient_data": t("{target}: too few indicators answered for a score"),
    }
    per_table = {
        PLAN: {
            "action_id": t("Improvement-plan action"),
            "year": t("Assessment round whose gaps the action answers"),
            "code": t("Indicator the action works on"),
            "action": t("What will be done"),
            "owner": t("Who owns the action"),
            "due_date": t("Due date"),
            "target_level": t("Level 1–5 the action aims for"),
            "status": t("planned, in_progress, done or dropped"),
            "completed_on": t("Day the action was marked done"),
            "before": t("Indicator's level in the action's round"),
            "after_year": t("The organisation's next round (empty: none yet)"),
            "after": t("Indicator's level in the next round (empty: not measured yet)"),
            "change": t("Level after minus level before"),
            "reached": t("Level after at or above the aimed level"),
        }
    }
    targets = {"index": target_name("index", lang)}
    targets.update({d.code: d.name(lang) for d in current_framework().dimensions})
    rows = []
    for table, frame in frames.items():
        for column in frame.columns:
            prefix, _, field = str(column).partition("_")
            meaning = per_table.get(table, {}).get(column) or fixed.get(column)
            if meaning is None and prefix in targets and field in per_target:
                meaning = per_target[field].format(target=targets[prefix])
            rows.append({"table": table, "column": column, "meaning": meaning or ""})
    return pd.DataFrame(rows, columns=["table", "column", "meaning"])


def _one_line_break(value: object) -> object:
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def _csv(frame: pd.DataFrame) -> bytes:
    """CSV bytes; line breaks inside text become LF, which pandas quotes (a bare CR it does not, and
    a spreadsheet would end the row there)."""
    text = frame.copy()
    for column in text.columns:
        if text[column].dtype == object or pd.api.types.is_string_dtype(text[column]):
            text[column] = text[column].map(_one_line_break)
    return text.to_csv(index=False).encode(CSV_ENCODING)


def dataset_csv_files(
    store: Store, actor: Actor, lang: str = "en", responses: bool = True
) -> dict[str, bytes]:
    """`scores.csv`, `responses.csv` and `codebook.csv` (UTF-8 with a byte-order mark, comma-separated)."""
    frames = dataset_frames(store, actor, responses)
    files = {f"{name}.csv": _csv(frame) for name, frame in frames.items()}
    files[f"{CODEBOOK}.csv"] = _csv(codebook(frames, lang))
    audit.record_read(store, actor, audit.DATASET_EXPORTED, None, format="csv", tables=sorted(frames))
    return files


def dataset_csv_zip(store: Store, actor: Actor, lang: str = "en", responses: bool = True) -> bytes:
    """The CSV files in one ZIP."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in dataset_csv_files(store, actor, lang, responses).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _plain(value: object) -> object:
    """A cell value openpyxl can write: None for missing, Python numbers and booleans, safe text."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, str):
        return cell_text(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _rows(sheet: WriteOnlyWorksheet, frame: pd.DataFrame, start: int, stop: int) -> Iterator[list]:
    header = []
    for column in frame.columns:
        cell = WriteOnlyCell(sheet, value=cell_text(str(column)))
        cell.font = Font(bold=True)
        header.append(cell)
    yield header
    for values in frame.iloc[start:stop].itertuples(index=False, name=None):
        row = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=_plain(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
            elif hasattr(cell.value, "year"):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            row.append(cell)
        yield row


def _column_widths(frame: pd.DataFrame, sample: int = 200) -> dict[str, float]:
    """Widths that show each header and most values, judged on the first rows (a write-only
    sheet takes its widths before its rows, and the whole table may be a million rows long)."""
    widths = {}
    head = frame.head(sample)
    for number, column in enumerate(frame.columns, start=1):
        longest = max([len(str(column)), *(len(str(value)) for value in head[column].dropna())])
        widths[get_column_letter(number)] = min(MAX_COLUMN_WIDTH, longest + 2)
    return widths


def dataset_xlsx(store: Store, actor: Actor, lang: str = "en", responses: bool = True) -> bytes:
    """One workbook: a sheet per table (split beyond Excel's row limit), and the codebook."""
    frames = dataset_frames(store, actor, responses)
    tables = {**frames, CODEBOOK: codebook(frames, lang)}
    workbook = Workbook(write_only=True)
    per_sheet = EXCEL_ROWS - 1
    for name, frame in tables.items():
        parts = max(1, -(-len(frame) // per_sheet))
        for part in range(parts):
            sheet = workbook.create_sheet(name if part == 0 else f"{name} ({part + 1})")
            lay_out_for([sheet], lang)
            sheet.freeze_panes = "A2"
            for letter, width in _column_widths(frame).items():
                sheet.column_dimensions[letter].width = width
            for row in _rows(sheet, frame, part * per_sheet, (part + 1) * per_sheet):
                sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    audit.record_read(store, actor, audit.DATASET_EXPORTED, None, format="xlsx", tables=sorted(frames))
    return buffer.getvalue()
