"""Nasty inputs never give a 5xx (nor kill the server): each answers 4xx with the error envelope, or
a success where the input is in fact valid, and the server is healthy afterwards."""

import pytest
import requests

from helpers import assert_4xx_envelope, assert_error, assert_task_response, describe

JSON = {"Content-Type": "application/json"}

NASTY_BODIES = {
    "deep-array-in-field": b'{"title": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    "deep-object": b'{"a":' * 3000 + b"1" + b"}" * 3000,
    "deep-top-level-array": b"[" * 30000 + b"]" * 30000,
    "huge-integer-title": b'{"title": 1' + b"0" * 5000 + b"}",
    "huge-exponent": b'{"title": "x", "priority": 1e999999}',
    "huge-negative-exponent-date": b'{"title": "x", "due_at": -1e-999999}',
    "huge-integer-in-tags": b'{"title": "x", "tags": [123456789012345678901234567890]}',
    "raw-nul-in-string": b'{"title": "a\x00b"}',
    "raw-nul-outside-string": b'{"title": "x"}\x00',
    "invalid-utf8": b'{"title": "\xff\xfe\xfd"}',
    "overlong-utf8": b'{"title": "\xc0\xaf"}',
    "truncated-utf8": b'{"title": "\xe2\x82"}',
    "lone-surrogate-escape": b'{"title": "\\ud800"}',
    "empty-body": b"",
    "whitespace-body": b"   \n",
    "nan": b'{"title": "x", "priority": NaN}',
    "comment": b'{"title": "x" /* hi */}',
    "duplicate-keys": b'{"title": "a", "title": "b"}',
    "bom": b'\xef\xbb\xbf{"title": "x"}',
    "many-tags": b'{"title": "x", "tags": [' + b",".join([b'"a"'] * 12000) + b"]}",
    "many-keys": b"{" + b",".join(b'"k%d": 1' % i for i in range(5000)) + b"}",
    "long-escape-run": b'{"title": "' + b"\\u0041" * 8000 + b'"}',
}


@pytest.fixture(scope="module")
def mod_api(make_user):
    """One user for the whole module: signups cost ~0.1 s each (argon2id)."""
    return make_user().api


@pytest.fixture(scope="module")
def taskless_api(make_user):
    """A user that never creates a task: every search of theirs must be empty."""
    return make_user().api


def _assert_healthy(server):
    probe = server.client(timeout=10)
    resp = probe.get("/healthz")
    assert resp.status_code == 200, describe(resp)


def _assert_no_5xx(resp):
    assert resp.status_code < 500, describe(resp)
    if resp.status_code >= 400:
        assert_4xx_envelope(resp)


@pytest.mark.parametrize("case", list(NASTY_BODIES))
def test_nasty_body_on_create(server, mod_api, case):
    _assert_no_5xx(mod_api.post("/api/tasks", data=NASTY_BODIES[case], headers=JSON))
    _assert_healthy(server)


@pytest.mark.parametrize("case", ["deep-object", "invalid-utf8", "raw-nul-in-string", "huge-exponent",
                                  "empty-body", "lone-surrogate-escape"])
def test_nasty_body_on_patch_and_signup(server, mod_api, anon, case):
    created = mod_api.post("/api/tasks", json={"title": "target"})
    task_id = assert_task_response(created, 201)["id"]
    _assert_no_5xx(mod_api.patch(f"/api/tasks/{task_id}", data=NASTY_BODIES[case], headers=JSON))
    _assert_no_5xx(anon.post("/api/auth/signup", data=NASTY_BODIES[case], headers=JSON))
    _assert_no_5xx(anon.post("/api/auth/login", data=NASTY_BODIES[case], headers=JSON))
    _assert_healthy(server)


@pytest.mark.parametrize("case", ["deep-array-in-field", "deep-top-level-array", "invalid-utf8",
                                  "raw-nul-in-string", "empty-body", "whitespace-body", "nan", "comment"])
def test_bodies_that_are_not_json_are_4xx(mod_api, case):
    assert_4xx_envelope(mod_api.post("/api/tasks", data=NASTY_BODIES[case], headers=JSON))


def test_escaped_nul_in_title_is_a_validation_error(mod_api):
    resp = mod_api.post("/api/tasks", data=b'{"title": "a\\u0000b"}', headers=JSON)
    assert_error(resp, 422, "validation_failed")


BAD_IDS = ["abc", "-1", "0", "99999999999999999999", "1.5", "1e3", "%00", "1%2F2", "1;drop",
           "0x10", " 1", "%F0%9F%92%A9", "9" * 4000]


@pytest.mark.parametrize("task_id", BAD_IDS, ids=[i[:24] for i in BAD_IDS])
def test_bad_path_ids_are_4xx(server, mod_api, task_id):
    for method, suffix, kwargs in [("GET", "", {}), ("DELETE", "", {}),
                                   ("PATCH", "", {"json": {"title": "x"}}), ("POST", "/complete", {})]:
        resp = mod_api.request(method, f"/api/tasks/{task_id}{suffix}", **kwargs)
        assert_4xx_envelope(resp)
    _assert_healthy(server)


def test_very_long_path_is_answered_or_refused_without_dying(server, mod_api):
    try:
        resp = mod_api.get("/api/tasks/" + "a" * 70_000)
    except requests.ConnectionError:
        resp = None  # refusing a 70 KB request line by closing the connection is acceptable
    if resp is not None:
        assert 400 <= resp.status_code < 500, describe(resp)
    _assert_healthy(server)


NASTY_QUERIES = [
    "q=%00", "q=%FF%FE", "q=" + "x" * 5000, "q=%22", "q=*", "q=NEAR(a%20b)", "q=a%20OR%20b",
    "q=title:x", "q=-x", "q=%27", "q=(", "q=%25", "q=_", "q=%5C", "q=%F0%9F%92%A9", "q=",
    "tag=%00", "tag=" + "t" * 5000, "tag=,,,", "cursor=" + "A" * 5000, "limit=%00",
    "limit=1&limit=2", "sort=due%00", "due_after=2026-12-01T08:00:00Z%00", "%00=1", "=x", "&&&",
]


@pytest.mark.parametrize("query", NASTY_QUERIES, ids=[q[:30] for q in NASTY_QUERIES])
def test_nasty_query_strings_never_5xx(server, mod_api, query):
    resp = mod_api.get("/api/tasks?" + query)
    _assert_no_5xx(resp)
    if resp.status_code == 200:
        body = resp.json()
        assert isinstance(body["items"], list) and "next_cursor" in body
    _assert_healthy(server)


@pytest.mark.parametrize("q", ['"', "*", "NEAR(a b)", "a OR b", "title:x", "-x", "'", "(", "%", "_",
                               "\\", "AND", "💩", "x" * 500])
def test_free_text_q_is_never_an_error(taskless_api, q):
    """q is free text: search-engine syntax must not leak through as a 4xx (or 5xx)."""
    resp = taskless_api.get("/api/tasks", params={"q": q})
    assert resp.status_code == 200, describe(resp)
    assert resp.json() == {"items": [], "next_cursor": None}  # this user never has tasks


def test_server_still_works_after_the_nasty_inputs(server, api):
    _assert_healthy(server)
    task = assert_task_response(api.post("/api/tasks", json={"title": "still alive 🎉"}), 201)
    assert task["title"] == "still alive 🎉"
    assert assert_task_response(api.get(f"/api/tasks/{task['id']}")) == task
