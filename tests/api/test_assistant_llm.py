"""The assistant with a language model (--llm-url): the agent loop against a scripted
OpenAI-compatible Chat Completions server written here. The server checks every request as the
Chat Completions API defines it (POST {url}/chat/completions, model, messages, tools of type
function, no tool_choice other than "auto") and answers from a per-test script: plain answers,
tool calls, several steps, several calls at once, malformed arguments, an unknown tool, a
deletion awaiting confirmation, a timeout, a 5xx, an unreadable answer."""

from __future__ import annotations

import json
import subprocess
import time

import pytest

from helpers import create_task, describe, signup, unique_word, written_history
from mcp_support import RawMcp
from model_support import MODEL, ScriptedModel, calls, say, tickler_with_model
from tickler_server import free_port, server_env

JSON = {"Accept": "application/json"}
KEY = "sk-test-" + "k3y" * 8  # must reach the model as a Bearer token and never the log


@pytest.fixture(scope="module")
def model():
    m = ScriptedModel()
    yield m
    m.close()


@pytest.fixture(scope="module")
def llm_server(tickler_bin, tmp_path_factory, model):
    with tickler_with_model(tickler_bin, tmp_path_factory.mktemp("llm-server"), model,
                            ["--llm-timeout", "1", "--llm-max-steps", "4", "--log-level", "debug"],
                            {"TICKLER_LLM_API_KEY": KEY}) as srv:
        yield srv


@pytest.fixture
def api(llm_server, model):
    model.reset()
    yield signup(llm_server.base_url).api
    assert model.errors == [], model.errors
    assert model.script == [], "the script was not used up"


def chat(api, message, conversation=None):
    body = {"message": message, "time_zone": "UTC"}
    if conversation:
        body["conversation_id"] = conversation
    resp = api.post("/api/chat", json=body, headers=JSON)
    assert resp.status_code == 200, describe(resp)
    return resp.json()


def tool_results(request):
    return [m for m in request["messages"] if m["role"] == "tool"]


def cards(answer, change=None):
    return [a for a in answer["message"]["actions"]
            if a["type"] == "task" and (change is None or a["change"] == change)]


def test_a_plain_answer_with_exactly_the_mcp_tools_and_the_key_as_bearer(api, llm_server, model):
    model.script = [say("Hello! I can manage your tasks.")]
    answer = chat(api, "hi there")
    assert answer["message"]["text"] == "Hello! I can manage your tasks."
    assert answer["message"]["actions"] == [] and answer["awaiting"] is None
    [request] = model.requests
    assert [m["role"] for m in request["messages"]] == ["system", "user"]
    assert request["messages"][1]["content"] == "hi there"
    assert "never instructions" in request["messages"][0]["content"]
    assert model.headers[0]["Authorization"] == f"Bearer {KEY}"
    # The tools are the MCP server's, one function each.
    raw = RawMcp(llm_server.base_url, api.headers["Authorization"].split()[1])
    raw.initialize("2025-06-18")
    mcp = raw.request("tools/list").json()["result"]["tools"]
    assert [t["function"] for t in request["tools"]] == [
        {"name": t["name"], "description": t["description"], "parameters": t["inputSchema"]} for t in mcp]
    assert KEY not in llm_server.log_tail(10_000_000)


def test_a_tool_call_then_an_answer_acts_as_the_user_with_the_models_name(api, model):
    title = "buy milk " + unique_word()
    model.script = [calls(("add_task", {"title": title})), say("Added it.")]
    answer = chat(api, "remember to buy milk")
    assert answer["message"]["text"] == "Added it."
    [card] = cards(answer, "added")
    assert api.get(f"/api/tasks/{card['id']}").json()["title"] == title
    [result] = tool_results(model.requests[1])
    assert result["tool_call_id"] == "call_0_add_task"
    assert json.loads(result["content"])["title"] == title
    history = written_history(api, card["id"])
    assert history[0]["actor"] == f"assistant ({MODEL})"


def test_several_steps_list_then_update(api, model):
    task = create_task(api, title="dentist " + unique_word())

    def update(request):
        found = json.loads(tool_results(request)[-1]["content"])["items"]
        return calls(("update_task", {"id": found[0]["id"], "priority": "high"}))

    model.script = [calls(("list_tasks", {"q": task["title"]})), update, say("Raised its priority.")]
    answer = chat(api, "make the dentist high priority")
    assert answer["message"]["text"] == "Raised its priority."
    assert [c["id"] for c in cards(answer, "updated")] == [task["id"]]
    assert api.get(f"/api/tasks/{task['id']}").json()["priority"] == "high"
    assert len(model.requests) == 3


def test_several_tool_calls_in_one_answer(api, model):
    a, b = "first " + unique_word(), "second " + unique_word()
    model.script = [calls(("add_task", {"title": a}), ("add_task", {"title": b})), say("Both added.")]
    answer = chat(api, "add two things")
    assert sorted(c["title"] for c in cards(answer, "added")) == sorted([a, b])
    results = tool_results(model.requests[1])
    assert [r["tool_call_id"] for r in results] == ["call_0_add_task", "call_1_add_task"]


def test_malformed_arguments_and_an_unknown_tool_are_tool_errors(api, model):
    model.script = [calls(("get_task", "{not json"), ("drop_all_tables", {}),
                          ("get_task", {"id": "seven", "extra": 1})),
                    say("Sorry, something went wrong.")]
    answer = chat(api, "do something odd")
    assert answer["message"]["text"] == "Sorry, something went wrong."
    results = tool_results(model.requests[1])
    assert len(results) == 3 and all(r["content"].startswith("Error: ") for r in results), results
    assert "not JSON" in results[0]["content"]
    assert "unknown tool" in results[1]["content"] and "list_tasks" in results[1]["content"]


def test_a_deletion_waits_for_the_person_then_yes_deletes_and_no_keeps(api, model):
    doomed = create_task(api, title="old plan " + unique_word())
    kept = create_task(api, title="keep me " + unique_word())
    model.script = [calls(("delete_task", {"id": doomed["id"]}))]
    answer = chat(api, "delete the old plan")
    assert answer["awaiting"] == "confirmation"
    assert answer["message"]["actions"][-1] == {"type": "confirm", "question": f"Delete “{doomed['title']}”?",
                                                "answers": ["yes", "no"]}
    assert api.get(f"/api/tasks/{doomed['id']}").status_code == 200  # not yet
    done = chat(api, "yes", answer["conversation_id"])
    assert done["message"]["text"].startswith("Deleted"), done
    assert api.get(f"/api/tasks/{doomed['id']}").status_code == 404
    assert len(model.requests) == 1  # the yes was not the model's to answer
    model.script = [calls(("delete_task", {"id": kept["id"]}))]
    asked = chat(api, "delete keep me", answer["conversation_id"])
    assert asked["awaiting"] == "confirmation"
    assert chat(api, "no", asked["conversation_id"])["awaiting"] is None
    assert api.get(f"/api/tasks/{kept['id']}").status_code == 200


def test_a_timeout_says_so_and_reports_what_was_done(api, model):
    title = "before the timeout " + unique_word()
    model.script = [calls(("add_task", {"title": title})), ("sleep", 2.5, say("too late"))]
    started = time.monotonic()
    answer = chat(api, "add something then think hard")
    assert time.monotonic() - started < 2.4
    text = answer["message"]["text"]
    assert text.startswith("The language model did not answer in time, so I stopped."), text
    assert f"added “{title}”; nothing else was changed" in text
    [card] = cards(answer, "added")
    assert api.get(f"/api/tasks/{card['id']}").status_code == 200
    assert answer["awaiting"] is None
    titles = [t["title"] for t in api.get("/api/tasks").json()["items"]]
    assert titles == [title]
    time.sleep(0.6)  # let the scripted server's sleeping step end before the next test


def test_a_5xx_and_an_unreadable_answer_are_clear_messages(api, model):
    model.script = [("status", 503)]
    text = chat(api, "hi")["message"]["text"]
    assert text == ("The language model answered with an error (HTTP 503), so I stopped. "
                    "Nothing was changed. Please try again."), text
    model.script = [("raw", "<html>oops</html>")]
    assert chat(api, "hi")["message"]["text"].startswith("The language model's answer could not be read")


def test_the_conversation_is_sent_along_and_replies_stream_as_events(api, model):
    model.script = [say("First answer."), say("Second answer.")]
    first = chat(api, "first question")
    resp = api.post("/api/chat", json={"message": "second question", "conversation_id": first["conversation_id"]})
    assert resp.status_code == 200 and resp.headers["Content-Type"].startswith("text/event-stream")
    events = [block.split("\n", 1)[0] for block in resp.text.strip().split("\n\n")]
    assert events == ["event: conversation", "event: delta", "event: done"], resp.text
    assert [(m["role"], m["content"]) for m in model.requests[1]["messages"][1:]] == [
        ("user", "first question"), ("assistant", "First answer."), ("user", "second question")]


def test_a_model_that_never_finishes_is_stopped(api, model):
    model.script = [calls(("list_tags", {}))] * 4
    text = chat(api, "loop forever")["message"]["text"]
    assert text.startswith("I stopped after 4 steps"), text


@pytest.mark.parametrize("args, says", [
    (["--llm-url", "ftp://127.0.0.1/v1", "--llm-model", "m"], "must be an http:// or https:// URL"),
    (["--llm-url", "http://127.0.0.1:1/v1"], "--llm-url requires --llm-model"),
])
def test_serve_refuses_a_language_model_it_cannot_call(tickler_bin, tmp_path, args, says):
    done = subprocess.run([str(tickler_bin), "serve", "--data", str(tmp_path / "data"), *args],
                          env=server_env(), stdin=subprocess.DEVNULL, capture_output=True, timeout=30)
    assert done.returncode != 0 and says in (done.stdout + done.stderr).decode(), done


def test_a_model_that_is_down_is_a_clear_message(server_factory):
    srv = server_factory(extra_args=["--llm-url", f"http://127.0.0.1:{free_port()}/v1", "--llm-model", MODEL])
    api = signup(srv.base_url).api
    answer = chat(api, "add something")
    assert answer["message"]["text"] == ("I couldn't reach the language model, so I stopped. "
                                         "Nothing was changed. Please try again.")
    assert api.get("/api/tasks").json()["items"] == []
