"""docs/ACCOUNTS.md's role × action table says exactly what `capacity.access` enforces.

The table is parsed from the document and every cell is checked against the permissions:
a cell names the organisations a role may act on ("all", "own organisations", "no"),
optionally followed by ": " and the only things of that column it may do. Every action of
`access.ACTIONS` belongs to exactly one column, so a new permission cannot go undocumented.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from capacity import access
from capacity.access import Actor

DOC = Path(__file__).resolve().parents[1] / "docs" / "ACCOUNTS.md"
A = access
COLUMNS: dict[str, dict[str, str]] = {  # column heading → {item named in a cell: action}
    "Read dashboards and profiles": {"dashboards": A.VIEW_DASHBOARD, "profiles": A.VIEW_PROFILE},
    "Upload self-assessments": {"self-assessments": A.UPLOAD},
    "Upload evaluator questionnaires": {"evaluator questionnaires": A.UPLOAD_EVALUATOR},
    "Review": {"reviews": A.REVIEW},
    "Rounds": {
        "state": A.VIEW_ROUNDS,
        "mark complete": A.MARK_SUBMITTED,
        "open and close": A.MANAGE_ROUNDS,
        "sign off": A.VERIFY,
    },
    "Improvement plan": {"write": A.PLAN, "comment": A.COMMENT_PLAN, "backfill": A.BACKFILL_PLAN},
    "Export": {
        "scorecards": A.EXPORT_SCORECARD,
        "consolidated scores": A.EXPORT_SCORES,
        "dataset": A.EXPORT_DATASET,
    },
    "See raw answers": {"original files": A.DOWNLOAD_ORIGINAL},
    "Audit log": {"audit log": A.VIEW_AUDIT},
    "Administer": {
        "accounts": A.MANAGE_USERS,
        "versions": A.ACTIVATE_VERSIONS,
        "restore": A.RESTORE_SUBMISSION,
        "delete": A.DELETE_SUBMISSION,
        "demote": A.DEMOTE_SUBMISSION,
        "register": A.MANAGE_REGISTER,
        "late uploads": A.UPLOAD_LATE,
    },
}
ALL, OWN, NO = "all", "own organisations", "no"
OWN_ORGANISATION, OTHER_ORGANISATION = "ORG-OWN", "ORG-OTHER"


def role_table(text: str) -> tuple[list[str], dict[str, list[str]]]:
    """The headings and the rows (by role) of the table whose first heading is Role."""
    lines = [line.strip() for line in text.splitlines()]
    start = next(i for i, line in enumerate(lines) if re.match(r"^\|\s*Role\s*\|.*Administer", line))
    end = next((i for i in range(start, len(lines)) if not lines[i].startswith("|")), len(lines))
    cells = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[start:end]]
    return cells[0][1:], {row[0].strip("*"): row[1:] for row in cells[2:]}


HEADINGS, ROWS = role_table(DOC.read_text(encoding="utf-8"))


def parse(cell: str) -> tuple[str, set[str] | None]:
    """("all" | "own organisations" | "no", the items named after a colon or None for the whole column)."""
    scope, _, items = cell.partition(":")
    scope = scope.strip()
    assert scope in (ALL, OWN, NO), f"unknown scope in {cell!r}"
    return scope, ({item.strip() for item in items.split(",")} if items else None)


def test_the_table_has_every_role_and_every_action_once() -> None:
    assert list(COLUMNS) == HEADINGS
    assert set(ROWS) == set(access.ROLES)
    assert all(len(cells) == len(HEADINGS) for cells in ROWS.values())
    documented = [action for items in COLUMNS.values() for action in items.values()]
    assert sorted(documented) == sorted(access.ACTIONS)


CELLS = [(role, heading) for role in access.ROLES for heading in COLUMNS]


@pytest.mark.parametrize(("role", "heading"), CELLS, ids=[f"{r}-{h}" for r, h in CELLS])
def test_each_cell_is_what_access_enforces(role: str, heading: str) -> None:
    scope, named = parse(ROWS[role][HEADINGS.index(heading)])
    items = COLUMNS[heading]
    assert named is None or named <= set(items), f"unknown items {named - set(items)} in {heading}"
    actor = Actor("someone", role, frozenset({OWN_ORGANISATION}))
    for item, action in items.items():
        expected = NO if scope == NO or (named is not None and item not in named) else scope
        reach = access.allowed_organisations(actor, action)
        actual = ALL if reach is None else (OWN if reach else NO)
        assert actual == expected, (
            f"{role} / {heading} / {item}: the doc says {expected}, access says {actual}"
        )
        assert access.is_allowed(actor, action, OWN_ORGANISATION) is (expected != NO)
        assert access.is_allowed(actor, action, OTHER_ORGANISATION) is (expected == ALL)
