"""Chat helpers shared by the API suite and the integration suite (tests/integration)."""

from __future__ import annotations

import concurrent.futures

from helpers import Api, describe

JSON = {"Accept": "application/json"}


def race_turns(base_url: str, token: str, conversation: str, burst: int) -> tuple[int, int]:
    """Sends turns of one conversation `burst` at a time, 8 at once, until two overlapped (at
    most five bursts). Every answer is 200 or 409 conversation_busy; returns (won, busy)."""

    def turn(_):
        return Api(base_url, token).post(
            "/api/chat", json={"message": "what's overdue", "conversation_id": conversation},
            headers=JSON)

    won, busy = 0, 0
    for _burst in range(5):
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(turn, range(burst)))
        statuses = [r.status_code for r in answers]
        assert set(statuses) <= {200, 409}, [describe(r) for r in answers
                                             if r.status_code not in (200, 409)]
        for r in answers:
            if r.status_code == 409:
                assert r.json()["error"]["code"] == "conversation_busy", describe(r)
        won += statuses.count(200)
        busy += statuses.count(409)
        if busy:
            break
    assert busy, f"no two of {5 * burst} concurrent turns overlapped"
    assert won >= 1
    return won, busy
