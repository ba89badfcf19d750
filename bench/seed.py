#!/usr/bin/env python3
"""Helpers for bench/run.sh, standard library only.

  seed.py probe  --base-url URL [--path /healthz]      exit 0 iff GET answers 200
  seed.py signup --base-url URL --email E --password P [--name N]
                                                      sign up, print the token
  seed.py tasks  --base-url URL --token T [--count 10000] [--threads 8]
                                                      create COUNT varied tasks, fast
"""
import argparse
import datetime
import http.client
import json
import random
import socket
import sys
import threading
import time
import urllib.parse

VERBS = ["Pay", "Call", "Email", "Buy", "Fix", "Review", "Write", "Plan", "Book", "Clean",
         "Renew", "Cancel", "Prepare", "Send", "Check", "Update", "Water", "Return", "Order", "Read"]
OBJECTS = ["rent", "dentist", "the landlord", "groceries", "bike tyre", "pull request", "report",
           "holiday", "flights", "kitchen", "passport", "gym membership", "slides", "invoice",
           "tax return", "blog post", "plants", "library books", "birthday present", "insurance"]
TAGS = ["home", "work", "money", "health", "errands", "family", "travel", "garden", "car",
        "admin", "reading", "shopping", "urgent", "someday", "phone", "email", "projects",
        "school", "sport", "friends", "kitchen", "bills", "music", "code", "ideas"]
PRIORITIES = ["high", "medium", "low", "none"]
PRIORITY_WEIGHTS = [1, 3, 3, 5]
DESCRIPTIONS = ["", "", "", "Remember to bring the papers.", "See the note from last week.",
                "Ask Ann first. Café on the corner, 3 pm.", "Needs about an hour."]


def connect(base_url, timeout=30.0):
    u = urllib.parse.urlsplit(base_url)
    if u.scheme != "http":
        raise SystemExit(f"seed.py: only http:// base URLs are supported, got {base_url!r}")
    conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=timeout)
    conn.connect()
    conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return conn


def task_body(i, due_start=datetime.date(2026, 12, 1), due_days=365):
    rnd = random.Random(i)
    title = f"{rnd.choice(VERBS)} {rnd.choice(OBJECTS)} #{i}"
    body = {"title": title,
            "priority": rnd.choices(PRIORITIES, PRIORITY_WEIGHTS)[0],
            "tags": rnd.sample(TAGS, rnd.choice([0, 1, 1, 2, 2, 3])),
            "time_zone": "Europe/Berlin"}
    desc = rnd.choice(DESCRIPTIONS)
    if desc:
        body["description"] = desc
    if rnd.random() < 0.8:  # 80 % have a due date, spread over due_days (a year) from due_start
        due = due_start + datetime.timedelta(days=rnd.randrange(due_days))
        body["due_at"] = f"{due.isoformat()}T{rnd.choice([8, 9, 12, 17, 20]):02d}:00:00Z"
    return json.dumps(body, separators=(",", ":")).encode()


def cmd_probe(args):
    try:
        conn = connect(args.base_url, timeout=2.0)
        conn.request("GET", args.path)
        resp = conn.getresponse()
        resp.read()
        return 0 if resp.status == 200 else 1
    except (OSError, http.client.HTTPException):
        return 1


def cmd_signup(args):
    body = {"email": args.email, "password": args.password}
    if args.name:
        body["name"] = args.name
    conn = connect(args.base_url)
    conn.request("POST", "/api/auth/signup", body=json.dumps(body).encode(),
                 headers={"Content-Type": "application/json"})
    resp = conn.getresponse()
    data = resp.read()
    if resp.status != 201:
        print(f"seed.py: signup answered {resp.status}: {data[:500]!r}", file=sys.stderr)
        return 1
    print(json.loads(data)["token"])
    return 0


def cmd_tasks(args):
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {args.token}"}
    lock = threading.Lock()
    next_index = [0]
    created = [0]
    failures = []

    def worker():
        conn = None
        while True:
            with lock:
                if failures or next_index[0] >= args.count:
                    break
                i = next_index[0]
                next_index[0] += 1
            body = task_body(i, args.due_start, args.due_days)
            for attempt in range(3):
                try:
                    if conn is None:
                        conn = connect(args.base_url)
                    conn.request("POST", "/api/tasks", body=body, headers=headers)
                    resp = conn.getresponse()
                    data = resp.read()
                    break
                except (OSError, http.client.HTTPException) as e:
                    if conn is not None:
                        conn.close()
                        conn = None
                    if attempt == 2:
                        with lock:
                            failures.append(f"task {i}: {e!r}")
                        return
            if resp.status != 201:
                with lock:
                    failures.append(f"task {i}: status {resp.status}: {data[:300]!r}")
                return
            if resp.will_close:
                conn.close()
                conn = None
            with lock:
                created[0] += 1
        if conn is not None:
            conn.close()

    start = time.monotonic()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(args.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    rate = created[0] / elapsed if elapsed > 0 else 0.0
    print(f"seeded {created[0]}/{args.count} tasks in {elapsed:.2f} s ({rate:.0f}/s, {args.threads} threads)")
    if failures or created[0] != args.count:
        for f in failures[:5]:
            print(f"seed.py: {f}", file=sys.stderr)
        return 1
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    pr = sub.add_parser("probe")
    pr.add_argument("--base-url", required=True)
    pr.add_argument("--path", default="/healthz")
    su = sub.add_parser("signup")
    su.add_argument("--base-url", required=True)
    su.add_argument("--email", required=True)
    su.add_argument("--password", required=True)
    su.add_argument("--name", default="")
    ta = sub.add_parser("tasks")
    ta.add_argument("--base-url", required=True)
    ta.add_argument("--token", required=True)
    ta.add_argument("--count", type=int, default=10000)
    ta.add_argument("--threads", type=int, default=8)
    ta.add_argument("--due-start", type=datetime.date.fromisoformat, default=datetime.date(2026, 12, 1),
                    help="first due date (YYYY-MM-DD)")
    ta.add_argument("--due-days", type=int, default=365, help="due dates spread over this many days")
    args = p.parse_args()
    return {"probe": cmd_probe, "signup": cmd_signup, "tasks": cmd_tasks}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
