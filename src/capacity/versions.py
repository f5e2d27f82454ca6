"""Framework and roadmap versions: an admin adds a new version of either file, then activates it.

The bundled files in `data/` are always available; an added version is kept in the
database as the YAML text the admin gave and never changes, so a stored result can always
be recomputed with the versions it names. Activating a version records the choice and
recomputes every stored assessment in the same transaction: a new roadmap moves every
expectation, gap and status at once; a new framework is used by new templates and
questionnaires only, while stored answers keep the framework version they answered.

Each process installs its database's active versions when it opens the store
(`apply_active`, called by `open_store`), so `current_framework()` and `current_roadmap()`
follow without being handed the store; a fresh database means the bundled ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from capacity import access
from capacity.access import Actor
from capacity.framework import Framework, FrameworkError, parse_framework, use_framework
from capacity.i18n import N_, Message
from capacity.roadmap import Roadmap, parse_roadmap, use_roadmap
from capacity.store import audit
from capacity.store.assessments import recompute_assessment
from capacity.store.db import Store
from capacity.store.errors import StoreError
from capacity.store.models import ActiveVersion, AddedVersion, Assessment, utcnow
from capacity.store.version_records import (
    FRAMEWORK,
    KINDS,
    ROADMAP,
    Document,
    active_choice,
    active_document,
    bundled,
    check_kind,
    find_document,
    hold_versions,
    read_document_yaml,
)

# Audit actions written by this module (the storage actions live in `capacity.store.audit`).
VERSION_ADDED = "version_added"
VERSION_ACTIVATED = "version_activated"

MAX_VERSION_BYTES = 1_000_000  # the bundled framework is about a tenth of this
MAX_ID_LENGTH, MAX_VERSION_LENGTH = 100, 40  # the columns' sizes
BUNDLED, ADDED = "bundled", "added"
COLUMNS = ("kind", "id", "version", "source", "added_by", "added_at", "active")

KIND_LABELS = {FRAMEWORK: N_("Framework"), ROADMAP: N_("Roadmap")}
MSG_TOO_BIG = N_("The file is {size} MB; a framework or roadmap file may be at most {limit} MB.")
MSG_NOT_TEXT = N_("The file is not UTF-8 text. Save the framework or roadmap file as UTF-8 YAML.")
MSG_UNKNOWN_KIND = N_(
    "The file is neither a framework (it would list dimensions) nor a roadmap (it would list milestones)."
)
MSG_NOT_YAML = N_("The file was not added; fix these problems:\n{problems}")
MSG_PROBLEMS = {
    FRAMEWORK: N_("The framework file was not added; fix these problems:\n{problems}"),
    ROADMAP: N_("The roadmap file was not added; fix these problems:\n{problems}"),
}
MSG_DUPLICATE = {
    FRAMEWORK: N_(
        "Framework version {version} already exists with different content. "
        "Give the changed file a new version number."
    ),
    ROADMAP: N_(
        "Roadmap version {version} already exists with different content. "
        "Give the changed file a new version number."
    ),
}
MSG_UNKNOWN_VERSION = {
    FRAMEWORK: N_("There is no framework version {version}. Add its file first."),
    ROADMAP: N_("There is no roadmap version {version}. Add its file first."),
}


class VersionError(StoreError):
    """A version could not be added or activated; the message is translatable."""


@dataclass(frozen=True)
class AddedDocument:
    """What `add_version` did: `added` is False when exactly this version was already there."""

    kind: str
    id: str
    version: str
    added: bool


@dataclass(frozen=True)
class Activation:
    """What `activate_version` did: the version now active, the one before, and results recomputed."""

    kind: str
    version: str
    previous: str
    recomputed: int


def _problems(message: str, error: FrameworkError) -> VersionError:
    listing = "\n".join(f"- {problem}" for problem in error.problems)
    return VersionError(Message(message, {"problems": listing}))


def kind_of(raw: Any) -> str | None:
    """Whether parsed YAML looks like a framework or a roadmap (None: neither)."""
    if isinstance(raw, dict) and "dimensions" in raw:
        return FRAMEWORK
    if isinstance(raw, dict) and "milestones" in raw:
        return ROADMAP
    return None


def _parse(kind: str | None, yaml_bytes: bytes) -> tuple[str, str, Document]:
    """The file's kind, text and validated document; raises VersionError saying what is wrong."""
    if len(yaml_bytes) > MAX_VERSION_BYTES:
        size = {"size": f"{len(yaml_bytes) / 1e6:.1f}", "limit": f"{MAX_VERSION_BYTES / 1e6:g}"}
        raise VersionError(Message(MSG_TOO_BIG, size))
    try:
        content = bytes(yaml_bytes).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise VersionError(Message(MSG_NOT_TEXT)) from exc
    try:
        raw = read_document_yaml(content, "<added version>")
    except FrameworkError as error:
        raise _problems(MSG_NOT_YAML, error) from error
    kind = kind or kind_of(raw)
    if kind is None:
        raise VersionError(Message(MSG_UNKNOWN_KIND))
    check_kind(kind)
    try:
        document = parse_framework(raw) if kind == FRAMEWORK else parse_roadmap(raw)
    except FrameworkError as error:
        raise _problems(MSG_PROBLEMS[kind], error) from error
    too_long = [
        f"'{key}' is longer than {limit} characters"
        for key, value, limit in (
            ("id", document.id, MAX_ID_LENGTH),
            ("version", document.version, MAX_VERSION_LENGTH),
        )
        if len(value) > limit
    ]
    if too_long:
        raise _problems(MSG_PROBLEMS[kind], FrameworkError("<added version>", too_long))
    return kind, content, document


def add_version(store: Store, actor: Actor, kind: str | None, yaml_bytes: bytes) -> AddedDocument:
    """Validate a framework or roadmap file and keep it as a version that can be activated.

    `kind` None tells it from the file. The file is read as safe YAML (no aliases, at
    most MAX_VERSION_BYTES) and validated like the bundled one; the roadmap's validation
    already demands a target for the index and each of the six dimensions every framework
    has. Adding the same version again with the same content changes nothing; with other
    content it is refused, because stored results name versions and must keep meaning
    what they meant.
    """
    access.require(actor, access.ACTIVATE_VERSIONS)
    kind, content, document = _parse(kind, yaml_bytes)
    with store.write() as session:
        existing = find_document(session, kind, document.version)
        if existing is not None:
            if existing != document:
                raise VersionError(Message(MSG_DUPLICATE[kind], {"version": document.version}))
            return AddedDocument(kind, document.id, document.version, added=False)
        session.add(
            AddedVersion(
                kind=kind,
                document_id=document.id,
                version=document.version,
                content=content,
                added_by=actor.username,
                added_at=utcnow(),
            )
        )
        audit.record(session, actor, VERSION_ADDED, None, kind=kind, id=document.id, version=document.version)
    return AddedDocument(kind, document.id, document.version, added=True)


def available_versions(store: Store, actor: Actor) -> pd.DataFrame:
    """Every version of both kinds, bundled first then added oldest first, with the active one marked.

    Listing is harmless, so every role that sees a dashboard may; only admins add and activate.
    """
    access.require(actor, access.VIEW_DASHBOARD)
    rows: list[dict[str, Any]] = []
    with store.read() as session:
        for kind in KINDS:
            choice = active_choice(session, kind)
            active = choice.version if choice is not None else bundled(kind).version
            shipped = bundled(kind)
            rows.append(
                {
                    "kind": kind,
                    "id": shipped.id,
                    "version": shipped.version,
                    "source": BUNDLED,
                    "added_by": None,
                    "added_at": None,
                    "active": shipped.version == active,
                }
            )
            added = session.scalars(
                select(AddedVersion).where(AddedVersion.kind == kind).order_by(AddedVersion.id)
            )
            rows += [
                {
                    "kind": kind,
                    "id": record.document_id,
                    "version": record.version,
                    "source": ADDED,
                    "added_by": record.added_by,
                    "added_at": record.added_at,
                    "active": record.version == active,
                }
                for record in added
            ]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def activate_version(
    store: Store,
    actor: Actor,
    kind: str,
    version: str,
    progress: Callable[[int, int], None] | None = None,
) -> Activation:
    """Make `version` the active one of `kind` and recompute every stored assessment, in one transaction.

    Every result is rescored with the active roadmap and the framework version its
    questionnaires answered, so a roadmap change moves every gap and status, and a
    framework change leaves stored answers scored as they were answered. `progress(done,
    total)` is told after each assessment. Once committed, this process uses the new
    versions; other processes pick them up when they next open the store or (the app)
    when the data version changes.
    """
    access.require(actor, access.ACTIVATE_VERSIONS)
    check_kind(kind)
    with store.write() as session:
        hold_versions(session, exclusive=True)
        document = find_document(session, kind, version)
        if document is None:
            raise VersionError(Message(MSG_UNKNOWN_VERSION[kind], {"version": version}))
        previous = active_document(session, kind).version
        choice = active_choice(session, kind) or ActiveVersion(kind=kind)
        choice.version, choice.activated_by, choice.activated_at = version, actor.username, utcnow()
        session.add(choice)
        session.flush()
        audit.record(
            session,
            actor,
            VERSION_ACTIVATED,
            None,
            kind=kind,
            id=document.id,
            version=version,
            previous=previous,
        )
        assessments = session.scalars(select(Assessment).order_by(Assessment.id)).all()
        recomputed = 0
        for done, assessment in enumerate(assessments, start=1):
            if recompute_assessment(session, assessment) is not None:
                recomputed += 1
            if progress is not None:
                progress(done, len(assessments))
        audit.record(
            session, actor, audit.RESULTS_RECOMPUTED, None, count=recomputed, kind=kind, version=version
        )
        installed = _active_pair(session)
    _install(*installed)
    return Activation(kind=kind, version=version, previous=previous, recomputed=recomputed)


def _active_pair(session: Session) -> tuple[Framework, Roadmap]:
    framework, roadmap = active_document(session, FRAMEWORK), active_document(session, ROADMAP)
    assert isinstance(framework, Framework) and isinstance(roadmap, Roadmap)
    return framework, roadmap


def _install(framework: Framework, roadmap: Roadmap) -> None:
    use_framework(framework)
    use_roadmap(roadmap)


def apply_active(store: Store) -> dict[str, str]:
    """Install the store's active versions in this process (the bundled ones for a fresh database).

    Returns kind → version installed.
    """
    with store.read() as session:
        framework, roadmap = _active_pair(session)
    _install(framework, roadmap)
    return {FRAMEWORK: framework.version, ROADMAP: roadmap.version}


def framework_version(target: Store | Session, version: str) -> Framework:
    """The framework of version `version`, bundled or added (raises VersionError when unknown)."""
    if isinstance(target, Store):
        with target.read() as session:
            return framework_version(session, version)
    found = find_document(target, FRAMEWORK, version)
    if not isinstance(found, Framework):
        raise VersionError(Message(MSG_UNKNOWN_VERSION[FRAMEWORK], {"version": version}))
    return found
