"""Create, read, update, delete, complete and reopen tasks; normalization of what is stored."""

import pytest

from helpers import assert_error, assert_task_response, create_task, describe, ids, list_all


def test_create_minimal_task_has_documented_defaults(api):
    resp = api.post("/api/tasks", json={"title": "Pay rent"})
    task = assert_task_response(resp, 201)
    assert task["title"] == "Pay rent"
    assert task["description"] == ""
    assert task["status"] == "pending"
    assert task["priority"] == "none"
    assert task["tags"] == []
    assert task["due_at"] is None
    assert task["time_zone"] == "UTC"
    assert task["completed_at"] is None
    assert task["version"] == 1
    assert resp.headers.get("ETag") == '"1"'
    assert resp.headers.get("Location", "").endswith(f"/api/tasks/{task['id']}"), describe(resp)


def test_create_full_task_normalizes_input(api):
    task = create_task(
        api,
        title="  Pay rent \t",
        description="Landlord wants it by the 1st",
        priority="high",
        tags=["#Home", " money ", "home", "MONEY", "#Bills"],
        due_at="2026-12-01T09:00:00+01:00",
        time_zone="Europe/Berlin",
    )
    assert task["title"] == "Pay rent"
    assert task["description"] == "Landlord wants it by the 1st"
    assert task["priority"] == "high"
    assert task["tags"] == ["home", "money", "bills"]
    assert task["due_at"] == "2026-12-01T08:00:00.000Z"
    assert task["time_zone"] == "Europe/Berlin"


@pytest.mark.parametrize("given,stored", [
    ("2026-12-01T08:00:00Z", "2026-12-01T08:00:00.000Z"),
    ("2026-12-01T08:00:00.5Z", "2026-12-01T08:00:00.500Z"),
    ("2026-12-01T08:00:00.123Z", "2026-12-01T08:00:00.123Z"),
    ("2026-12-01T08:00:00.123456Z", "2026-12-01T08:00:00.123Z"),
    ("2026-12-01T03:30:00-04:30", "2026-12-01T08:00:00.000Z"),
    ("2026-12-01T00:30:00.250+05:30", "2026-11-30T19:00:00.250Z"),
    ("2026-12-31T23:30:00-01:00", "2027-01-01T00:30:00.000Z"),
])
def test_due_at_is_stored_as_utc_milliseconds(api, given, stored):
    assert create_task(api, due_at=given)["due_at"] == stored


def test_tag_normalization_lowercases_ascii_only(api):
    # "ASCII letters lower-cased": non-ASCII letters are kept as they are.
    assert create_task(api, tags=["CAFÉ", "Ünïcode"])["tags"] == ["cafÉ", "Ünïcode"]


def test_tag_of_forty_characters_after_normalization_is_accepted(api):
    tag = "t" * 40
    assert create_task(api, tags=["#" + tag.upper(), "  " + tag + "  "])["tags"] == [tag]


def test_title_length_counts_characters_not_bytes(api):
    assert create_task(api, title="é" * 200)["title"] == "é" * 200
    assert create_task(api, title="  " + "x" * 200 + "  ")["title"] == "x" * 200


def test_get_task(api):
    created = create_task(api, title="Read me", tags=["a"])
    resp = api.get(f"/api/tasks/{created['id']}")
    assert assert_task_response(resp) == created
    assert resp.headers.get("ETag") == '"1"'


def test_get_unknown_task_is_404(api):
    assert_error(api.get("/api/tasks/987654321"), 404, "not_found")


def test_patch_changes_fields_and_bumps_version_once_per_request(api):
    task = create_task(api, title="Old", priority="low")
    resp = api.patch(f"/api/tasks/{task['id']}", json={
        "title": " New ", "description": "more", "priority": "medium",
        "tags": ["#X", "y"], "due_at": "2027-01-02T03:04:05.678+00:00", "time_zone": "America/New_York",
    })
    patched = assert_task_response(resp)
    assert patched["version"] == 2
    assert resp.headers.get("ETag") == '"2"'
    assert (patched["title"], patched["description"], patched["priority"]) == ("New", "more", "medium")
    assert patched["tags"] == ["x", "y"]
    assert patched["due_at"] == "2027-01-02T03:04:05.678Z"
    assert patched["time_zone"] == "America/New_York"
    assert patched["created_at"] == task["created_at"]
    assert patched["updated_at"] >= task["updated_at"]

    again = assert_task_response(api.patch(f"/api/tasks/{task['id']}", json={"priority": "high"}))
    assert again["version"] == 3 and again["priority"] == "high" and again["title"] == "New"
    assert assert_task_response(api.get(f"/api/tasks/{task['id']}")) == again


def test_patch_due_at_null_clears_it(api):
    task = create_task(api, due_at="2026-12-01T08:00:00Z")
    patched = assert_task_response(api.patch(f"/api/tasks/{task['id']}", json={"due_at": None}))
    assert patched["due_at"] is None
    assert patched["version"] == 2


def test_empty_patch_leaves_task_unchanged(api):
    task = create_task(api, title="Stay", tags=["keep"])
    resp = api.patch(f"/api/tasks/{task['id']}", json={})
    assert assert_task_response(resp) == task
    assert resp.headers.get("ETag") == '"1"'


def test_patch_unknown_task_is_404(api):
    assert_error(api.patch("/api/tasks/987654321", json={"title": "x"}), 404, "not_found")


def test_delete_task(api):
    task = create_task(api)
    resp = api.delete(f"/api/tasks/{task['id']}")
    assert resp.status_code == 204, describe(resp)
    assert resp.content == b""
    assert_error(api.get(f"/api/tasks/{task['id']}"), 404, "not_found")
    assert_error(api.delete(f"/api/tasks/{task['id']}"), 404, "not_found")
    assert_error(api.patch(f"/api/tasks/{task['id']}", json={"title": "x"}), 404, "not_found")
    assert task["id"] not in ids(list_all(api)[0])


def test_complete_and_reopen_are_idempotent(api):
    task = create_task(api, title="Finish me")

    done = assert_task_response(api.post(f"/api/tasks/{task['id']}/complete"))
    assert done["status"] == "completed"
    assert done["completed_at"] is not None and done["completed_at"] >= task["created_at"]
    assert done["version"] == 2

    done_again = assert_task_response(api.post(f"/api/tasks/{task['id']}/complete"))
    assert done_again == done  # unchanged: same version, same completed_at

    reopened = assert_task_response(api.post(f"/api/tasks/{task['id']}/reopen"))
    assert reopened["status"] == "pending"
    assert reopened["completed_at"] is None
    assert reopened["version"] == 3

    reopened_again = assert_task_response(api.post(f"/api/tasks/{task['id']}/reopen"))
    assert reopened_again == reopened
    assert assert_task_response(api.get(f"/api/tasks/{task['id']}")) == reopened


def test_reopen_of_a_pending_task_is_unchanged(api):
    task = create_task(api)
    assert assert_task_response(api.post(f"/api/tasks/{task['id']}/reopen")) == task


@pytest.mark.parametrize("action", ["complete", "reopen"])
def test_complete_or_reopen_unknown_task_is_404(api, action):
    assert_error(api.post(f"/api/tasks/987654321/{action}"), 404, "not_found")


def test_list_shape_and_content(api):
    created = [create_task(api, title=f"List {i}") for i in range(3)]
    resp = api.get("/api/tasks")
    assert resp.status_code == 200, describe(resp)
    body = resp.json()
    assert body["next_cursor"] is None
    assert sorted(ids(body["items"])) == sorted(ids(created))
    by_id = {t["id"]: t for t in body["items"]}
    for task in created:
        assert by_id[task["id"]] == task


def test_list_of_a_new_user_is_empty(api):
    resp = api.get("/api/tasks")
    assert resp.status_code == 200, describe(resp)
    assert resp.json() == {"items": [], "next_cursor": None}


def test_tags_with_counts(api):
    resp = api.get("/api/tags")
    assert resp.status_code == 200, describe(resp)
    assert resp.json() == {"items": []}

    for tags in (["home", "money"], ["home", "work"], ["home"], ["money", "work", "zeta"],
                 ["alpha"], []):
        create_task(api, tags=tags)
    doomed = create_task(api, tags=["home", "gone"])

    resp = api.get("/api/tags")
    assert resp.status_code == 200, describe(resp)
    assert resp.json()["items"] == [
        {"tag": "home", "count": 4}, {"tag": "money", "count": 2}, {"tag": "work", "count": 2},
        {"tag": "alpha", "count": 1}, {"tag": "gone", "count": 1}, {"tag": "zeta", "count": 1},
    ]

    assert api.delete(f"/api/tasks/{doomed['id']}").status_code == 204
    assert api.get("/api/tags").json()["items"] == [
        {"tag": "home", "count": 3}, {"tag": "money", "count": 2}, {"tag": "work", "count": 2},
        {"tag": "alpha", "count": 1}, {"tag": "zeta", "count": 1},
    ]


def test_tags_follow_patches(api):
    task = create_task(api, tags=["before"])
    assert assert_task_response(api.patch(f"/api/tasks/{task['id']}", json={"tags": ["after"]}))["tags"] == ["after"]
    assert api.get("/api/tags").json()["items"] == [{"tag": "after", "count": 1}]
