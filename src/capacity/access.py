"""Who may do what: roles are enforced here, in the library, not by hiding buttons.

Every store query and action takes the acting user (`Actor`) and calls `require` (or
`allowed_organisations` to filter rows). The pages and the CLI only pass the actor along;
the CLI acts as a named local admin.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from capacity.i18n import N_, Message

MANAGER, BOARD, EVALUATOR, ADMIN = "manager", "board", "evaluator", "admin"
ROLES = (MANAGER, BOARD, EVALUATOR, ADMIN)
ROLE_LABELS = {
    MANAGER: N_("Manager"),
    BOARD: N_("Board member"),
    EVALUATOR: N_("Evaluator"),
    ADMIN: N_("Administrator"),
}

# Actions. "own" actions are limited to a manager's organisations.
VIEW_DASHBOARD = "view_dashboard"  # portfolio, benchmark and roadmap pages (peer statistics)
VIEW_PROFILE = "view_profile"  # one organisation's scores and answers
UPLOAD = "upload"  # validate and store questionnaires (a self-assessment's, whatever the file says)
UPLOAD_EVALUATOR = "upload_evaluator"  # store a questionnaire marked Evaluator: it outranks self-assessment
REVIEW = "review"  # record an evaluator's verified level
EXPORT_SCORECARD = "export_scorecard"  # one organisation's scorecard
EXPORT_DATASET = "export_dataset"  # the whole dataset, raw responses included
EXPORT_SCORES = "export_scores"  # the portfolio's consolidated scores as a file, no answers
# Raw answers: a stored questionnaire file exactly as uploaded, the answers table
# (`queries.responses`) and the evaluators' review history (`review.review_history`).
DOWNLOAD_ORIGINAL = "download_original"
VIEW_AUDIT = "view_audit"
MANAGE_USERS = "manage_users"
ACTIVATE_VERSIONS = "activate_versions"  # framework and roadmap versions
RESTORE_SUBMISSION = "restore_submission"
DELETE_SUBMISSION = "delete_submission"
DEMOTE_SUBMISSION = "demote_submission"  # turn an unverified evaluator questionnaire into a self-assessment
MANAGE_REGISTER = "manage_register"  # add, change and archive organisations; register settings
VIEW_ROUNDS = "view_rounds"  # a round's funnel and organisations' states
MANAGE_ROUNDS = "manage_rounds"  # open and close rounds
MARK_SUBMITTED = "mark_submitted"  # declare an organisation's self-assessment complete
VERIFY = "verify"  # sign an organisation's assessment off
UPLOAD_LATE = "upload_late"  # store a questionnaire for the year of a closed round
PLAN = "plan"  # add and update improvement-plan actions, with progress notes
COMMENT_PLAN = "comment_plan"  # comment on an improvement-plan action
BACKFILL_PLAN = "backfill_plan"  # record an action for a round before the latest (a plan kept on paper)

ACTIONS = (
    VIEW_DASHBOARD,
    VIEW_PROFILE,
    UPLOAD,
    UPLOAD_EVALUATOR,
    REVIEW,
    EXPORT_SCORECARD,
    EXPORT_DATASET,
    EXPORT_SCORES,
    DOWNLOAD_ORIGINAL,
    VIEW_AUDIT,
    MANAGE_USERS,
    ACTIVATE_VERSIONS,
    RESTORE_SUBMISSION,
    DELETE_SUBMISSION,
    DEMOTE_SUBMISSION,
    MANAGE_REGISTER,
    VIEW_ROUNDS,
    MANAGE_ROUNDS,
    MARK_SUBMITTED,
    VERIFY,
    UPLOAD_LATE,
    PLAN,
    COMMENT_PLAN,
    BACKFILL_PLAN,
)

_ALL = "all"  # any organisation
_OWN = "own"  # only the actor's organisations

# A manager's dashboards hold only their own organisations: others' named scores would tell
# them what only anonymised peer statistics (groups of MIN_PEER_GROUP or more) may.
# Boards read every profile and take the portfolio's scores away, but never raw answers
# (no original files, no responses table, no review history).
# Evaluators upload too: their own evaluator questionnaires are part of verifying scores.
# Only they and admins may store a questionnaire marked Evaluator (UPLOAD_EVALUATOR): its
# levels outrank every self-assessment, so the role of record must come from the account,
# never from what a manager's file says.
# Rounds: managers see their own organisations' states and checklist and mark their own
# self-assessment complete; boards see every state (the funnel); evaluators open and
# close rounds and sign assessments off. Only admins keep the register and store files
# for a closed round's year.
# The improvement plan is the organisation's own commitment: its managers write it,
# evaluators comment on it, boards read it (reading a plan is VIEW_PROFILE). A plan answers
# the latest round's gaps: adding an action to an earlier round, whose next round is
# already known, would let anyone plan for what already improved, so only admins may
# record such a plan (one kept on paper at the time).
PERMISSIONS: dict[str, dict[str, str]] = {
    MANAGER: {
        VIEW_DASHBOARD: _OWN,
        VIEW_PROFILE: _OWN,
        UPLOAD: _OWN,
        EXPORT_SCORECARD: _OWN,
        DOWNLOAD_ORIGINAL: _OWN,
        VIEW_ROUNDS: _OWN,
        MARK_SUBMITTED: _OWN,
        PLAN: _OWN,
    },
    BOARD: {VIEW_DASHBOARD: _ALL, VIEW_PROFILE: _ALL, EXPORT_SCORES: _ALL, VIEW_ROUNDS: _ALL},
    EVALUATOR: {
        VIEW_DASHBOARD: _ALL,
        VIEW_PROFILE: _ALL,
        REVIEW: _ALL,
        EXPORT_SCORECARD: _ALL,
        EXPORT_DATASET: _ALL,
        EXPORT_SCORES: _ALL,
        DOWNLOAD_ORIGINAL: _ALL,
        VIEW_AUDIT: _ALL,
        UPLOAD: _ALL,
        UPLOAD_EVALUATOR: _ALL,
        VIEW_ROUNDS: _ALL,
        MANAGE_ROUNDS: _ALL,
        VERIFY: _ALL,
        COMMENT_PLAN: _ALL,
    },
    ADMIN: {action: _ALL for action in ACTIONS},
}

# Peer statistics never show a group smaller than this organisation by organisation.
MIN_PEER_GROUP = 5


@dataclass(frozen=True)
class Actor:
    """The person (or the CLI's local admin) on whose behalf the library acts."""

    username: str
    role: str
    organisations: frozenset[str] = field(default_factory=frozenset)
    display_name: str = ""


class AccessDenied(PermissionError):
    """The actor's role or organisations do not allow the action; carries a translatable message."""

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(message.render("en"))


def is_allowed(actor: Actor, action: str, organisation_id: str | None = None) -> bool:
    """Whether `actor` may do `action` (on `organisation_id`, when the action concerns one)."""
    scope = PERMISSIONS.get(actor.role, {}).get(action)
    if scope is None:
        return False
    if scope == _OWN and organisation_id is not None:
        return organisation_id in actor.organisations
    return True


def require(actor: Actor, action: str, organisation_id: str | None = None) -> None:
    """Raise AccessDenied unless `actor` may do `action`."""
    if not is_allowed(actor, action, organisation_id):
        if organisation_id is None:
            raise AccessDenied(Message(N_("Your role does not allow this action."), {}))
        raise AccessDenied(
            Message(
                N_("Your account does not give access to organisation {organisation}."),
                {"organisation": organisation_id},
            )
        )


def allowed_organisations(actor: Actor, action: str) -> frozenset[str] | None:
    """The organisations `actor` may act on for `action`: None means all, empty means none."""
    scope = PERMISSIONS.get(actor.role, {}).get(action)
    if scope is None:
        return frozenset()
    return actor.organisations if scope == _OWN else None


CLI_ADMIN = Actor(username="local-admin", role=ADMIN, display_name="Command line (local admin)")
SYSTEM = Actor(username="system", role=ADMIN, display_name="System")
