"""The assistant role (tickler assistant beside its own daprd): /api/chat and /api/conversations on
the one origin (the api passes them on through Dapr service invocation), conversations in the
Dapr state store (state.postgresql) with ETags, tools run against the api through service
invocation with the assistant as the audit actor (which a browser cannot claim), the LLM key read
from the secret store, and a deleted account's conversations deleted."""

from __future__ import annotations

import json
import time
import urllib.parse

import requests
from chat_support import JSON, race_turns
from e2e_support import wait_until
from flows import EVENT_WAIT
from helpers import Api, assert_error, create_task, describe, signup, unique_word
from model_support import MODEL, ScriptedModel, calls, say


def chat(api, message, conversation=None, expect=200, headers=JSON):
    body = {"message": message, "time_zone": "UTC"}
    if conversation:
        body["conversation_id"] = conversation
    r = api.post("/api/chat", json=body, headers=headers)
    assert r.status_code == expect, describe(r)
    return r


def state_url(stack, key: str) -> str:
    """The assistant's own state, read through its sidecar (keys get its app-id prefix there)."""
    svc = stack.services["assistant"]
    return (f"http://127.0.0.1:{svc.dapr_http}/v1.0/state/tickler-state/"
            + urllib.parse.quote(key, safe=""))


def dapr_get(stack, key: str) -> requests.Response:
    return requests.get(state_url(stack, key), headers={"dapr-api-token": stack.dapr_token},
                        timeout=10)


def history(api, task_id):
    def items():
        r = api.get(f"/api/tasks/{task_id}/history")
        return r.status_code == 200 and r.json()["items"]
    return wait_until(items, EVENT_WAIT, interval=0.2, what="the task's history")


def test_chat_on_the_api_origin_acts_as_the_assistant(stack, user):
    title = "pay rent " + unique_word()
    r = chat(user.api, f"add {title} tomorrow at 9am")
    answer = r.json()
    cards = [a for a in answer["message"]["actions"] if a.get("type") == "task"]
    assert cards and cards[0]["change"] == "added" and cards[0]["title"] == title, answer
    task_id = cards[0]["id"]
    # The tool ran on the api (service invocation), as the user, named as the assistant.
    r = user.api.get(f"/api/tasks/{task_id}")
    assert r.status_code == 200 and r.json()["title"] == title, describe(r)
    assert history(user.api, task_id)[0]["actor"] == "assistant (built-in)"
    # The conversation is listed and shown through the api too.
    listed = user.api.get("/api/conversations").json()["items"]
    assert [c["id"] for c in listed] == [answer["conversation_id"]]
    shown = user.api.get(f"/api/conversations/{answer['conversation_id']}").json()
    assert [m["role"] for m in shown["messages"]] == ["user", "assistant"]
    # Server-Sent Events from the role itself (what the Kubernetes Ingress routes to; daprd 1.16's
    # service invocation fails on a text/event-stream answer, docs/assistant.md).
    direct = Api(stack.services["assistant"].url, user.token)
    r = chat(direct, "what's due tomorrow", answer["conversation_id"],
             headers={"Accept": "text/event-stream"})
    assert r.headers["Content-Type"].startswith("text/event-stream"), describe(r)
    assert r.headers.get("Cache-Control") == "no-cache"
    assert "data: " in r.text and title in r.text


def test_a_browser_cannot_name_the_assistant_as_actor(stack, user):
    forged = {"X-Tickler-Actor": "assistant (built-in)", "X-Tickler-Actor-Proof": "forged",
              "dapr-caller-app-id": "tickler-assistant"}
    r = user.api.post("/api/tasks", json={"title": "Forged " + unique_word()}, headers=forged)
    assert r.status_code == 201, describe(r)
    assert history(user.api, r.json()["id"])[0]["actor"] == f"user:{user.id}"
    # Not through the api's sidecar either, where a caller may name any caller app id.
    api = stack.services["api"]
    r = requests.post(
        f"http://127.0.0.1:{api.dapr_http}/v1.0/invoke/tickler-api/method/api/tasks",
        json={"title": "Forged via daprd " + unique_word()},
        headers={**forged, "Authorization": f"Bearer {user.token}",
                 "dapr-api-token": stack.dapr_token}, timeout=10)
    assert r.status_code == 201, describe(r)
    assert history(user.api, r.json()["id"])[0]["actor"] == f"user:{user.id}"


def test_another_users_conversation_is_not_found(stack, user, make_user):
    conversation = chat(user.api, "help").json()["conversation_id"]
    other = make_user()
    assert_error(other.api.get(f"/api/conversations/{conversation}"), 404, "not_found")
    assert_error(other.api.delete(f"/api/conversations/{conversation}"), 404, "not_found")
    assert_error(chat(other.api, "help", conversation, expect=404), 404, "not_found")
    assert other.api.get("/api/conversations").json()["items"] == []
    assert user.api.get(f"/api/conversations/{conversation}").status_code == 200
    assert_error(Api(stack.services["api"].url).get("/api/conversations"), 401, "unauthorized")


def test_conversations_live_in_the_state_store_and_survive_a_restart(stack, user):
    title = "laundry " + unique_word()
    conversation = chat(user.api, f"add {title}").json()["conversation_id"]
    stored = dapr_get(stack, f"conversation-{user.id}-{conversation}")
    assert stored.status_code == 200 and stored.headers.get("ETag"), describe(stored)
    assert stored.json()["version"] == 1
    svc = stack.services["assistant"]
    stack.kill(svc.app)
    stack.start_app(svc)
    stack.wait_ready(svc)
    # The pending state came through: "it" still names the task.
    answer = chat(user.api, "mark it done", conversation).json()
    assert "laundry" in answer["message"]["text"], answer
    shown = user.api.get(f"/api/conversations/{conversation}").json()
    assert len(shown["messages"]) == 4


def test_concurrent_turns_on_one_conversation_respect_the_etag(stack, user):
    conversation = chat(user.api, "help").json()["conversation_id"]
    won, busy = race_turns(stack.services["api"].url, user.token, conversation, 16)
    # Exactly the winners' turns were appended: none lost, none doubled.
    shown = user.api.get(f"/api/conversations/{conversation}").json()
    assert len(shown["messages"]) == min(200, 2 + 2 * won), (won, busy)
    stored = dapr_get(stack, f"conversation-{user.id}-{conversation}").json()
    assert stored["version"] == 1 + won


def test_the_state_store_refuses_a_stale_etag(stack, user):
    conversation = chat(user.api, "help").json()["conversation_id"]
    key = f"conversation-{user.id}-{conversation}"
    first = dapr_get(stack, key)
    etag = first.headers["ETag"]
    chat(user.api, "help", conversation)  # the conversation moves on: a new ETag
    svc = stack.services["assistant"]
    r = requests.post(f"http://127.0.0.1:{svc.dapr_http}/v1.0/state/tickler-state",
                      json=[{"key": key, "value": first.json(), "etag": etag,
                             "options": {"concurrency": "first-write"}}],
                      headers={"dapr-api-token": stack.dapr_token}, timeout=10)
    assert r.status_code == 409, describe(r)
    assert len(user.api.get(f"/api/conversations/{conversation}").json()["messages"]) == 4


def test_a_deleted_account_loses_its_conversations(stack, make_user):
    user = make_user()
    conversation = chat(user.api, "help").json()["conversation_id"]
    assert dapr_get(stack, f"conversations-{user.id}").status_code == 200
    r = user.api.delete("/api/me", json={"password": user.password})
    assert r.status_code == 204, describe(r)
    wait_until(lambda: dapr_get(stack, f"conversation-{user.id}-{conversation}").status_code == 204
               and dapr_get(stack, f"conversations-{user.id}").status_code == 204,
               EVENT_WAIT, interval=0.2, what="the conversations deleted")


def test_the_llm_key_comes_from_the_secret_store(stack):
    secrets = json.loads((stack.state / "secrets.json").read_text())
    log = (stack.logs() / "assistant.app.log").read_text(errors="replace")
    lines = [json.loads(line) for line in log.splitlines()
             if line.startswith("{") and '"llm api key"' in line]
    assert lines and lines[-1]["found"] is True, log[-2000:]
    assert secrets["llm-api-key"] not in log, "the key itself is never logged"


def sse_events(text: str) -> list[tuple[str, dict]]:
    events = []
    for block in text.split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in lines:
            events.append((lines["event"], json.loads(lines["data"])))
    return events


def test_a_model_turn_through_the_frontend_streams_with_the_key_from_the_secret_store(stack, frontend):
    """The assistant with a language model: the key is the secret store's, the tools run on the
    api as the user with the model's name, and the reply reaches the browser's origin (frontend →
    api → assistant, two hops of invocation) as the event stream."""
    key = json.loads((stack.state / "secrets.json").read_text())["llm-api-key"]
    model = ScriptedModel()
    svc = stack.services["assistant"]
    stack.kill(svc.app)
    stack.start_app(svc, {"TICKLER_LLM_URL": model.url, "TICKLER_LLM_MODEL": MODEL})
    try:
        stack.wait_ready(svc)
        user = signup(frontend.url)
        title = "water the plants " + unique_word()
        model.script = [calls(("add_task", {"title": title})), say("Added it.")]
        r = user.api.post("/api/chat", json={"message": f"please add {title}", "time_zone": "UTC"},
                          headers={"Accept": "text/event-stream"}, timeout=60)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/event-stream"), describe(r)
        events = sse_events(r.text)
        assert [n for n, _ in events][0] == "conversation" and events[-1][0] == "done", r.text
        done = events[-1][1]
        assert done["message"]["text"].startswith("Added it."), done
        [card] = [d for n, d in events if n == "action" and d.get("type") == "task"]
        assert card["change"] == "added" and card["title"] == title, card
        assert model.errors == [], model.errors
        assert model.headers[0]["Authorization"] == f"Bearer {key}"
        assert history(user.api, card["id"])[0]["actor"] == f"assistant ({MODEL})"
        log = (stack.logs() / "assistant.app.log").read_text(errors="replace")
        assert key not in log
        # The role's own /api/chat (where the Kubernetes Ingress sends it) streams the model's
        # text as it arrives: the first piece is read before the model sent its last.
        words = "Your plants are watered on schedule, every piece in turn."
        model.script = [("chunks", say(words), 6, 0.25)]
        started = time.monotonic()
        with Api(svc.url, user.token).post("/api/chat", json={"message": "how are my plants?"},
                           headers={"Accept": "text/event-stream"}, stream=True, timeout=60) as r:
            assert r.status_code == 200 and r.headers.get("Transfer-Encoding") == "chunked", describe(r)
            first_delta = None
            body = ""
            for piece in r.iter_content(chunk_size=None, decode_unicode=True):
                body += piece
                if first_delta is None and "event: delta" in body:
                    first_delta = time.monotonic()
        assert first_delta is not None and first_delta < model.sent[-1][0] - 0.5, (started, first_delta)
        streamed = sse_events(body)
        assert "".join(d["text"] for n, d in streamed if n == "delta") == words
        assert streamed[-1][0] == "done" and model.errors == [], body
    finally:
        stack.kill(svc.app)
        stack.start_app(svc)
        stack.wait_ready(svc)
        model.close()
