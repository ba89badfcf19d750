"""Two turns of one conversation at once (docs/assistant.md, "Two turns at once"): a turn appends
only at the version it started from, so the loser answers 409 conversation_busy and nothing of
it is kept; no turn is lost or kept twice."""

from __future__ import annotations

import concurrent.futures

from helpers import Api, describe

JSON = {"Accept": "application/json"}


def test_concurrent_turns_keep_exactly_the_winners(server, user):
    first = user.api.post("/api/chat", json={"message": "help"}, headers=JSON)
    assert first.status_code == 200, describe(first)
    conversation = first.json()["conversation_id"]

    def turn(_):
        return Api(server.base_url, user.token).post(
            "/api/chat", json={"message": "what's overdue", "conversation_id": conversation},
            headers=JSON)

    total_won, busy = 0, 0
    for _burst in range(5):  # until two turns overlapped at least once
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(turn, range(24)))
        statuses = [r.status_code for r in answers]
        assert set(statuses) <= {200, 409}, [describe(r) for r in answers
                                             if r.status_code not in (200, 409)]
        for r in answers:
            if r.status_code == 409:
                assert r.json()["error"]["code"] == "conversation_busy", describe(r)
        total_won += statuses.count(200)
        busy += statuses.count(409)
        if busy:
            break
    assert busy, "no two of 120 concurrent turns overlapped"
    assert total_won >= 1
    shown = user.api.get(f"/api/conversations/{conversation}").json()
    # Exactly the winners' turns were kept (the newest 200 messages at most).
    assert len(shown["messages"]) == min(200, 2 + 2 * total_won), (total_won, busy)
