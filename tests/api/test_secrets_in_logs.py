"""No credential reaches the server log: a token in a query string is redacted, the Authorization
header is never logged."""

import time

from helpers import describe


def _log_after(server, marker: str, timeout: float = 5.0) -> str:
    deadline = time.monotonic() + timeout
    while True:
        text = server.log_path.read_text(errors="replace")
        if marker in text or time.monotonic() > deadline:
            return text


def test_tokens_never_reach_the_log(server, user):
    token = user.token
    signature = token.rsplit(".", 1)[1]
    anon = server.client()
    # A plain GET of the WebSocket route with the token in the query (the browser's way), one with
    # access_token, one upgrade request, and ordinary requests with the Authorization header.
    anon.get(f"/api/ws?token={token}&since=1")
    anon.get(f"/api/tasks?access_token={token}")
    anon.get("/api/ws", params={"token": token},
             headers={"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
                      "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}, timeout=5, stream=True).close()
    assert user.api.get("/api/me").status_code == 200
    bad = server.client(token=token + "x").get("/api/tasks?marker=secrets-in-logs-done")
    assert bad.status_code == 401, describe(bad)

    text = _log_after(server, "secrets-in-logs-done")
    assert "secrets-in-logs-done" in text
    assert token not in text
    assert signature not in text
    assert "Bearer" not in text
    assert "token=[redacted]" in text
