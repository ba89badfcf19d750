"""ETag = "<version>" on task answers; If-Match guards PATCH and DELETE (412 version_mismatch)."""

from helpers import assert_error, assert_task_response, create_task, describe


def test_etag_follows_the_version(api):
    created = api.post("/api/tasks", json={"title": "Versioned"})
    task = assert_task_response(created, 201)
    assert created.headers["ETag"] == '"1"'
    assert api.get(f"/api/tasks/{task['id']}").headers.get("ETag") == '"1"'

    done = api.post(f"/api/tasks/{task['id']}/complete")
    assert assert_task_response(done)["version"] == 2 and done.headers["ETag"] == '"2"'
    again = api.post(f"/api/tasks/{task['id']}/complete")
    assert again.headers.get("ETag") == '"2"'
    assert api.get(f"/api/tasks/{task['id']}").headers.get("ETag") == '"2"'


def test_patch_with_matching_if_match(api):
    task = create_task(api, title="Before")
    resp = api.patch(f"/api/tasks/{task['id']}", json={"title": "After"}, headers={"If-Match": '"1"'})
    patched = assert_task_response(resp)
    assert patched["version"] == 2 and patched["title"] == "After"
    assert resp.headers["ETag"] == '"2"'


def test_patch_with_stale_if_match_is_412(api):
    task = create_task(api, title="Before")
    assert assert_task_response(api.patch(f"/api/tasks/{task['id']}", json={"title": "Second"}))["version"] == 2

    stale = api.patch(f"/api/tasks/{task['id']}", json={"title": "Lost update"}, headers={"If-Match": '"1"'})
    err = assert_error(stale, 412, "version_mismatch")
    assert err["details"].get("current_version") == 2, describe(stale)

    future = api.patch(f"/api/tasks/{task['id']}", json={"title": "Lost update"}, headers={"If-Match": '"3"'})
    assert assert_error(future, 412, "version_mismatch")["details"].get("current_version") == 2

    current = assert_task_response(api.get(f"/api/tasks/{task['id']}"))
    assert current["title"] == "Second" and current["version"] == 2


def test_patch_with_current_etag_after_412_succeeds(api):
    task = create_task(api)
    assert_task_response(api.patch(f"/api/tasks/{task['id']}", json={"priority": "low"}))
    stale = api.patch(f"/api/tasks/{task['id']}", json={"priority": "high"}, headers={"If-Match": '"1"'})
    current_version = assert_error(stale, 412, "version_mismatch")["details"].get("current_version")
    assert current_version == 2, describe(stale)
    retry = api.patch(f"/api/tasks/{task['id']}", json={"priority": "high"},
                      headers={"If-Match": f'"{current_version}"'})
    assert assert_task_response(retry)["version"] == current_version + 1


def test_delete_with_stale_if_match_is_412_and_keeps_the_task(api):
    task = create_task(api)
    assert_task_response(api.post(f"/api/tasks/{task['id']}/complete"))  # version 2

    stale = api.delete(f"/api/tasks/{task['id']}", headers={"If-Match": '"1"'})
    err = assert_error(stale, 412, "version_mismatch")
    assert err["details"].get("current_version") == 2
    assert assert_task_response(api.get(f"/api/tasks/{task['id']}"))["version"] == 2

    ok = api.delete(f"/api/tasks/{task['id']}", headers={"If-Match": '"2"'})
    assert ok.status_code == 204, describe(ok)
    assert_error(api.get(f"/api/tasks/{task['id']}"), 404, "not_found")


def test_without_if_match_the_last_write_wins(api):
    task = create_task(api)
    assert_task_response(api.patch(f"/api/tasks/{task['id']}", json={"title": "one"}))
    resp = api.patch(f"/api/tasks/{task['id']}", json={"title": "two"})
    assert assert_task_response(resp)["title"] == "two"
