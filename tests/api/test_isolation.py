"""Per-user isolation: another user's task is a 404 everywhere and never shows up in lists or tags."""

import pytest

from helpers import assert_error, assert_task_response, create_task, ids, list_all, unique_word


@pytest.fixture
def a_and_b(make_user):
    alice, bob = make_user(name="Alice"), make_user(name="Bob")
    word = unique_word("secret")
    task = create_task(alice.api, title=f"Alice {word}", description=f"{word} notes",
                       tags=[word, "shared"], priority="high", due_at="2026-12-01T08:00:00Z")
    create_task(bob.api, title="Bob's own", tags=["shared"])
    return alice, bob, task, word


OTHER_USER_CALLS = [
    ("GET", "", None, {}),
    ("PATCH", "", {"title": "hijacked"}, {}),
    ("PATCH", "", {}, {}),
    ("PATCH", "", {"title": "hijacked"}, {"If-Match": '"1"'}),
    ("PATCH", "", {"title": "hijacked"}, {"If-Match": '"99"'}),
    ("DELETE", "", None, {}),
    ("DELETE", "", None, {"If-Match": '"99"'}),
    ("POST", "/complete", None, {}),
    ("POST", "/reopen", None, {}),
]


@pytest.mark.parametrize("method,suffix,body,headers", OTHER_USER_CALLS,
                         ids=[f"{m}{s}-{h.get('If-Match', 'no-if-match')}-{'body' if b else 'nobody'}"
                              for m, s, b, h in OTHER_USER_CALLS])
def test_other_users_task_is_404_and_untouched(a_and_b, method, suffix, body, headers):
    alice, bob, task, _word = a_and_b
    kwargs = {"headers": headers}
    if body is not None:
        kwargs["json"] = body
    # 404, never 403 or 412: nothing may reveal that the id exists.
    assert_error(bob.api.request(method, f"/api/tasks/{task['id']}{suffix}", **kwargs), 404, "not_found")
    assert assert_task_response(alice.api.get(f"/api/tasks/{task['id']}")) == task


def test_lists_search_and_tags_never_show_other_users_tasks(a_and_b):
    alice, bob, task, word = a_and_b
    for params in ({}, {"status": "all"}, {"q": word}, {"q": "alice"}, {"tag": word}, {"tag": "shared"},
                   {"priority": "high"}, {"sort": "due"}, {"due_after": "2026-01-01T00:00:00Z"}):
        items, _pages = list_all(bob.api, params)
        assert task["id"] not in ids(items), params
        assert all(t["title"] == "Bob's own" for t in items), (params, items)

    tags = bob.api.get("/api/tags").json()["items"]
    assert tags == [{"tag": "shared", "count": 1}]

    # Alice still sees exactly her own.
    assert ids(list_all(alice.api, {"q": word})[0]) == [task["id"]]
    alice_tags = alice.api.get("/api/tags").json()["items"]
    # Equal counts are ordered by tag: "secret…" < "shared".
    assert alice_tags == [{"tag": word, "count": 1}, {"tag": "shared", "count": 1}]


def test_other_users_cursor_does_not_reveal_tasks(a_and_b, make_user):
    alice, bob, _task, _word = a_and_b
    for i in range(3):
        create_task(alice.api, title=f"Alice page {i}")
    resp = alice.api.get("/api/tasks", params={"limit": 1})
    cursor = resp.json()["next_cursor"]
    assert cursor
    # Bob may get a 400 (the cursor is not his) or a page of his own tasks; never Alice's.
    bob_resp = bob.api.get("/api/tasks", params={"limit": 1, "cursor": cursor})
    assert bob_resp.status_code in (200, 400), bob_resp.text
    if bob_resp.status_code == 200:
        assert all(t["title"] == "Bob's own" for t in bob_resp.json()["items"])
    else:
        assert_error(bob_resp, 400, "invalid_parameter")
