"""/healthz, /readyz, /metrics and /api/openapi.json."""

import re

from helpers import describe
from tickler_server import REPO_ROOT

ROUTE_ROW = re.compile(r"^\|\s*`(GET|POST|PUT|PATCH|DELETE)\s+(/[^`\s]*)`\s*\|")


def documented_routes() -> list[tuple[str, str]]:
    """(method, path) of every row of the route table in docs/api.md."""
    text = (REPO_ROOT / "docs" / "api.md").read_text()
    return [(m.group(1), m.group(2)) for line in text.splitlines() if (m := ROUTE_ROW.match(line))]


def test_healthz(anon):
    resp = anon.get("/healthz")
    assert resp.status_code == 200, describe(resp)
    assert resp.json() == {"status": "ok"}


def test_readyz(anon):
    resp = anon.get("/readyz")
    assert resp.status_code == 200, describe(resp)
    assert resp.json() == {"status": "ready"}


def _samples(text: str, name: str) -> list[tuple[str, float]]:
    """(labels, value) of every sample of metric `name` in Prometheus text format."""
    out = []
    for line in text.splitlines():
        m = re.match(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)", line)
        if m and m.group(1) == name:
            out.append((m.group(2) or "", float(m.group(3))))
    return out


def test_metrics(anon, api):
    api.get("/api/tasks")
    api.get("/api/does-not-exist")
    first = anon.get("/metrics")
    assert first.status_code == 200, describe(first)
    assert first.headers.get("Content-Type", "").startswith("text/plain"), describe(first)
    text = first.text

    lines = text.splitlines()
    assert any("tickler_http_requests_total" in line and not line.startswith("#") for line in lines)
    assert any("tickler_http_request_duration_seconds_bucket" in line for line in lines)
    assert any("tickler_process_resident_memory_bytes" in line for line in lines)
    assert any("tickler_db_pool" in line for line in lines)

    requests_total = _samples(text, "tickler_http_requests_total")
    assert requests_total, "no tickler_http_requests_total samples"
    assert any("200" in labels for labels, _ in requests_total), requests_total
    assert any("404" in labels for labels, _ in requests_total), requests_total
    assert any("/api/tasks" in labels for labels, _ in requests_total), requests_total

    buckets = _samples(text, "tickler_http_request_duration_seconds_bucket")
    assert any('le="+Inf"' in labels for labels, _ in buckets), buckets[:5]

    rss = _samples(text, "tickler_process_resident_memory_bytes")
    assert rss and rss[0][1] > 1024 * 1024, rss

    # Counters move: five more requests add at least five.
    for _ in range(5):
        assert anon.get("/healthz").status_code == 200
    later = anon.get("/metrics").text
    before = sum(v for _, v in requests_total)
    after = sum(v for _, v in _samples(later, "tickler_http_requests_total"))
    assert after >= before + 5, (before, after)


def test_metrics_show_the_wal_and_the_events_retention(anon, api):
    assert api.post("/api/tasks", json={"title": "a write for the WAL"}).status_code == 201
    text = anon.get("/metrics").text
    wal = _samples(text, "tickler_db_wal_bytes")
    assert wal and wal[0][1] > 0, wal
    for name in ("tickler_db_wal_resets_total", "tickler_db_wal_reset_busy_total",
                 "tickler_db_wal_reset_hold_seconds_max"):
        assert _samples(text, name), name
    pruned = dict(_samples(text, "tickler_events_pruned_total"))
    assert set(pruned) == {'{table="outbox"}', '{table="processed_events"}'}, pruned


def test_metrics_route_label_is_a_template_not_an_id(anon, api):
    created = api.post("/api/tasks", json={"title": "metric cardinality"})
    task_id = created.json()["id"]
    api.get(f"/api/tasks/{task_id}")
    text = anon.get("/metrics").text
    labels = [lab for lab, _ in _samples(text, "tickler_http_requests_total")]
    assert not any(f"/api/tasks/{task_id}\"" in lab for lab in labels), \
        "route label must be the route template ({id}), not the raw path"


def test_documented_route_table_is_parsed():
    routes = documented_routes()
    assert len(routes) >= 15, routes
    assert ("PATCH", "/api/tasks/{id}") in routes


def test_openapi_lists_every_documented_route(anon):
    resp = anon.get("/api/openapi.json")
    assert resp.status_code == 200, describe(resp)
    assert resp.headers.get("Content-Type", "").startswith("application/json"), describe(resp)
    doc = resp.json()
    assert isinstance(doc, dict)
    assert isinstance(doc.get("openapi"), str) and doc["openapi"].startswith("3.1"), doc.get("openapi")
    assert isinstance(doc.get("info"), dict) and doc["info"].get("title") and doc["info"].get("version")
    paths = doc.get("paths")
    assert isinstance(paths, dict), "no paths object"
    missing = [f"{method} {path}" for method, path in documented_routes()
               if method.lower() not in (paths.get(path) or {})]
    assert not missing, f"routes of docs/api.md missing from the OpenAPI document: {missing}"
