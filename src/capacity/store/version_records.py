"""Framework and roadmap versions as the store keeps them: found by version, the active one per transaction.

Scoring takes the active roadmap and the framework a questionnaire answered from the
database, inside the write transaction that stores the result, not from process memory:
several app instances may share one PostgreSQL database, and an activation made in one of
them must decide every result stored afterwards, wherever it is computed. On PostgreSQL
an activation holds an exclusive advisory lock while every recompute holds a shared one,
so no result is computed with a roadmap that is being replaced (SQLite's single writer
already serialises them). The admin-facing actions live in `capacity.versions`.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

import yaml
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from capacity.framework import (
    Framework,
    FrameworkError,
    bundled_framework,
    current_framework,
    parse_framework,
)
from capacity.roadmap import Roadmap, bundled_roadmap, parse_roadmap
from capacity.store.models import ActiveVersion, AddedVersion

FRAMEWORK, ROADMAP = "framework", "roadmap"
KINDS = (FRAMEWORK, ROADMAP)
Document = Framework | Roadmap
# Any constant works; it only has to be the same in every process of the deployment.
VERSIONS_LOCK_KEY = 0x5665_7273_696F_6E73 >> 1  # "Versions", shifted into a signed bigint
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser when PyYAML has it

log = logging.getLogger(__name__)


def check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {KINDS}")


def bundled(kind: str) -> Document:
    """The version shipped with the code."""
    check_kind(kind)
    return bundled_framework() if kind == FRAMEWORK else bundled_roadmap()


def read_document_yaml(content: str, where: str) -> Any:
    """Safe YAML without aliases: a data file needs none, and aliases can blow a small file up."""
    try:
        if any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(content, Loader=_YAML_LOADER)):
            raise FrameworkError(where, ["YAML aliases (*name) are not allowed; write every value out"])
        return yaml.load(content, Loader=_YAML_LOADER)  # a safe loader: plain data only
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        at = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        raise FrameworkError(where, [f"not valid YAML: {exc.problem}{at}"]) from exc
    except yaml.YAMLError as exc:
        raise FrameworkError(where, [f"not valid YAML: {exc}"]) from exc
    except RecursionError as exc:
        raise FrameworkError(where, ["the YAML is nested too deeply"]) from exc


def parse_document(kind: str, content: str, where: str = "<added version>", stored: bool = False) -> Document:
    """Read and validate a framework or roadmap file's text (raises FrameworkError listing every problem).

    `stored`: a version this database accepted earlier; a language added to the app since
    then shows the English text (see `framework.ProblemCollector`).
    """
    check_kind(kind)
    raw = read_document_yaml(content, where)
    if kind == FRAMEWORK:
        return parse_framework(raw, where, stored=stored)
    return parse_roadmap(raw, where, stored=stored)


@lru_cache(maxsize=32)
def _parsed(kind: str, content: str) -> Document:
    """Stored texts never change, so each is parsed once per process (keyed by the text itself)."""
    return parse_document(kind, content, stored=True)


def added_record(session: Session, kind: str, version: str) -> AddedVersion | None:
    return session.scalars(
        select(AddedVersion).where(AddedVersion.kind == kind, AddedVersion.version == version)
    ).one_or_none()


def find_document(session: Session, kind: str, version: str) -> Document | None:
    """The version `version` of `kind`: the bundled one or one added to this database (None: unknown).

    Never the one this process has installed: a process may have opened another database.
    """
    if bundled(kind).version == version:
        return bundled(kind)
    record = added_record(session, kind, version)
    return _parsed(kind, record.content) if record is not None else None


def active_choice(session: Session, kind: str) -> ActiveVersion | None:
    """The admin's choice for `kind` (None: never chosen, the bundled version is active)."""
    return session.get(ActiveVersion, kind)


def active_document(session: Session, kind: str) -> Document:
    """The active version of `kind` in this database.

    A chosen version that cannot be found (a release whose bundled file changed version
    while the database still names the old one) falls back to the bundled version with a
    warning rather than refusing to open the store: adding that version's file again
    (`python -m capacity versions add FILE`) then brings it back.
    """
    choice = active_choice(session, kind)
    if choice is None:
        return bundled(kind)
    found = find_document(session, kind, choice.version)
    if found is None:
        log.warning("the active %s version %s is unknown; using the bundled one", kind, choice.version)
        return bundled(kind)
    return found


def active_roadmap(session: Session) -> Roadmap:
    """The roadmap every result stored in this transaction is measured against."""
    found = active_document(session, ROADMAP)
    assert isinstance(found, Roadmap)
    return found


def framework_for(session: Session, framework_id: str, version: str) -> Framework:
    """The framework a questionnaire answered, found by version among the bundled and added ones.

    An unknown one gives the current framework, so the engine refuses the mix with its
    own message, as it always has.
    """
    found = find_document(session, FRAMEWORK, version)
    if isinstance(found, Framework) and found.id == framework_id:
        return found
    return current_framework()


def hold_versions(session: Session, exclusive: bool) -> None:
    """Serialise recomputes (shared) against an activation (exclusive) until the transaction ends."""
    if session.get_bind().dialect.name == "postgresql":
        function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
        session.execute(text(f"SELECT {function}(:key)"), {"key": VERSIONS_LOCK_KEY})
