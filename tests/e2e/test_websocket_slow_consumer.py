"""A WebSocket client that stops reading is closed with code 4008 once its send queue is full,
without holding up another connection of the same user."""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

import pytest
import websocket

from e2e_support import WsClient, iso_ms, now_ms, ws_url
from helpers import Api, create_task, describe

QUEUE_MESSAGES = 1024  # the server's per-connection send queue holds at most this many (or 4 MiB)
WRITERS = 4


def kernel_send_buffer_max() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/tcp_wmem").read_text().split()[2])
    except (OSError, IndexError, ValueError):
        return 4 * 1024 * 1024


def big_task() -> dict:
    # Past `at` reminders cost no events: they only make every task message larger.
    past = now_ms() - 3_600_000
    return {"title": "T" * 190, "description": "d" * 1000, "tags": [f"t{i:02d}" + "x" * 37 for i in range(20)],
            "reminders": [{"at": iso_ms(past - i)} for i in range(50)]}


def patch_many(base_url: str, token: str, task_id: int, count: int) -> None:
    """`count` title changes of one task, from WRITERS threads."""
    def write(k: int):
        api = Api(base_url, token=token)
        for i in range(k, count, WRITERS):
            resp = api.patch(f"/api/tasks/{task_id}", json={"title": f"{i:05d} " + "T" * 180})
            assert resp.status_code == 200, describe(resp)

    threads = [threading.Thread(target=write, args=(k,)) for k in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


@pytest.mark.slow
def test_a_client_that_does_not_read_is_closed_with_4008(server, user):
    stalled = websocket.create_connection(ws_url(server.base_url, user.token), timeout=10,
                                          http_no_proxy=["127.0.0.1"],
                                          sockopt=[(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)])
    reader = WsClient(ws_url(server.base_url, user.token))
    try:
        assert json.loads(stalled.recv())["type"] == "hello"
        reader.hello()
        big, small = create_task(user.api, **big_task()), create_task(user.api)
        big_size = len(json.dumps({"type": "task", "sequence": 0, "op": "updated", "task": big, "version": 1}))
        # The server cuts a connection off 5 s after it tried to close it (the close frame waits
        # behind what the kernel holds), so the stalled client must read again soon after the
        # overflow to find the close frame. First fill the kernel buffers with large messages
        # (at most what they hold: the server's queue cannot overflow yet), then overflow the
        # queue with more messages than it may hold.
        fill = kernel_send_buffer_max() // big_size
        overflow = QUEUE_MESSAGES + 64
        patch_many(server.base_url, user.token, big["id"], fill)
        patch_many(server.base_url, user.token, small["id"], overflow)
        produced = 2 + fill + overflow

        # The stalled client, reading again, finds a close frame with 4008 and not every message.
        received, code = 0, None
        stalled.settimeout(10)
        for _ in range(produced + 2):
            opcode, data = stalled.recv_data(control_frame=True)
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                code = int.from_bytes(data[:2], "big")
                break
            received += opcode == websocket.ABNF.OPCODE_TEXT
        assert code == 4008, f"closed with {code} after {received} of {produced} messages"
        assert received < produced, received

        # The other connection of the user kept up and got every change, in order.
        deadline = time.monotonic() + 20
        versions = {big["id"]: [], small["id"]: []}
        while sum(map(len, versions.values())) < fill + overflow and time.monotonic() < deadline:
            got = reader.next(deadline - time.monotonic())
            assert got is not None, f"the reading connection ended after {versions}"
            if got[1].get("op") == "updated":
                versions[got[1]["task"]["id"]].append(got[1]["version"])
        assert versions[big["id"]] == list(range(2, fill + 2)), versions
        assert versions[small["id"]] == list(range(2, overflow + 2)), versions
    finally:
        reader.close()
        stalled.abort()
        stalled.shutdown()
