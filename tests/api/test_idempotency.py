"""Idempotency-Key on POST /api/tasks: a replay answers the same and creates nothing."""

import threading
import uuid

from helpers import assert_4xx_envelope, assert_error, describe, list_all


def _post(api, key, body):
    return api.post("/api/tasks", json=body, headers={"Idempotency-Key": key})


def test_replay_returns_the_same_answer_and_creates_nothing(api):
    key = f"key-{uuid.uuid4()}"
    body = {"title": "Once only", "tags": ["idem"], "priority": "high"}
    first = _post(api, key, body)
    assert first.status_code == 201, describe(first)
    assert first.headers.get("Idempotent-Replayed", "").lower() != "true"

    for _ in range(3):
        replay = _post(api, key, body)
        assert replay.status_code == 201, describe(replay)
        assert replay.json() == first.json()
        assert replay.headers.get("Idempotent-Replayed", "").lower() == "true", describe(replay)

    items, _ = list_all(api)
    assert [t["id"] for t in items] == [first.json()["id"]]


def test_same_key_with_another_body_is_422(api):
    key = f"key-{uuid.uuid4()}"
    first = _post(api, key, {"title": "Original"})
    assert first.status_code == 201, describe(first)
    assert_error(_post(api, key, {"title": "Different"}), 422, "idempotency_key_reused")
    assert_error(_post(api, key, {"title": "Original", "priority": "low"}), 422, "idempotency_key_reused")
    items, _ = list_all(api)
    assert [t["title"] for t in items] == ["Original"]


def test_keys_are_per_user(make_user):
    alice, bob = make_user(), make_user()
    key = f"shared-{uuid.uuid4()}"
    body = {"title": "Same key, same body"}
    a = _post(alice.api, key, body)
    b = _post(bob.api, key, body)
    assert a.status_code == 201 and b.status_code == 201, (describe(a), describe(b))
    assert a.json()["id"] != b.json()["id"]
    assert b.headers.get("Idempotent-Replayed", "").lower() != "true"
    assert [t["id"] for t in list_all(bob.api)[0]] == [b.json()["id"]]
    assert [t["id"] for t in list_all(alice.api)[0]] == [a.json()["id"]]
    # A replay by Bob answers Bob's task, not Alice's.
    replay = _post(bob.api, key, body)
    assert replay.json() == b.json() and replay.headers.get("Idempotent-Replayed", "").lower() == "true"


def test_different_keys_create_different_tasks(api):
    body = {"title": "Twice on purpose"}
    one = _post(api, f"k1-{uuid.uuid4()}", body)
    two = _post(api, f"k2-{uuid.uuid4()}", body)
    assert one.status_code == two.status_code == 201
    assert one.json()["id"] != two.json()["id"]
    assert len(list_all(api)[0]) == 2


def test_overlong_key_is_rejected(api):
    resp = _post(api, "k" * 256, {"title": "overlong key"})
    assert_4xx_envelope(resp)
    assert list_all(api)[0] == []


def test_concurrent_requests_with_one_key_create_one_task(server, user):
    key = f"race-{uuid.uuid4()}"
    body = {"title": "Raced"}
    answers = []
    lock = threading.Lock()
    start = threading.Barrier(6, timeout=30)

    def fire():
        api = server.client(user.token)
        try:
            start.wait()
            resp = _post(api, key, body)
            with lock:
                answers.append(resp)
        finally:
            api.close()

    threads = [threading.Thread(target=fire) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(answers) == 6
    assert all(r.status_code < 500 for r in answers), [describe(r) for r in answers]
    created_ids = {r.json()["id"] for r in answers if r.status_code == 201}
    items, _ = list_all(user.api)
    assert len(items) == 1, items
    assert created_ids == {items[0]["id"]}
