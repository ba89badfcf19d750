"""Every documented validation error: 400 invalid_json, 422 validation_failed (with details.field),
413, 415 and 400 invalid_parameter (with details.parameter) — always in the error envelope."""

import json

import pytest

from helpers import (
    assert_bad_parameter, assert_error, assert_task_response, assert_validation, create_task,
    describe, list_all,
)

JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize("raw", [
    b'{"title": ', b"{title: 'x'}", b'{"title": "x",}', b"not json at all", b'{"title": "x"} trailing',
])
def test_malformed_json_is_400(api, raw):
    assert_error(api.post("/api/tasks", data=raw, headers=JSON), 400, "invalid_json")


@pytest.mark.parametrize("raw", [b"[]", b'[{"title": "x"}]', b'"title"', b"42", b"null", b"true"])
def test_non_object_body_is_400(api, raw):
    assert_error(api.post("/api/tasks", data=raw, headers=JSON), 400, "invalid_json")


def test_malformed_json_on_patch_and_auth_routes(api, anon):
    task = create_task(api)
    assert_error(api.patch(f"/api/tasks/{task['id']}", data=b"{", headers=JSON), 400, "invalid_json")
    assert_error(api.patch(f"/api/tasks/{task['id']}", data=b"[]", headers=JSON), 400, "invalid_json")
    assert_error(anon.post("/api/auth/signup", data=b"{", headers=JSON), 400, "invalid_json")
    assert_error(anon.post("/api/auth/login", data=b"[]", headers=JSON), 400, "invalid_json")


CREATE_INVALID = {
    "title-number": ({"title": 42}, "title"),
    "title-null": ({"title": None}, "title"),
    "title-list": ({"title": ["x"]}, "title"),
    "title-missing": ({"description": "no title"}, "title"),
    "title-empty": ({"title": ""}, "title"),
    "title-whitespace": ({"title": " \t\n "}, "title"),
    "title-201": ({"title": "x" * 201}, "title"),
    "title-201-chars-of-2-bytes": ({"title": "é" * 201}, "title"),
    "title-control-char": ({"title": "bell\u0007here"}, "title"),
    "title-nul": ({"title": "a\u0000b"}, "title"),
    "title-newline-inside": ({"title": "two\nlines"}, "title"),
    "description-number": ({"title": "x", "description": 5}, "description"),
    "description-1001": ({"title": "x", "description": "d" * 1001}, "description"),
    "priority-urgent": ({"title": "x", "priority": "urgent"}, "priority"),
    "priority-uppercase": ({"title": "x", "priority": "HIGH"}, "priority"),
    "priority-number": ({"title": "x", "priority": 1}, "priority"),
    "status-not-a-create-field": ({"title": "x", "status": "completed"}, "status"),
    "tags-string": ({"title": "x", "tags": "home"}, "tags"),
    "tags-object": ({"title": "x", "tags": {"home": True}}, "tags"),
    "tag-number": ({"title": "x", "tags": ["ok", 7]}, "tags"),
    "tag-null": ({"title": "x", "tags": [None]}, "tags"),
    "tags-21": ({"title": "x", "tags": [f"t{i}" for i in range(21)]}, "tags"),
    "tag-41": ({"title": "x", "tags": ["t" * 41]}, "tags"),
    "tag-empty": ({"title": "x", "tags": [""]}, "tags"),
    "tag-only-hash": ({"title": "x", "tags": ["#"]}, "tags"),
    "tag-space-inside": ({"title": "x", "tags": ["two words"]}, "tags"),
    "tag-comma-inside": ({"title": "x", "tags": ["a,b"]}, "tags"),
    "tag-hash-inside": ({"title": "x", "tags": ["a#b"]}, "tags"),
    "due-tomorrow": ({"title": "x", "due_at": "tomorrow"}, "due_at"),
    "due-month-13": ({"title": "x", "due_at": "2026-13-01T00:00:00Z"}, "due_at"),
    "due-feb-30": ({"title": "x", "due_at": "2026-02-30T00:00:00Z"}, "due_at"),
    "due-hour-25": ({"title": "x", "due_at": "2026-12-01T25:00:00Z"}, "due_at"),
    "due-date-only": ({"title": "x", "due_at": "2026-12-01"}, "due_at"),
    "due-no-offset": ({"title": "x", "due_at": "2026-12-01T08:00:00"}, "due_at"),
    "due-bad-offset": ({"title": "x", "due_at": "2026-12-01T08:00:00+25:00"}, "due_at"),
    "due-number": ({"title": "x", "due_at": 1764576000}, "due_at"),
    "due-empty": ({"title": "x", "due_at": ""}, "due_at"),
    "tz-mars": ({"title": "x", "time_zone": "Mars/Olympus"}, "time_zone"),
    "tz-empty": ({"title": "x", "time_zone": ""}, "time_zone"),
    "tz-number": ({"title": "x", "time_zone": 1}, "time_zone"),
    "tz-path-traversal": ({"title": "x", "time_zone": "../../etc/passwd"}, "time_zone"),
    "unknown-field": ({"title": "x", "colour": "red"}, "colour"),
    "typo-field": ({"title": "x", "priorty": "high"}, "priorty"),
}


@pytest.mark.parametrize("case", list(CREATE_INVALID))
def test_create_validation(api, case):
    body, field = CREATE_INVALID[case]
    assert_validation(api.post("/api/tasks", json=body), field)


def test_rejected_creates_store_nothing(api):
    for body, _field in CREATE_INVALID.values():
        resp = api.post("/api/tasks", json=body)
        assert resp.status_code == 422, describe(resp)
    assert list_all(api)[0] == []


@pytest.mark.parametrize("body", [
    {"title": "x" * 200},
    {"title": "x", "description": "d" * 1000},
    {"title": "x", "tags": [f"t{i}" for i in range(20)]},
    {"title": "x", "tags": ["t" * 40]},
    {"title": "x", "description": "tabs\tand\nnewlines are fine in a description"},
    {"title": "x", "due_at": None},
    {"title": "x", "time_zone": "America/Argentina/Buenos_Aires"},
    {"title": "x", "priority": "none"},
], ids=["title-200", "description-1000", "tags-20", "tag-40", "description-control-ws",
        "due-null", "tz-deep-name", "priority-none"])
def test_limits_that_are_accepted(api, body):
    assert_task_response(api.post("/api/tasks", json=body), 201)


@pytest.mark.parametrize("body,field", [
    ({"title": ""}, "title"),
    ({"title": None}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"priority": "urgent"}, "priority"),
    ({"tags": "home"}, "tags"),
    ({"due_at": "tomorrow"}, "due_at"),
    ({"time_zone": "Mars/Olympus"}, "time_zone"),
    ({"description": "d" * 1001}, "description"),
    ({"colour": "red"}, "colour"),
], ids=["title-empty", "title-null", "title-201", "priority-urgent", "tags-string", "due-tomorrow",
        "tz-mars", "description-1001", "unknown-field"])
def test_patch_validation_leaves_task_unchanged(api, body, field):
    task = create_task(api, title="Unchanged", priority="low")
    assert_validation(api.patch(f"/api/tasks/{task['id']}", json=body), field)
    assert assert_task_response(api.get(f"/api/tasks/{task['id']}")) == task


# --- 413 / 415 ----------------------------------------------------------------------------------

def _body_of_size(size: int) -> bytes:
    """A JSON object of exactly `size` bytes whose only problem is a too-long description."""
    skeleton = b'{"title":"x","description":""}'
    body = skeleton[:-2] + b"d" * (size - len(skeleton)) + b'"}'
    assert len(body) == size and json.loads(body)
    return body


def test_body_of_64_kib_is_not_too_large(api):
    assert_validation(api.post("/api/tasks", data=_body_of_size(64 * 1024), headers=JSON), "description")


@pytest.mark.parametrize("size", [64 * 1024 + 1, 70_000, 200_000])
def test_body_over_64_kib_is_413(api, size):
    assert_error(api.post("/api/tasks", data=_body_of_size(size), headers=JSON), 413, "payload_too_large")


def test_chunked_body_over_64_kib_is_413(api):
    body = _body_of_size(100_000)
    chunks = (body[i:i + 8192] for i in range(0, len(body), 8192))  # a generator: sent chunked
    assert_error(api.post("/api/tasks", data=chunks, headers=JSON), 413, "payload_too_large")


def test_oversize_patch_is_413(api):
    task = create_task(api)
    assert_error(api.patch(f"/api/tasks/{task['id']}", data=_body_of_size(70_000), headers=JSON),
                 413, "payload_too_large")


@pytest.mark.parametrize("content_type", [
    "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
    "application/xml", "text/json",
])
def test_wrong_content_type_is_415(api, content_type):
    resp = api.post("/api/tasks", data=b'{"title": "x"}', headers={"Content-Type": content_type})
    assert_error(resp, 415, "unsupported_media_type")


def test_wrong_content_type_on_patch_and_signup_is_415(api, anon):
    task = create_task(api)
    resp = api.patch(f"/api/tasks/{task['id']}", data=b'{"title": "y"}', headers={"Content-Type": "text/plain"})
    assert_error(resp, 415, "unsupported_media_type")
    resp = anon.post("/api/auth/signup", data=b'{"email": "a@b.example", "password": "12345678"}',
                     headers={"Content-Type": "text/plain"})
    assert_error(resp, 415, "unsupported_media_type")


def test_json_content_type_with_charset_is_accepted(api):
    resp = api.post("/api/tasks", data=b'{"title": "charset"}',
                    headers={"Content-Type": "application/json; charset=utf-8"})
    assert assert_task_response(resp, 201)["title"] == "charset"


# --- query parameters -----------------------------------------------------------------------------

BAD_PARAMS = [
    ("limit", "0"), ("limit", "201"), ("limit", "abc"), ("limit", "-1"), ("limit", "1.5"), ("limit", ""),
    ("limit", "99999999999999999999999"),
    ("sort", "foo"), ("sort", "DUE"), ("order", "up"), ("order", ""),
    ("status", "done"), ("priority", "urgent"), ("priority", "high,urgent"),
    ("due_before", "tomorrow"), ("due_after", "2026-13-01T00:00:00Z"), ("due_before", "2026-12-01"),
    ("has_due", "yes"), ("has_due", ""), ("has_due", "TRUE"),
    ("cursor", "garbage"), ("cursor", "!!!"), ("cursor", "eyJpZCI6MX0"),
    ("foo", "bar"), ("page", "2"), ("offset", "10"),
]


@pytest.mark.parametrize("name,value", BAD_PARAMS, ids=[f"{n}={v}" for n, v in BAD_PARAMS])
def test_bad_query_parameter_is_400(api, name, value):
    assert_bad_parameter(api.get("/api/tasks", params={name: value}), name)


@pytest.mark.parametrize("name,value", [
    ("limit", "1"), ("limit", "200"), ("status", "all"), ("status", "pending"), ("status", "completed"),
    ("sort", "due"), ("sort", "priority"), ("sort", "title"), ("sort", "created"),
    ("order", "asc"), ("order", "desc"), ("priority", "high,low"), ("tag", "home"),
    ("due_after", "2026-12-01T08:00:00+02:00"), ("due_before", "2026-12-01T08:00:00.123Z"), ("q", "pay rent"),
])
def test_good_query_parameters_are_accepted(api, name, value):
    resp = api.get("/api/tasks", params={name: value})
    assert resp.status_code == 200, describe(resp)
    assert resp.json() == {"items": [], "next_cursor": None}
