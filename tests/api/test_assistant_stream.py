"""The assistant's replies streamed token by token, and its fair share of the model, over real
HTTP against the scripted model of model_support.py in its streaming mode (chunks sent apart in
time): the first text reaches the client before the model finished, tool calls split across
chunks are joined, a model that stops mid-answer is a clear message with nothing half-done, a
client that goes away stops the turn; one user firing many turns at a slow model gets 429
assistant_busy while another user's turn still starts at once."""

from __future__ import annotations

import http.client
import json
import threading
import time

import pytest

from helpers import describe, signup, unique_word, wait_until
from model_support import ScriptedModel, calls, say, stream_deltas, tickler_with_model


@pytest.fixture(scope="module")
def model():
    m = ScriptedModel()
    yield m
    m.close()


@pytest.fixture(scope="module")
def llm_server(tickler_bin, tmp_path_factory, model):
    with tickler_with_model(tickler_bin, tmp_path_factory.mktemp("llm-stream-server"), model,
                            ["--llm-timeout", "10", "--llm-queue-wait", "1"]) as srv:
        yield srv


@pytest.fixture
def api(llm_server, model):
    model.reset()
    yield signup(llm_server.base_url).api
    assert model.errors == [], model.errors


class Stream:
    """POST /api/chat read as Server-Sent Events as they arrive: (time.monotonic(), event, data)
    of each, over a connection of its own (so the test can close it mid-stream)."""

    def __init__(self, base_url: str, token: str, body: dict):
        host, port = base_url.removeprefix("http://").split(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=30)
        self.started = time.monotonic()
        self.conn.request("POST", "/api/chat", json.dumps(body).encode(),
                          {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                           "Accept": "text/event-stream"})
        self.resp = self.conn.getresponse()
        self.headers_at = time.monotonic()
        self.events: list[tuple[float, str, dict]] = []

    def next(self):
        """The next event, or None at the end of the stream."""
        name, data = None, []
        while True:
            line = self.resp.readline()
            if not line:
                return None
            line = line.decode().rstrip("\r\n")
            if line.startswith("event: "):
                name = line[len("event: "):]
            elif line.startswith("data: "):
                data.append(line[len("data: "):])
            elif line == "" and name:
                event = (time.monotonic(), name, json.loads("\n".join(data)))
                self.events.append(event)
                return event

    def all(self):
        while self.next():
            pass
        return self.events

    def close(self):
        self.conn.sock.close()
        self.conn.close()


def start(api, base_url, message, conversation=None) -> Stream:
    body = {"message": message, "time_zone": "UTC"}
    if conversation:
        body["conversation_id"] = conversation
    return Stream(base_url, api.headers["Authorization"].split()[1], body)


def text_of(events):
    return "".join(data["text"] for _, name, data in events if name == "delta")


def test_the_first_text_reaches_the_client_before_the_model_finished(api, llm_server, model):
    words = "Here is what I found about your week, one piece at a time."
    model.script = [("chunks", say(words), 6, 0.25)]
    s = start(api, llm_server.base_url, "what about my week?")
    assert s.resp.status == 200 and s.resp.getheader("Content-Type").startswith("text/event-stream")
    assert s.resp.getheader("Transfer-Encoding") == "chunked"
    events = s.all()
    names = [name for _, name, _ in events]
    assert names[0] == "conversation" and names[-1] == "done", names
    deltas = [(at, data["text"]) for at, name, data in events if name == "delta"]
    assert len(deltas) >= 5, deltas
    last_chunk_sent = model.sent[-1][0]
    # The first piece was read by the client well before the model sent its last one.
    assert deltas[0][0] < last_chunk_sent - 0.5, (deltas[0][0], last_chunk_sent)
    assert deltas[0][0] - s.started < 1.0
    assert text_of(events) == words == events[-1][2]["message"]["text"]
    # Kept as any turn: the conversation has it.
    conversation = api.get(f"/api/conversations/{events[0][2]['conversation_id']}").json()
    assert [m["text"] for m in conversation["messages"]] == ["what about my week?", words]


def test_tool_calls_split_across_chunks_are_joined(api, llm_server, model):
    title = unique_word("split call")
    step = calls(("add_task", {"title": title, "priority": "high"}))
    model.script = [("chunks", step, 3, 0.01), ("chunks", say(f"Added {title}."), 4, 0.01)]
    # The arguments really went in many pieces.
    assert len(stream_deltas(step, 3)) > 10
    events = start(api, llm_server.base_url, f"add {title}").all()
    done = events[-1][2]
    assert events[-1][1] == "done", events
    [card] = [a for a in done["message"]["actions"] if a.get("change") == "added"]
    task = api.get(f"/api/tasks/{card['id']}").json()
    assert task["title"] == title and task["priority"] == "high"
    assert done["message"]["text"] == f"Added {title}." == text_of(events)
    tool = [m for m in model.requests[1]["messages"] if m["role"] == "tool"]
    assert len(tool) == 1 and json.loads(tool[0]["content"])["title"] == title


def test_a_model_that_stops_mid_answer_is_a_clear_message_and_nothing_half_done(api, llm_server, model):
    title = unique_word("never added")
    # The text starts, then the connection closes mid tool call: the call is never run.
    step = {"role": "assistant", "content": "Adding it now.",
            "tool_calls": calls(("add_task", {"title": title}))["tool_calls"]}
    model.script = [("cut", step, 4, 6)]
    events = start(api, llm_server.base_url, f"add {title}").all()
    text = events[-1][2]["message"]["text"]
    assert events[-1][1] == "done"
    assert text.startswith("Adding it now.\n\nThe language model stopped in the middle of its answer, "
                           "so I stopped. Nothing was changed."), text
    assert text_of(events) == text
    assert api.get("/api/tasks", params={"q": title}).json()["items"] == []
    assert len(model.requests) == 1  # nothing else was asked either


def test_a_client_that_goes_away_stops_the_turn_and_it_is_recorded(api, llm_server, model):
    title = unique_word("left behind")
    pieces = say("Let me think about that for a while. " * 4)
    model.script = [("chunks", pieces, 4, 0.2), calls(("add_task", {"title": title})), say("Done.")]
    s = start(api, llm_server.base_url, f"add {title} after thinking")
    _, name, data = s.next()
    assert name == "conversation"
    conversation = data["conversation_id"]
    while s.next()[1] != "delta":
        pass
    s.close()
    # The model's stream is dropped soon after, long before its end.
    total = len(stream_deltas(pieces, 4))
    time.sleep(1.5)
    assert len(model.sent) < total - 2, (len(model.sent), total)
    messages = wait_until(lambda: api.get(f"/api/conversations/{conversation}").json()["messages"],
                          "the turn recorded")
    assert messages[-1]["text"].endswith(
        "The chat was closed before I finished, so I stopped. Nothing was changed. Please try again."), \
        messages[-1]["text"]
    assert len(model.requests) == 1  # no further model call, no tool run
    assert api.get("/api/tasks", params={"q": title}).json()["items"] == []
    model.script.clear()


def test_a_user_over_their_share_gets_429_while_another_starts_at_once(api, llm_server, model):
    hostile_token = signup(llm_server.base_url).api.headers["Authorization"].split()[1]
    normal = api

    def answer(request):
        said = request["messages"][-1]["content"]
        if said.startswith("hostile"):
            time.sleep(2.5)  # a slow model for the hostile user's turns
        return say("ok " + said)

    model.script = [answer] * 20
    results: list[tuple[int, dict, float]] = []
    lock = threading.Lock()

    def fire(i):
        started = time.monotonic()
        s = Stream(llm_server.base_url, hostile_token, {"message": f"hostile {i}"})
        status = s.resp.status
        body = s.all() if status == 200 else json.loads(s.resp.read())
        with lock:
            results.append((status, {"retry_after": s.resp.getheader("Retry-After"), "body": body},
                            time.monotonic() - started))

    # Many conversations, many concurrent turns.
    threads = [threading.Thread(target=fire, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    time.sleep(0.3)  # the hostile turns are in
    s = start(normal, llm_server.base_url, "normal question")
    first_byte = s.headers_at - s.started
    events = s.all()
    normal_took = events[-1][0] - s.started
    for t in threads:
        t.join()
    assert s.resp.status == 200 and events[-1][2]["message"]["text"] == "ok normal question"
    assert first_byte < 0.5, first_byte
    assert normal_took < 1.0, normal_took  # it did not wait behind the slow hostile turns
    ok = [r for r in results if r[0] == 200]
    busy = [r for r in results if r[0] == 429]
    assert len(ok) == 1 and len(busy) == 7, [(r[0], r[2]) for r in results]
    for _, got, took in busy:
        assert got["body"]["error"]["code"] == "assistant_busy", got
        assert got["retry_after"] and int(got["retry_after"]) > 0
        assert took < 1.0  # refused at once, not queued
    model.script.clear()


def test_a_turn_waits_a_bounded_time_for_a_slot(llm_server, model):
    users = [signup(llm_server.base_url).api for _ in range(5)]

    def answer(request):
        time.sleep(3)
        return say("slow")

    model.script = [answer] * 5
    holders = [threading.Thread(target=lambda a=a: start(a, llm_server.base_url, "slow one").all())
               for a in users[:4]]
    for t in holders:
        t.start()
    time.sleep(0.5)  # the four slots are taken
    started = time.monotonic()
    s = start(users[4], llm_server.base_url, "a fifth")
    waited = time.monotonic() - started
    assert s.resp.status == 429, s.resp.status
    assert json.loads(s.resp.read())["error"]["code"] == "assistant_busy"
    assert 0.8 <= waited < 2.0, waited  # --llm-queue-wait 1
    for t in holders:
        t.join()
    model.script.clear()
    model.errors.clear()
