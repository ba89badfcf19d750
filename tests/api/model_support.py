"""A scripted OpenAI-compatible Chat Completions server for the assistant's language-model path
(tests/api/test_assistant_llm.py, tests/api/test_assistant_stream.py,
tests/integration/test_assistant_role.py): it checks every request against the API's rules and
answers from a script. A request with "stream": true is answered as the API streams
(Server-Sent Events of chat.completion.chunk, then `data: [DONE]`)."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tickler_server import TicklerServer

MODEL = "scripted-model"
ROLES = {"system", "user", "assistant", "tool"}


class ScriptedModel:
    """An OpenAI-compatible Chat Completions server on 127.0.0.1. Each request is checked, kept in
    `requests`, and answered by the next step of `script`: a dict (an assistant message), a
    callable (request body → assistant message), or ("status", code) / ("raw", text) /
    ("sleep", seconds, message). Streamed (the request's "stream": true), a message goes as one
    chunk of text and one per tool call, or in pieces: ("chunks", message, size, delay) sends
    the text and each call's arguments `size` characters a chunk, `delay` seconds apart;
    ("cut", message, size, n) sends the first n chunks and closes the connection (a model that
    stops mid-answer). `sent` keeps (time.monotonic(), chunk delta) of every chunk sent."""

    def __init__(self):
        self.script: list = []
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        self.errors: list[str] = []
        self.sent: list[tuple[float, dict]] = []
        self.lock = threading.Lock()
        model = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                problems = model.check(self.path, dict(self.headers), body)
                if problems:
                    with model.lock:
                        model.errors.extend(problems)
                    return self.reply(400, json.dumps({"error": {"message": "; ".join(problems)}}))
                request = json.loads(body)
                with model.lock:
                    model.requests.append(request)
                    model.headers.append(dict(self.headers))
                    step = model.script.pop(0) if model.script else None
                if step is None:
                    model.errors.append("a request past the end of the script")
                    return self.reply(500, "{}")
                if callable(step):
                    step = step(request)
                if isinstance(step, tuple) and step[0] == "status":
                    return self.reply(step[1], json.dumps({"error": {"message": "scripted"}}))
                if isinstance(step, tuple) and step[0] == "raw":
                    return self.reply(200, step[1])
                if isinstance(step, tuple) and step[0] == "sleep":
                    time.sleep(step[1])
                    step = step[2]
                if request.get("stream"):
                    return self.stream(step)
                finish = "tool_calls" if step.get("tool_calls") else "stop"
                self.reply(200, json.dumps({
                    "id": "chatcmpl-1", "object": "chat.completion", "created": int(time.time()),
                    "model": MODEL,
                    "choices": [{"index": 0, "message": step, "finish_reason": finish}],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}))

            def stream(self, step):
                size, delay, stop_after = None, 0.0, None
                if isinstance(step, tuple) and step[0] == "chunks":
                    _, step, size, delay = step
                elif isinstance(step, tuple) and step[0] == "cut":
                    _, step, size, stop_after = step
                deltas = stream_deltas(step, size)
                finish = "tool_calls" if step.get("tool_calls") else "stop"
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.send_header("Cache-Control", "no-cache")
                    self.end_headers()
                    for i, delta in enumerate(deltas):
                        if stop_after is not None and i == stop_after:
                            return  # the connection closes: no finish_reason, no [DONE]
                        if i and delay:
                            time.sleep(delay)
                        self.chunk({"index": 0, "delta": delta, "finish_reason": None})
                        with model.lock:
                            model.sent.append((time.monotonic(), delta))
                    self.chunk({"index": 0, "delta": {}, "finish_reason": finish})
                    self.wfile.write(b"data: [DONE]\n\n")
                    self.wfile.flush()
                except OSError:
                    pass  # the client went away

            def chunk(self, choice):
                data = json.dumps({"id": "chatcmpl-1", "object": "chat.completion.chunk",
                                   "created": int(time.time()), "model": MODEL, "choices": [choice]})
                self.wfile.write(f"data: {data}\n\n".encode())
                self.wfile.flush()

            def reply(self, status, text):
                data = text.encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (the timeout test)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def check(self, path: str, headers: dict, raw: bytes) -> list[str]:
        """What in a request breaks the Chat Completions API's rules."""
        p = []
        if path != "/v1/chat/completions":
            p.append(f"path {path}")
        if not headers.get("Content-Type", "").startswith("application/json"):
            p.append("Content-Type is not application/json")
        try:
            body = json.loads(raw)
        except ValueError:
            return p + ["the body is not JSON"]
        if body.get("model") != MODEL:
            p.append(f"model {body.get('model')!r}")
        if body.get("tool_choice", "auto") != "auto":
            p.append(f"tool_choice {body['tool_choice']!r}")
        if not isinstance(body.get("stream", False), bool):
            p.append("stream")
        if not isinstance(body.get("max_tokens"), int) or body["max_tokens"] <= 0:
            p.append("max_tokens")
        for t in body.get("tools", []):
            f = t.get("function", {})
            if t.get("type") != "function" or set(f) != {"name", "description", "parameters"} \
                    or f["parameters"].get("type") != "object":
                p.append(f"tool {t!r:.80}")
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            return p + ["no messages"]
        if messages[0].get("role") != "system":
            p.append("the first message is not the system prompt")
        if any(m.get("role") == "system" for m in messages[1:]):
            p.append("a system message after the first")  # tool output never becomes one
        open_calls: set[str] = set()
        for m in messages:
            role = m.get("role")
            if role not in ROLES:
                p.append(f"role {role!r}")
            if role in ("system", "user") and not isinstance(m.get("content"), str):
                p.append(f"{role} content")
            if role == "assistant":
                for c in m.get("tool_calls") or []:
                    fn = c.get("function", {})
                    if c.get("type") != "function" or not c.get("id") or not isinstance(fn.get("name"), str) \
                            or not isinstance(fn.get("arguments"), str):
                        p.append(f"tool call {c!r:.80}")
                    open_calls.add(c.get("id"))
                if not m.get("tool_calls") and not isinstance(m.get("content"), str):
                    p.append("assistant content")
            if role == "tool":
                if m.get("tool_call_id") not in open_calls or not isinstance(m.get("content"), str):
                    p.append(f"tool message {m!r:.80}")
                open_calls.discard(m.get("tool_call_id"))
        if open_calls:
            p.append(f"tool calls without their result: {sorted(open_calls)}")
        return p

    def reset(self):
        """Forgets the script and everything seen: a fresh model for the next test."""
        with self.lock:
            for kept in (self.script, self.requests, self.headers, self.errors, self.sent):
                kept.clear()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def stream_deltas(message: dict, size: int | None) -> list[dict]:
    """The chunk deltas of a streamed answer: the role, the text in pieces of `size` characters
    (whole when None), then each tool call: its index, id and name first, its arguments after in
    pieces of `size` (with the name when None)."""
    deltas: list[dict] = [{"role": "assistant"}]
    content = message.get("content") or ""
    n = size or max(1, len(content))
    deltas += [{"content": content[i:i + n]} for i in range(0, len(content), n)]
    for index, call in enumerate(message.get("tool_calls") or []):
        args = call["function"]["arguments"]
        deltas.append({"tool_calls": [{"index": index, "id": call["id"], "type": "function",
                                       "function": {"name": call["function"]["name"],
                                                    "arguments": "" if size else args}}]})
        if size:
            deltas += [{"tool_calls": [{"index": index, "function": {"arguments": args[j:j + size]}}]}
                       for j in range(0, len(args), size)]
    return deltas


def say(text):
    return {"role": "assistant", "content": text}


def calls(*each):
    return {"role": "assistant", "content": None, "tool_calls": [
        {"id": f"call_{i}_{name}", "type": "function",
         "function": {"name": name, "arguments": args if isinstance(args, str) else json.dumps(args)}}
        for i, (name, args) in enumerate(each)]}


@contextlib.contextmanager
def tickler_with_model(tickler_bin, root, model: ScriptedModel, flags: list[str], env=None):
    """`tickler serve` under root pointed at the scripted model (--llm-url, --llm-model and
    flags), stopped on exit."""
    srv = TicklerServer(tickler_bin, root / "data", root / "server.log",
                        ["--llm-url", model.url, "--llm-model", MODEL, *flags], env or {})
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()
