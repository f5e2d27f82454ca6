"""The JSON API in process (Starlette's TestClient): tokens, roles, errors, rate limit, OpenAPI.

`tests/test_api_server.py` runs the same routes behind a real `streamlit run` on SQLite
and PostgreSQL; these are the fast, detailed checks.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.testclient import TestClient

from capacity import api_tokens
from capacity.access import ADMIN, BOARD, CLI_ADMIN, EVALUATOR, MANAGER, Actor
from capacity.accounts import AccountError, set_disabled, set_role
from capacity.api import routes
from capacity.api.ratelimit import RateLimiter
from capacity.store import open_store
from capacity.store.corrections import record_review
from capacity.store.models import ApiToken, AuditEntry
from tests.api_support import MANAGED, ORGANISATIONS, YEARS, fill

ROLES = (MANAGER, BOARD, EVALUATOR, ADMIN)


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory):
    directory = tmp_path_factory.mktemp("api")
    store = open_store(f"sqlite:///{directory / 'capacity.db'}")
    filled = fill(store, directory / "files")
    yield store, filled
    store.close()


@pytest.fixture
def client(portfolio):
    store, _ = portfolio
    app = Starlette(routes=routes(store=lambda: store, limiter=RateLimiter(10_000)))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def get(client, path: str, token: str | None = None, **params):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(f"/api/v1{path}", headers=headers, params=params)


def error_of(response) -> dict:
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()["error"]
    assert body["status"] == response.status_code and body["message"]
    assert "Traceback" not in response.text
    return body


def test_health_needs_no_token_and_names_the_active_versions(client):
    response = get(client, "/health")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "reachable",
        "versions": {"framework": "1.0.0", "roadmap": "1.0.0"},
    }


@pytest.mark.parametrize(
    "path", ["/organisations", "/assessments", "/trends", "/framework", "/roadmap", "/dataset.csv"]
)
def test_every_data_route_refuses_a_missing_or_unknown_token(client, path):
    missing = get(client, path)
    assert missing.status_code == 401 and missing.headers["www-authenticate"].startswith("Bearer")
    error_of(missing)
    assert get(client, path, "hdc_not-a-token").status_code == 401
    basic = client.get(f"/api/v1{path}", headers={"Authorization": "Basic YWRtaW46YWRtaW4="})
    assert basic.status_code == 401


def test_organisations_follow_the_role(client, portfolio):
    _, filled = portfolio
    for role in (BOARD, EVALUATOR, ADMIN):
        body = get(client, "/organisations", filled.tokens[role]).json()["organisations"]
        assert [row["organisation_id"] for row in body] == sorted(ORGANISATIONS)
        assert all(row["rounds"] == list(YEARS) for row in body)
        assert {"organisation_name", "organisation_type", "country", "region"} <= set(body[0])
    mine = get(client, "/organisations", filled.tokens[MANAGER]).json()["organisations"]
    assert [row["organisation_id"] for row in mine] == [MANAGED]


def test_a_manager_cannot_read_another_organisation(client, portfolio):
    _, filled = portfolio
    token = filled.tokens[MANAGER]
    for path in ("/assessments", "/trends"):
        refused = get(client, path, token, organisation="NS-B")
        assert refused.status_code == 403
        assert "NS-B" in error_of(refused)["message"]
        # an unknown organisation is refused the same way: a manager learns nothing about others
        assert get(client, path, token, organisation="NOPE").status_code == 403
    everything = get(client, "/assessments", token).json()["assessments"]
    assert {a["organisation_id"] for a in everything} == {MANAGED}
    trends = get(client, "/trends", token).json()["trends"]
    assert trends and {t["organisation_id"] for t in trends} == {MANAGED}
    assert get(client, "/dataset.csv", token, scores_only=1).status_code == 403


def test_unknown_organisation_is_404_for_those_who_see_all(client, portfolio):
    _, filled = portfolio
    response = get(client, "/assessments", filled.tokens[BOARD], organisation="NOPE")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_assessments_filter_by_year_and_organisation(client, portfolio):
    _, filled = portfolio
    body = get(client, "/assessments", filled.tokens[BOARD], year=2025, organisation="NS-B").json()
    (one,) = body["assessments"]
    assert (one["organisation_id"], one["year"], one["respondents"]) == ("NS-B", 2025, 3)
    assert len(one["indicators"]) == 36 and len(one["dimensions"]) == 6
    assert one["framework_version"] == "1.0.0" and one["roadmap_version"] == "1.0.0"
    assert one["review"] == {"reviewed_indicators": 0, "last_reviewed_at": None}
    assert len(get(client, "/assessments", filled.tokens[BOARD], year=2021).json()["assessments"]) == 3


def test_review_state_shows_active_reviews(portfolio, client):
    store, filled = portfolio
    reviewer = Actor("api-evaluator", EVALUATOR)
    record_review(store, "NGO-C", 2021, "IC.1", 4, "Seen the report", reviewer)
    record_review(store, "NGO-C", 2021, "IC.1", 3, "Second look", reviewer)  # supersedes the first
    record_review(store, "NGO-C", 2021, "IL.1", 2, "Checked", reviewer)
    (one,) = get(client, "/assessments", filled.tokens[ADMIN], year=2021, organisation="NGO-C").json()[
        "assessments"
    ]
    assert one["review"]["reviewed_indicators"] == 2
    last = dt.datetime.fromisoformat(one["review"]["last_reviewed_at"])
    assert last.tzinfo is not None and abs(dt.datetime.now(dt.UTC) - last) < dt.timedelta(minutes=5)


@pytest.mark.parametrize("role", ROLES)
def test_framework_and_roadmap_are_the_active_versions(client, portfolio, role):
    _, filled = portfolio
    framework = get(client, "/framework", filled.tokens[role]).json()
    assert framework["version"] == "1.0.0" and len(framework["dimensions"]) == 6
    assert framework["dimensions"][0]["name"]["tr"]
    roadmap = get(client, "/roadmap", filled.tokens[role]).json()
    assert [m["year"] for m in roadmap["milestones"]] == [2015, 2023, 2053]


def test_dataset_csv_scores_only_reads_with_pandas(client, portfolio):
    _, filled = portfolio
    response = get(client, "/dataset.csv", filled.tokens[BOARD], scores_only=1)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    frame = pd.read_csv(io.BytesIO(response.content))
    assert frame.columns[0] == "organisation_id" and len(frame) == len(ORGANISATIONS) * len(YEARS)
    # a board member takes the scores, never the answers; an evaluator takes both
    assert get(client, "/dataset.csv", filled.tokens[BOARD], scores_only=0).status_code == 403
    answers = get(client, "/dataset.csv", filled.tokens[EVALUATOR], scores_only=0)
    assert answers.status_code == 200 and b"evidence" in answers.content.splitlines()[0]


def test_bad_requests_are_json_400s(client, portfolio):
    _, filled = portfolio
    token = filled.tokens[ADMIN]
    for params in (
        {"year": "twenty"},
        {"colour": "red"},
        {"year": "2025.5"},
        {"year": "²"},
        {"year": "9" * 12},
    ):
        response = get(client, "/assessments", token, **params)
        assert response.status_code == 400, params
        error_of(response)
    assert get(client, "/dataset.csv", token, scores_only="maybe").status_code == 400
    assert (
        client.post("/api/v1/organisations", headers={"Authorization": f"Bearer {token}"}).status_code == 405
    )
    missing = get(client, "/nothing-here", token)
    assert missing.status_code == 404 and error_of(missing)["code"] == "not_found"


def test_errors_speak_the_clients_language(client):
    response = client.get("/api/v1/organisations", headers={"Accept-Language": "tr-TR,tr;q=0.9"})
    english = client.get("/api/v1/organisations").json()["error"]["message"]
    assert response.status_code == 401 and response.json()["error"]["message"] != english


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.dictionaries(st.text(min_size=1, max_size=12), st.text(max_size=30), max_size=3))
def test_no_query_string_ever_gives_a_server_error(client, portfolio, query):
    _, filled = portfolio
    for path in ("/assessments", "/trends", "/dataset.csv"):
        response = get(client, path, filled.tokens[ADMIN], **query)
        assert response.status_code in {200, 400, 403, 404}, (path, query, response.text)
        if response.status_code != 200:
            error_of(response)


def test_revoked_expired_and_disabled_tokens_stop_working(client, portfolio):
    store, _ = portfolio
    from capacity.accounts import add_user

    add_user(store, CLI_ADMIN, "api-short", BOARD)
    owner = Actor("api-short", BOARD)
    revoked = api_tokens.create_token(store, owner, name="to revoke")
    expiring = api_tokens.create_token(store, owner, expires_days=1)
    assert get(client, "/organisations", revoked.secret).status_code == 200
    api_tokens.revoke_token(store, owner, revoked.info.id)
    assert get(client, "/organisations", revoked.secret).status_code == 401
    with store.write() as session:
        session.get(ApiToken, expiring.info.id).expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    assert get(client, "/organisations", expiring.secret).status_code == 401
    fresh = api_tokens.create_token(store, owner)
    set_disabled(store, CLI_ADMIN, "api-short")
    assert get(client, "/organisations", fresh.secret).status_code == 401
    set_disabled(store, CLI_ADMIN, "api-short", disabled=False)
    assert get(client, "/organisations", fresh.secret).status_code == 200


def test_a_token_follows_its_owners_current_role(client, portfolio):
    store, _ = portfolio
    from capacity.accounts import add_user

    add_user(store, CLI_ADMIN, "api-mover", BOARD)
    token = api_tokens.create_token(store, Actor("api-mover", BOARD)).secret
    assert len(get(client, "/organisations", token).json()["organisations"]) == len(ORGANISATIONS)
    set_role(store, CLI_ADMIN, "api-mover", MANAGER, ["NGO-C"])
    assert [o["organisation_id"] for o in get(client, "/organisations", token).json()["organisations"]] == [
        "NGO-C"
    ]


def test_tokens_are_kept_only_as_sha256_and_managed_by_their_owner(portfolio):
    store, _ = portfolio
    owner = Actor("api-board", BOARD)
    made = api_tokens.create_token(store, owner, name="Power BI", expires_days=30)
    assert made.secret.startswith(api_tokens.TOKEN_PREFIX) and len(made.secret) > 40
    with store.read() as session:
        row = session.get(ApiToken, made.info.id)
        assert row.token_hash == api_tokens.token_hash(made.secret) and made.secret not in row.token_hash
    assert made.info.id in [info.id for info in api_tokens.list_tokens(store, owner)]
    someone_else = Actor("api-evaluator", EVALUATOR)
    with pytest.raises(AccountError):
        api_tokens.revoke_token(store, someone_else, made.info.id)
    with pytest.raises(PermissionError):
        api_tokens.create_token(store, someone_else, "api-board")
    with pytest.raises(PermissionError):
        api_tokens.list_tokens(store, someone_else, "api-board")
    with pytest.raises(AccountError):
        api_tokens.create_token(store, owner, expires_days=0)
    assert api_tokens.revoke_token(store, owner, made.info.id).revoked_at is not None


def test_every_read_is_audited_with_its_token(client, portfolio):
    store, filled = portfolio
    before = _audit_ids(store)
    get(client, "/assessments", filled.tokens[MANAGER], organisation=MANAGED, year=2025)
    get(client, "/trends", filled.tokens[MANAGER], organisation="NS-B")  # refused, and audited as such
    with store.read() as session:
        entries = session.query(AuditEntry).where(AuditEntry.id > before).order_by(AuditEntry.id).all()
    reads = [e for e in entries if e.action == api_tokens.API_READ]
    assert [(e.actor, e.organisation_id, e.detail["status"]) for e in reads] == [
        ("api-manager", MANAGED, 200),
        ("api-manager", "NS-B", 403),
    ]
    assert reads[0].detail["path"] == "/api/v1/assessments" and reads[0].detail["query"]["year"] == 2025


def _audit_ids(store) -> int:
    with store.read() as session:
        return max(e.id for e in session.query(AuditEntry).all())


def test_rate_limit_per_token(portfolio):
    store, filled = portfolio
    app = Starlette(routes=routes(store=lambda: store, limiter=RateLimiter(3)))
    with TestClient(app) as limited:
        codes = [get(limited, "/roadmap", filled.tokens[BOARD]).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        refused = get(limited, "/roadmap", filled.tokens[BOARD])
        assert int(refused.headers["retry-after"]) >= 1 and error_of(refused)["code"] == "too_many_requests"
        assert get(limited, "/roadmap", filled.tokens[EVALUATOR]).status_code == 200  # another token


def test_rate_limiter_window_slides():
    now = [0.0]
    limiter = RateLimiter(2, window=10, clock=lambda: now[0])
    assert limiter.hit(1) is None and limiter.hit(1) is None
    assert limiter.hit(1) == 10
    now[0] = 9.5
    assert limiter.hit(1) == 1
    now[0] = 10.0
    assert limiter.hit(1) is None


def test_openapi_describes_every_route_the_app_serves(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"] == "3.1.0"
    served = {route.path for route in routes() if "{" not in route.path}
    assert set(document["paths"]) == served
    assessments = document["paths"]["/api/v1/assessments"]["get"]
    assert {p["name"] for p in assessments["parameters"]} == {"year", "organisation"}
    assert document["paths"]["/api/v1/health"]["get"]["security"] == []
    assert json.dumps(document)  # plain JSON throughout


def test_streamlit_metrics_answer_only_this_machine():
    from starlette.middleware import Middleware
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    from capacity.api.metrics_guard import LocalMetricsOnly

    def metrics(request):
        return PlainTextResponse("streamlit_sessions 3")

    app = Starlette(
        routes=[Route("/_stcore/metrics", metrics), Route("/other", metrics)],
        middleware=[Middleware(LocalMetricsOnly)],
    )
    with TestClient(app, client=("127.0.0.1", 50000)) as local:
        assert local.get("/_stcore/metrics").status_code == 200
        assert local.get("/_stcore/metrics", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 404
    with TestClient(app, client=("203.0.113.9", 50000)) as remote:
        assert remote.get("/_stcore/metrics").status_code == 404
        assert remote.get("/_stcore/metrics/").status_code == 404
        assert remote.get("/other").status_code == 200


def test_an_unreachable_database_is_a_503_for_health_and_data():
    from sqlalchemy import create_engine

    from capacity.store.db import Store

    engine = create_engine(
        "postgresql+psycopg://nobody@127.0.0.1:9/none", connect_args={"connect_timeout": 2}
    )
    down = Store(url="postgresql+psycopg://nobody@127.0.0.1:9/none", engine=engine)
    app = Starlette(routes=routes(store=lambda: down, limiter=RateLimiter(10)))
    with TestClient(app) as unreachable:
        health = get(unreachable, "/health")
        assert health.status_code == 503 and error_of(health)["code"] == "unavailable"
        assert get(unreachable, "/organisations", "hdc_anything").status_code == 503
    engine.dispose()
