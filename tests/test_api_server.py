"""The JSON API behind a real `streamlit run app.py`, on SQLite and PostgreSQL.

One server per backend serves the pages and /api/v1 on one port, as `make run` does.
Tokens are made with the `token` command; every route is asked by every role; revoked
and expired tokens stop working; a manager cannot read another organisation; and the
assessments equal what `python -m capacity score --json` prints for the same files.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request

import pandas as pd
import pytest

from capacity.store import open_store
from capacity.store.models import ApiToken
from tests.api_support import MANAGED, ORGANISATIONS, fill
from tests.browser import running_app
from tests.cli_support import run
from tests.store_support import BACKENDS, fresh_database

pytestmark = pytest.mark.xdist_group("browser")

RATE_LIMIT = 30  # per token and minute on the test server, so one test can reach it
API_EXTRAS = {"framework_version", "roadmap_version", "computed_at", "review"}


@pytest.fixture(scope="module", params=BACKENDS)
def server(request, tmp_path_factory):
    """A running app on a filled database of the backend: (base URL, database URL, tokens, files)."""
    directory = tmp_path_factory.mktemp(f"api-{request.param}")
    with fresh_database(request.param, directory) as url:
        store = open_store(url)
        filled = fill(store, directory / "files")
        store.close()
        env = {"CAPACITY_DATABASE_URL": url, "CAPACITY_API_RATE_LIMIT": str(RATE_LIMIT)}
        with running_app(env) as base_url:
            yield base_url, url, filled


def call(base_url: str, path: str, token: str | None = None, headers: dict | None = None):
    """(status, headers, body bytes) of a GET."""
    request = urllib.request.Request(base_url + path, headers=dict(headers or {}))
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.headers, refused.read()


def call_json(base_url: str, path: str, token: str | None = None):
    status, headers, body = call(base_url, path, token)
    assert headers["content-type"].startswith("application/json"), (path, body[:200])
    return status, json.loads(body)


ROUTES = (
    "/api/v1/organisations",
    "/api/v1/assessments",
    "/api/v1/assessments?year=2025&organisation=NS-B",
    "/api/v1/trends",
    "/api/v1/trends?organisation=NS-B",
    "/api/v1/framework",
    "/api/v1/roadmap",
    "/api/v1/dataset.csv?scores_only=1",
)
# What each role gets: the pages' rules (a manager sees NS-A only, no dataset; boards no answers).
EXPECTED = {
    "manager": {route: 200 for route in ROUTES}
    | {
        "/api/v1/assessments?year=2025&organisation=NS-B": 403,
        "/api/v1/trends?organisation=NS-B": 403,
        "/api/v1/dataset.csv?scores_only=1": 403,
    },
    "board": {route: 200 for route in ROUTES},
    "evaluator": {route: 200 for route in ROUTES},
    "admin": {route: 200 for route in ROUTES},
}


def test_health_and_openapi_need_no_token(server):
    base_url, _, _ = server
    status, body = call_json(base_url, "/api/v1/health")
    assert status == 200 and body["database"] == "reachable" and body["versions"]["framework"] == "1.0.0"
    status, document = call_json(base_url, "/api/v1/openapi.json")
    assert status == 200 and document["openapi"] == "3.1.0" and "/api/v1/assessments" in document["paths"]
    page_status, _, page = call(base_url, "/")
    assert page_status == 200 and b"<html" in page.lower()  # the pages on the same port


def test_every_route_refuses_without_a_token(server):
    base_url, _, _ = server
    for route in ROUTES:
        status, body = call_json(base_url, route)
        assert status == 401 and body["error"]["code"] == "unauthorized", route


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_every_route_for_every_role(server, role):
    base_url, _, filled = server
    token = filled.tokens[role]
    for route, expected in EXPECTED[role].items():
        status, _headers, body = call(base_url, route, token)
        assert status == expected, (role, route, body[:300])
        if status != 200:
            assert json.loads(body)["error"]["status"] == status
    status, body = call_json(base_url, "/api/v1/organisations", token)
    seen = [row["organisation_id"] for row in body["organisations"]]
    assert seen == ([MANAGED] if role == "manager" else sorted(ORGANISATIONS))


def test_assessments_match_score_json_for_the_same_files(server, capsys):
    base_url, _, filled = server
    code, out, err = run(capsys, "score", "--json", *map(str, filled.files))
    assert code == 0, err
    expected = json.loads(out)
    status, body = call_json(base_url, "/api/v1/assessments", filled.tokens["evaluator"])
    assert status == 200
    served = body["assessments"]
    assert set(served[0]) == set(expected["assessments"][0]) | API_EXTRAS
    assert [{k: v for k, v in a.items() if k not in API_EXTRAS} for a in served] == expected["assessments"]
    status, trends = call_json(base_url, "/api/v1/trends", filled.tokens["evaluator"])
    assert trends["trends"] == expected["trends"]


def test_dataset_reads_with_pandas_and_the_token_header(server):
    base_url, _, filled = server
    frame = pd.read_csv(
        f"{base_url}/api/v1/dataset.csv?scores_only=1",
        storage_options={"Authorization": f"Bearer {filled.tokens['board']}"},
    )
    assert frame.columns[0] == "organisation_id"
    assert sorted(frame["organisation_id"].unique()) == sorted(ORGANISATIONS)


def test_cli_tokens_revoke_and_expiry(server, capsys):
    base_url, url, _ = server
    code, out, err = run(capsys, "token", "create", "api-board", "--expires", "1", "--database", url)
    assert code == 0, err
    token = next(line for line in out.splitlines() if line.startswith("hdc_"))
    token_id = int(out.split()[2])
    assert call(base_url, "/api/v1/roadmap", token)[0] == 200
    code, out, _ = run(capsys, "token", "list", "--json", "--database", url)
    listed = {row["id"]: row for row in json.loads(out)}
    assert listed[token_id]["username"] == "api-board" and token not in out

    store = open_store(url)
    try:
        with store.write() as session:
            session.get(ApiToken, token_id).expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    finally:
        store.close()
    assert call(base_url, "/api/v1/roadmap", token)[0] == 401

    code, out, err = run(capsys, "token", "create", "api-evaluator", "--database", url)
    assert code == 0, err
    second = next(line for line in out.splitlines() if line.startswith("hdc_"))
    assert call(base_url, "/api/v1/roadmap", second)[0] == 200
    code, _, err = run(capsys, "token", "revoke", out.split()[2], "--database", url)
    assert code == 0, err
    assert call(base_url, "/api/v1/roadmap", second)[0] == 401


def test_rate_limit_and_metrics(server, capsys):
    base_url, url, _ = server
    code, out, err = run(capsys, "token", "create", "api-admin", "--database", url)
    assert code == 0, err
    token = next(line for line in out.splitlines() if line.startswith("hdc_"))
    statuses = [call(base_url, "/api/v1/roadmap", token)[0] for _ in range(RATE_LIMIT + 1)]
    assert statuses[:RATE_LIMIT] == [200] * RATE_LIMIT and statuses[RATE_LIMIT] == 429
    status, headers, _ = call(base_url, "/api/v1/roadmap", token)
    assert status == 429 and int(headers["Retry-After"]) >= 1
    # the metrics answer this machine only, never a request that came through a proxy
    assert call(base_url, "/_stcore/metrics")[0] == 200
    assert call(base_url, "/_stcore/metrics", headers={"X-Forwarded-For": "203.0.113.9"})[0] == 404
