#!/usr/bin/env python3
"""Issues H1 and H2's figure: 10,000 reminders due in one minute for 1,000 users to webhook, email,
Web Push and ntfy, each delivered exactly once per channel, none early, lateness p99 <= 2 s per
channel.

One `tickler serve` on loopback; every user signs up, gets an https webhook (a TLS receiver in
this process, its certificate signed by a CA made here and given to the server with --ca-file),
with email on an address confirmed through the mailed link (Mailpit: the link is read with its
HTTP API and POSTed), with push on a Web Push subscription (a browser's key pair made here; the
endpoint an https push service in this process), with ntfy on an ntfy topic (an https stand-in of
ntfy's JSON publish API in this process: the real server cannot be built here). Each channel's
receiver is on a loopback address of its own, so each is one destination host for the server, as
a push service or an ntfy server is for everyone. Then `--tasks` tasks, one reminder each, due
evenly over `--window` seconds from a start `--lead` seconds ahead (creation has to finish
first). Every arrival is recorded: a webhook, a push or an ntfy publish by its receiver's clock
on arrival, a mail by Mailpit's `Created` (when it stored the message, at the end of SMTP DATA).
After the window every push is checked (headers, VAPID JWT verified with py_vapid) and decrypted
(http_ece, aes128gcm) with the subscription's keys. Per channel: missing, duplicates (the same
X-Tickler-Delivery key / Message-ID / the push's `delivery` key twice), early (before remind_at:
a failure), and the lateness p50/p99/max against the remind_at this driver asked for. The reminder's own firing
(`fired_at` in the webhook body, the in-app notice's time) is the baseline: what delivery adds
is the channel's lateness minus it.

Bounded: it waits at most `--grace` seconds after the last remind_at. Writes
bench/out/deliveries.json. Exit 0 (1 with BENCH_STRICT=1 when a target is missed, 2 when the
run is invalid: setup failed or task creation ran into the window).
"""
from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import json
import os
import re
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from html import unescape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests" / "api"), str(ROOT / "tests" / "e2e")]

from e2e_support import iso_ms, now_ms  # noqa: E402
from helpers import describe, signup  # noqa: E402
from ntfy_support import NtfyStandIn  # noqa: E402
from push_support import Browser, check_vapid  # noqa: E402
from tickler_server import TicklerServer, free_port, tickler_binary  # noqa: E402
from webhook_receivers import TestCa  # noqa: E402

OUT = Path(os.environ.get("BENCH_OUT", ROOT / "bench" / "out"))
PUBLIC_URL = "https://tickler.example"  # the mailed links' base; the driver sends them to the server
PUSH_IP, NTFY_IP = "127.0.1.1", "127.0.2.1"  # one push service, one ntfy server: a destination each


def log(msg: str) -> None:
    print(f"[deliveries {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else None


class Receivers:
    """https receivers (webhooks, or a push service with status=201), one per loopback address in
    `ips` (each address is a destination host of its own for the server's per-host limit),
    recording every POST on arrival: {at (ms), path, headers, body}. `keep_alive`: HTTP/1.1 with
    connections kept between requests, as push services and most webhook receivers do; else
    HTTP/1.0, each connection closed after its answer."""

    def __init__(self, ips: list[str], cert: Path, key: Path, status: int = 200, path: str = "/hooks/tickler",
                 keep_alive: bool = True):
        self.arrivals: list[dict] = []
        self.servers, self.urls = [], []
        arrivals = self.arrivals
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1" if keep_alive else "HTTP/1.0"
            timeout = 60  # an idle kept connection is closed after a minute
            # An answer's head and body are two writes: without TCP_NODELAY the body waits for
            # the client's delayed ACK of the head (40 ms) on a kept connection.
            disable_nagle_algorithm = True

            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                arrivals.append({"at": time.time_ns() / 1e6, "path": self.path, "headers": dict(self.headers),
                                 "body": body})
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 128

        for ip in ips:
            httpd = Server((ip, 0), Handler)
            httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
            threading.Thread(target=httpd.serve_forever, daemon=True).start()
            self.servers.append(httpd)
            self.urls.append(f"https://{ip}:{httpd.server_address[1]}{path}")

    def close(self):
        for httpd in self.servers:
            httpd.shutdown()
            httpd.server_close()


def mailpit_binary() -> Path:
    if os.environ.get("MAILPIT"):
        return Path(os.environ["MAILPIT"])
    out = subprocess.run([str(ROOT / "tools/mailpit/build.sh")], check=True, capture_output=True, text=True)
    return Path(out.stdout.strip().splitlines()[-1])


class Mailpit:
    """Mailpit on free loopback ports, keeping every message (--max 0)."""

    def __init__(self, workdir: Path):
        self.smtp_port, self.api_port = free_port(), free_port()
        self.api = f"http://127.0.0.1:{self.api_port}/api/v1"
        self.smtp_url = f"smtp://127.0.0.1:{self.smtp_port}"
        self.log = open(workdir / "mailpit.log", "wb")
        self.proc = subprocess.Popen([str(mailpit_binary()), "--smtp", f"127.0.0.1:{self.smtp_port}", "--listen",
                                      f"127.0.0.1:{self.api_port}", "--database", str(workdir / "mailpit.db"),
                                      "--max", "0", "--smtp-disable-rdns", "--smtp-max-recipients", "10"],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if requests.get(self.api + "/messages", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        raise SystemExit("mailpit did not start")

    def total(self) -> int:
        return requests.get(self.api + "/messages", params={"limit": 1}, timeout=10).json()["messages_count"]

    def summaries(self) -> list[dict]:
        out, start = [], 0
        while True:
            page = requests.get(self.api + "/messages", params={"start": start, "limit": 1000}, timeout=60).json()
            out += page.get("messages") or []
            start += 1000
            if start >= page["messages_count"]:
                return out

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return float("nan")


def loadavg() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def parallel(fn, items, threads):
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        return list(pool.map(fn, items))


def confirm_addresses(srv, mp: Mailpit, users, threads: int) -> None:
    deadline = time.monotonic() + 120
    while mp.total() < len(users):
        if time.monotonic() > deadline:
            raise SystemExit(f"only {mp.total()} of {len(users)} confirmation mails arrived")
        time.sleep(0.5)

    def confirm(summary):
        html = requests.get(f"{mp.api}/message/{summary['ID']}", timeout=30).json()["HTML"]
        found = {unescape(re.sub(r"<[^>]+>", "", text)).strip(): unescape(href)
                 for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', html)}
        url = found["Confirm this address"]
        resp = requests.post(srv.base_url + url[len(PUBLIC_URL):], timeout=30)
        assert resp.status_code == 200, describe(resp)

    parallel(confirm, [m for m in mp.summaries() if "Confirm" in m["Subject"]], threads)
    states = parallel(lambda u: u.api.get("/api/me/channels/email").json()["state"], users, threads)
    if states.count("confirmed") != len(users):
        raise SystemExit(f"confirmed: {states.count('confirmed')} of {len(users)}")
    requests.delete(mp.api + "/messages", timeout=60)


def channel_figures(expected: dict[int, int], arrivals: list[tuple[int, float, str]]) -> dict:
    """expected: task index → remind_at ms; arrivals: (task index, arrival ms, dedupe key)."""
    seen: dict[str, int] = {}
    first: dict[int, float] = {}
    for index, at, key in arrivals:
        seen[key] = seen.get(key, 0) + 1
        first[index] = min(at, first.get(index, at))
    late = [first[i] - expected[i] for i in first if i in expected]
    buckets = [0, 10, 50, 100, 250, 500, 1000, 2000]
    histogram = {f"<{hi}ms": sum(1 for v in late if lo <= v < hi) for lo, hi in zip(buckets, buckets[1:])}
    histogram[">=2000ms"] = sum(1 for v in late if v >= 2000)
    # Whether delivery keeps up through the window: p99 of the reminders due in each 10 s.
    start, slices = min(expected.values(), default=0), {}
    for i in first:
        if i in expected:
            slices.setdefault((expected[i] - start) // 10_000, []).append(first[i] - expected[i])
    return {"expected": len(expected), "received": len(arrivals), "distinct": len(first),
            "missing": len(set(expected) - set(first)), "duplicates": sum(n - 1 for n in seen.values()),
            "early": sum(1 for v in late if v < 0), "unknown": len(set(first) - set(expected)),
            "lateness_ms": {"p50": round(pct(late, 50), 1) if late else None,
                            "p99": round(pct(late, 99), 1) if late else None,
                            "max": round(max(late), 1) if late else None},
            "histogram": histogram,
            "p99_by_10s_of_remind_at": [round(pct(slices[k], 99), 1) for k in sorted(slices)]}


def dispatch_figures(base_url: str) -> dict | None:
    """The notifier's dispatch passes from /metrics (tickler_delivery_dispatch_seconds and _heads):
    how many, their mean, and the bucket bound under which 99 % fall; None for a build without them."""
    try:
        text = requests.get(base_url + "/metrics", timeout=10).text
    except requests.RequestException:
        return None

    def histogram(name):
        buckets = [(float(le), float(v)) for le, v in
                   re.findall(rf'^{name}_bucket{{le="([^"]+)"}} (\S+)$', text, re.MULTILINE)]
        total = re.search(rf"^{name}_sum (\S+)$", text, re.MULTILINE)
        count = re.search(rf"^{name}_count (\S+)$", text, re.MULTILINE)
        if not buckets or not count or float(count.group(1)) == 0:
            return None
        n = float(count.group(1))
        p99 = next((le for le, v in sorted(buckets) if v >= 0.99 * n), float("inf"))
        return {"count": int(n), "mean": float(total.group(1)) / n, "p99_at_most": p99}

    seconds, heads = histogram("tickler_delivery_dispatch_seconds"), histogram("tickler_delivery_dispatch_heads")
    if not seconds or not heads:
        return None
    return {"passes": seconds["count"], "mean_ms": round(seconds["mean"] * 1000, 2),
            "p99_ms_at_most": seconds["p99_at_most"] * 1000, "heads_mean": round(heads["mean"], 1),
            "heads_p99_at_most": heads["p99_at_most"]}


def push_figures(push: Receivers, browsers: list[Browser], public_key: str, task_index: dict[int, int],
                 expected: dict[int, int]) -> dict:
    """Every push checked (headers, VAPID JWT) and decrypted with its subscription's keys; its
    task and remind_at must be the subscriber's own. Arrivals keyed by the message's `delivery`."""
    audience = push.urls[0].rsplit("/push", 1)[0]
    arrivals, invalid = [], []
    for request in list(push.arrivals):
        try:
            n = int(request["path"].rsplit("/u", 1)[1])
            check_vapid(request, public_key, audience)
            message = browsers[n].decrypt(request["body"])
            index = task_index.get(message.get("task_id"), -1)
            assert index in expected and index % len(browsers) == n, f"task {message.get('task_id')} for u{n}"
            assert message["remind_at"] == iso_ms(expected[index]), message["remind_at"]
            arrivals.append((index, request["at"], message["delivery"]))
        except Exception as e:  # noqa: BLE001 - counted and shown, whatever it is
            invalid.append(f"{request['path']}: {e!r}"[:300])
    figures = channel_figures(expected, arrivals)
    figures.update(invalid=len(invalid), invalid_examples=invalid[:3])
    return figures


def ntfy_figures(ntfy: NtfyStandIn, users: int, task_index: dict[int, int], expected: dict[int, int]) -> dict:
    """Every publish: its task (from `click`) must be its topic's user's; keyed by X-Tickler-Delivery."""
    arrivals, invalid = [], 0
    for request in list(ntfy.requests):
        body = json.loads(request["body"])
        found = re.search(r"[?&]task=(\d+)", body.get("click", ""))
        index = task_index.get(int(found.group(1)), -1) if found else -1
        if index < 0 or body.get("topic") != f"bench-u{index % users}":
            invalid += 1
        arrivals.append((index, request["at"], request["headers"].get("X-Tickler-Delivery", "")))
    figures = channel_figures(expected, arrivals)
    figures["invalid"] = invalid
    return figures


def summary(result: dict) -> None:
    for name, c in result["channels"].items():
        late = c["lateness_ms"]
        log(f"{name:>26}: {c['distinct']}/{c['expected']} delivered, missing {c['missing']}, duplicates "
            f"{c['duplicates']}, early {c['early']}{', invalid ' + str(c['invalid']) if 'invalid' in c else ''}; "
            f"lateness p50 {late['p50']} ms, p99 {late['p99']} ms, max {late['max']} ms")
    log(f"load (1-min average) {result['load']['loadavg_1m_start']} -> {result['load']['loadavg_1m_max']}, "
        f"CPU % of one core {result['load']['cpu_percent_of_one_core']}")


def run(args, tmp: Path) -> dict:
    ips = [f"127.0.0.{k + 1}" for k in range(args.webhook_hosts)]
    test_ca = TestCa(tmp / "ca", "Tickler bench CA", extra_ips=(*ips, PUSH_IP, NTFY_IP))
    ca, cert, key = test_ca.ca_file, test_ca.cert_file, test_ca.key_file
    keep = args.keep_alive
    receivers = Receivers(ips, cert, key, keep_alive=keep)
    push = Receivers([PUSH_IP], cert, key, status=201, path="/push", keep_alive=keep) if args.push else None
    ntfy = NtfyStandIn(host=NTFY_IP, tls=(cert, key), keep_alive=keep) if args.ntfy else None
    mp = Mailpit(tmp) if args.email else None
    server_args = ["--allowed-destinations", "127.0.0.0/8", "--ca-file", str(ca), "--public-url", PUBLIC_URL,
                   *args.server_args.split()]
    if mp:
        server_args += ["--smtp-url", mp.smtp_url, "--smtp-from", "Tickler <tickler@bench.example>"]
    srv = TicklerServer(tickler_binary(), tmp / "data", tmp / "server.log", server_args,
                        env_extra={"TICKLER_LOG_LEVEL": "warn"}).start()
    try:
        t = time.monotonic()
        def new_user(n):
            user = signup(srv.base_url, email=f"u{n}@bench.example", name=f"User {n}")
            # Signing up 1,000 users takes minutes: an early user's kept-alive connection would
            # meet the server's 60 s idle timeout just as it is reused.
            user.api.close()
            return user

        users = parallel(new_user, range(args.users), args.threads)
        log(f"{len(users)} users signed up in {time.monotonic() - t:.1f} s")
        browsers = [Browser(f"{push.urls[0]}/u{n}") for n in range(len(users))] if push else []
        public_key = users[0].api.get("/api/me/channels/push/vapid-key").json()["public_key"] if push else ""

        def channels(pair):
            n, user = pair
            resp = user.api.put("/api/me/webhook", json={"url": receivers.urls[n % len(ips)]})
            assert resp.status_code == 200, describe(resp)
            if mp:
                resp = user.api.put("/api/me/channels/email", json={"address": f"u{n}@bench.example"})
                assert resp.status_code == 202, describe(resp)
            if push:
                resp = user.api.post("/api/me/channels/push", json=browsers[n].subscription)
                assert resp.status_code == 201, describe(resp)
            if ntfy:
                resp = user.api.put("/api/me/channels/ntfy", json={"server": ntfy.url, "topic": f"bench-u{n}"})
                assert resp.status_code == 200, describe(resp)

        t = time.monotonic()
        parallel(channels, list(enumerate(users)), args.threads)
        if mp:
            confirm_addresses(srv, mp, users, args.threads)
        log(f"webhooks set{', addresses confirmed' if mp else ''}{', push subscribed' if push else ''}"
            f"{', ntfy topics set' if ntfy else ''} in {time.monotonic() - t:.1f} s")

        start = now_ms() + int(args.lead * 1000)
        window = int(args.window * 1000)
        expected = {i: start + i * window // args.tasks for i in range(args.tasks)}

        def create(i):
            user = users[i % len(users)]
            resp = user.api.post("/api/tasks", json={"title": f"bench {i}", "reminders": [{"at": iso_ms(expected[i])}]})
            assert resp.status_code == 201, describe(resp)
            return resp.json()["id"], i

        t = time.monotonic()
        task_index = dict(parallel(create, range(args.tasks), args.threads))
        created_at = now_ms()
        log(f"{args.tasks} tasks created in {time.monotonic() - t:.1f} s, {(start - created_at) / 1000:.1f} s "
            f"before the first remind_at")
        pids = {"tickler": srv.proc.pid, "driver": os.getpid(), **({"mailpit": mp.proc.pid} if mp else {})}
        while now_ms() < start:
            time.sleep(0.05)
        cpu0 = {name: cpu_seconds(pid) for name, pid in pids.items()}
        loads, end = [loadavg()], start + window
        deadline = end + int(args.grace * 1000)
        want = args.tasks

        def all_arrived():
            return (len(receivers.arrivals) >= want and (not push or len(push.arrivals) >= want)
                    and (not ntfy or len(ntfy.requests) >= want) and (not mp or mp.total() >= want))

        while now_ms() < deadline:
            time.sleep(1)
            loads.append(loadavg())
            if now_ms() > end and all_arrived():
                break
        elapsed = (now_ms() - start) / 1000
        cpu = {name: round((cpu_seconds(pid) - cpu0[name]) / elapsed * 100, 1) for name, pid in pids.items()}
        time.sleep(2)  # late duplicates, if any

        hooks, fired = [], []
        for arrival in list(receivers.arrivals):
            at, dkey, doc = arrival["at"], arrival["headers"].get("X-Tickler-Delivery", ""), json.loads(arrival["body"])
            index = task_index.get(doc.get("task_id"), -1)
            hooks.append((index, at, dkey))
            if index in expected and doc.get("fired_at"):
                fired.append((index, datetime.datetime.fromisoformat(doc["fired_at"].replace("Z", "+00:00"))
                              .timestamp() * 1000, dkey))
        dispatch = dispatch_figures(srv.base_url)
        result = {"webhook": channel_figures(expected, hooks),
                  "reminder_fired (baseline)": channel_figures(expected, fired)}
        if mp:
            mails = []
            for m in mp.summaries():
                found = re.fullmatch(r"Reminder: bench (\d+)", m.get("Subject", ""))
                created = datetime.datetime.fromisoformat(m["Created"].replace("Z", "+00:00")).timestamp() * 1000
                mails.append((int(found.group(1)) if found else -1, created, m.get("MessageID", "")))
            result["email"] = channel_figures(expected, mails)
        if push:
            t = time.monotonic()
            result["push"] = push_figures(push, browsers, public_key, task_index, expected)
            log(f"{len(push.arrivals)} pushes checked and decrypted in {time.monotonic() - t:.1f} s")
        if ntfy:
            result["ntfy"] = ntfy_figures(ntfy, len(users), task_index, expected)
        return {"settings": {"users": args.users, "tasks": args.tasks, "window_s": args.window,
                             "webhook_hosts": args.webhook_hosts, "email": bool(mp), "push": bool(push),
                             "ntfy": bool(ntfy), "keep_alive": keep,
                             "binary": str(tickler_binary()), "server_args": server_args,
                             "cores": os.cpu_count(),
                             "lead_left_s": round((start - created_at) / 1000, 1)},
                "channels": result,
                "dispatch": dispatch,
                "load": {"loadavg_1m_start": loads[0], "loadavg_1m_max": max(loads),
                         "cpu_percent_of_one_core": cpu, "measured_s": round(elapsed, 1)},
                "valid": created_at < start}
    finally:
        srv.stop()
        receivers.close()
        for extra in (push, ntfy):
            if extra:
                extra.close()
        if mp:
            mp.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--tasks", type=int, default=10000, help="tasks, one reminder each")
    parser.add_argument("--window", type=float, default=60, help="seconds the remind_at times spread over")
    parser.add_argument("--lead", type=float, default=45, help="seconds from the setup's end to the first remind_at")
    parser.add_argument("--grace", type=float, default=60, help="seconds to wait after the last remind_at")
    parser.add_argument("--webhook-hosts", type=int, default=1, help="loopback addresses the webhooks spread over")
    parser.add_argument("--no-email", dest="email", action="store_false", help="no email channel")
    parser.add_argument("--no-push", dest="push", action="store_false", help="no Web Push subscriptions")
    parser.add_argument("--no-ntfy", dest="ntfy", action="store_false", help="no ntfy topics")
    parser.add_argument("--no-keep-alive", dest="keep_alive", action="store_false",
                        help="the https receivers close each connection after its answer (HTTP/1.0)")
    parser.add_argument("--threads", type=int, default=8, help="the driver's setup threads")
    parser.add_argument("--server-args", default="", help="more tickler serve arguments")
    args = parser.parse_args()
    # bench/deliveries.sh's timeout sends SIGTERM: unwind, so that the server and Mailpit stop.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tickler-deliveries-") as tmp:
        result = run(args, Path(tmp))
    text = json.dumps(result, indent=2)
    print(text)
    summary(result)
    (OUT / "deliveries.json").write_text(text + "\n")
    if not result["valid"]:
        sys.exit(2)
    missed = any(c["missing"] or c["duplicates"] or c["early"] or c.get("invalid")
                 or (c["lateness_ms"]["p99"] or 1e9) > 2000
                 for name, c in result["channels"].items() if "baseline" not in name)
    sys.exit(1 if missed and os.environ.get("BENCH_STRICT") == "1" else 0)


if __name__ == "__main__":
    main()
