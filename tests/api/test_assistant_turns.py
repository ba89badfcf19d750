"""Two turns of one conversation at once (docs/assistant.md, "Two turns at once"): a turn appends
only at the version it started from, so the loser answers 409 conversation_busy and nothing of
it is kept; no turn is lost or kept twice."""

from __future__ import annotations

from chat_support import JSON, race_turns
from helpers import describe


def test_concurrent_turns_keep_exactly_the_winners(server, user):
    first = user.api.post("/api/chat", json={"message": "help"}, headers=JSON)
    assert first.status_code == 200, describe(first)
    conversation = first.json()["conversation_id"]

    total_won, busy = race_turns(server.base_url, user.token, conversation, 24)
    shown = user.api.get(f"/api/conversations/{conversation}").json()
    # Exactly the winners' turns were kept (the newest 200 messages at most).
    assert len(shown["messages"]) == min(200, 2 + 2 * total_won), (total_won, busy)
