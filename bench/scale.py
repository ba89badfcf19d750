#!/usr/bin/env python3
"""bench/scale.sh's driver (standard library only): cost as data and users grow.

One embedded instance (`tickler serve`) is seeded over the API in steps (bench/lua/seed_tasks.lua
under wrk, so the database is the one the API builds) and measured at each size with wrk: every
query of the issue (list, next page, common word, rare word, two prefixes, tag + priority,
priority alone, create) against /healthz of the same step, plus RSS, database and WAL bytes, and start-up time
(a restart over the data). Then the shape "the same user's tasks alone → among many users":
one user with K tasks alone, then the same K tasks among U users × K tasks.

  scale.py --bin build/tickler --out bench/out/scale [--sizes 10000,100000,1000000]
           [--users 1000] [--user-tasks 1000] [--duration 5] [--conns 16] [--serve-arg ARG]…
           [--pg-state DIR [--pg-seed sql|api]]

On PostgreSQL, seeding over the API goes at 500–900 tasks/s (1M tasks: 20–30 minutes), so by
default (--pg-seed sql) the tasks are written by bench/pg_seed.sql's tickler_seed_tasks instead:
the rows the store writes for the same kind of task (the same vocabulary, tags, priorities and
due dates; its search vectors and tag rows), without the outbox rows the API also writes. Each
database is checked first: tasks created over the API (seed_tasks.lua, another user) must have
the search vector the SQL builds (tickler_seed_check() = 0) and every task its tag rows.
"""
import argparse
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
SECRET = "tickler-bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
PASSWORD = "bench-password-0123"

# (name, path or None for the POST create run, authorised)
QUERIES = [
    ("healthz", "/healthz", False),
    ("list", "/api/tasks?limit=50", True),
    ("page", None, True),  # the second page of the list, by its cursor
    ("q common", "/api/tasks?q=pay&limit=50", True),
    ("q rare", "/api/tasks?q=zanzibar&limit=50", True),
    ("q two prefixes", "/api/tasks?q=pa%20re&limit=50", True),
    ("tag+priority", "/api/tasks?tag=home&priority=high&limit=50", True),
    ("priority", "/api/tasks?priority=high&limit=50", True),
    ("create", "CREATE", True),
]


def log(msg):
    print(f"[scale] {msg}", file=sys.stderr, flush=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def request(port, method, path, body=None, token=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, body=json.dumps(body).encode() if body is not None else None,
                 headers=headers)
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, data


class Server:
    """`tickler serve` over a data directory (SQLite), or the api role over a PostgreSQL
    database (`database_url`: no sidecar — the outbox is kept, not published; the queries
    measured do not touch it)."""

    def __init__(self, binary, data, out, extra, database_url=None):
        self.binary, self.data, self.out, self.extra = binary, data, out, extra
        self.database_url = database_url
        self.port = free_port()
        self.proc = None

    def command(self):
        if self.database_url:
            return [self.binary, "api", "--host", "127.0.0.1", "--port", str(self.port),
                    "--database-url", self.database_url, "--log-level", "warn", *self.extra]
        return [self.binary, "serve", "--host", "127.0.0.1", "--port", str(self.port), "--data",
                self.data, *self.extra]

    def start(self):
        """Starts the server; returns the seconds until /healthz answered 200."""
        env = dict(os.environ, TICKLER_JWT_SECRET=SECRET)
        logf = open(os.path.join(self.out, "server.log"), "ab")
        t0 = time.monotonic()
        self.proc = subprocess.Popen(self.command(), stdout=logf, stderr=subprocess.STDOUT,
                                     env=env)
        deadline = t0 + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"scale.py: server exited during start-up (see {self.out}/server.log)")
            try:
                status, _ = request(self.port, "GET", "/healthz")
                if status == 200:
                    return time.monotonic() - t0
            except OSError:
                pass
            time.sleep(0.005)
        raise SystemExit("scale.py: /healthz did not answer within 120 s")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def rss_mb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def files(self):
        """(database bytes, WAL bytes); PostgreSQL: the tasks table with its indexes, the tag
        rows and the word rows (task_tags, task_words, where the schema has them), no WAL."""
        if self.database_url:
            out = subprocess.run(["psql", "-Atq", self.database_url, "-c",
                                  "SELECT pg_total_relation_size('tasks') + coalesce("
                                  "pg_total_relation_size(to_regclass('task_tags')), 0) + "
                                  "coalesce(pg_total_relation_size(to_regclass('task_words')), 0)"],
                                 capture_output=True, text=True, check=True).stdout
            return int(out.strip() or 0), 0
        db = os.path.join(self.data, "tickler.db")
        size = lambda p: os.path.getsize(p) if os.path.exists(p) else 0
        return size(db), size(db + "-wal")


def signup_many(port, count, prefix):
    tokens = [None] * count
    lock = threading.Lock()
    nxt = [0]

    def worker():
        while True:
            with lock:
                i = nxt[0]
                nxt[0] += 1
            if i >= count:
                return
            status, data = request(port, "POST", "/api/auth/signup",
                                   {"email": f"{prefix}{i}@bench.example", "password": PASSWORD})
            if status != 201:
                raise SystemExit(f"scale.py: signup answered {status}: {data[:200]!r}")
            tokens[i] = json.loads(data)["token"]

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if any(t is None for t in tokens):
        raise SystemExit("scale.py: a signup failed")
    return tokens


def seed(server, tokens, first, stride, count, out, label):
    """Creates `count` tasks over the API; returns figures of the seeding."""
    tokens_file = os.path.join(out, "tokens.txt")
    with open(tokens_file, "w") as f:
        f.write("\n".join(tokens) + "\n")
    done = tempfile.mkdtemp(prefix="seed-done-", dir=out)
    threads = 2
    env = dict(os.environ, BENCH_LUA_DIR=os.path.join(HERE, "lua"), TICKLER_TOKENS_FILE=tokens_file,
               SEED_FIRST=str(first), SEED_STRIDE=str(stride), SEED_COUNT=str(count),
               SEED_THREADS=str(threads), SEED_DONE_DIR=done,
               BENCH_RESULT=os.path.join(out, f"seed-{label}.json"))
    t0 = time.monotonic()
    with open(os.path.join(out, f"seed-{label}.txt"), "w") as wout:
        wrk = subprocess.Popen(["wrk", f"-t{threads}", "-c16", "-d86400s", "--latency", "-s",
                                os.path.join(HERE, "lua", "seed_tasks.lua"),
                                f"http://127.0.0.1:{server.port}"], stdout=wout,
                               stderr=subprocess.STDOUT, env=env)
        max_wal = 0
        while len(os.listdir(done)) < min(threads, count):
            if wrk.poll() is not None:
                raise SystemExit(f"scale.py: wrk ended while seeding (see {out}/seed-{label}.txt)")
            max_wal = max(max_wal, server.files()[1])
            time.sleep(0.2)
        elapsed = time.monotonic() - t0
        wrk.send_signal(signal.SIGINT)
        wrk.wait()
    text = open(os.path.join(out, f"seed-{label}.txt")).read()
    if "Non-2xx" in text:
        raise SystemExit(f"scale.py: some seeding requests failed (see {out}/seed-{label}.txt)")
    lat = json.load(open(os.path.join(out, f"seed-{label}.json")))["latency_us"]
    log(f"seeded {count} tasks in {elapsed:.1f} s ({count / elapsed:.0f}/s), WAL max "
        f"{max_wal / 2**20:.0f} MB, create latency max {lat['max'] / 1000:.0f} ms")
    return {"count": count, "seconds": round(elapsed, 1), "per_s": round(count / elapsed),
            "wal_max_mb": round(max_wal / 2**20, 1), "latency_max_ms": lat["max"] / 1000,
            "latency_p99_ms": lat["p99"] / 1000}


def psql(url, sql):
    return subprocess.run(["psql", "-Atq", "-v", "ON_ERROR_STOP=1", url, "-c", sql],
                          capture_output=True, text=True, check=True).stdout.strip()


def seed_sql(server, prefix, count, first_sql, rare_sql, label):
    """PostgreSQL: `count` tasks for each user whose email is <prefix><n>@…, by
    bench/pg_seed.sql in one statement (user n's first task index and rare-word spacing are
    SQL expressions of n); then what autovacuum does to a database the API fills over time:
    statistics, and a visibility map that marks the pages all-visible, so index-only scans do
    not visit the heap. The seeding commits synchronously and a second VACUUM cleans the
    indexes: with tools/postgres/pg.sh's asynchronous commit, a VACUUM right after the seeding
    cannot yet mark its pages (their commit is not flushed), and one that skips index cleanup
    leaves pages with dead line pointers unmarked (the seeding's triggers rewrite rows). The
    share of pages marked is recorded."""
    t0 = time.monotonic()
    total = int(subprocess.run(
        ["psql", "-Atq", "-v", "ON_ERROR_STOP=1", server.database_url, "-c",
         "SET synchronous_commit = on", "-c",
         f"SELECT sum(tickler_seed_tasks(id, {count}, ({first_sql})::int, "
         f"({rare_sql})::int)) FROM (SELECT id, substring(email FROM "
         f"'^{prefix}([0-9]+)@')::int AS n FROM users WHERE email LIKE '{prefix}%') u"],
        capture_output=True, text=True, check=True).stdout.split()[-1])
    elapsed = time.monotonic() - t0
    psql(server.database_url, "VACUUM ANALYZE")
    psql(server.database_url, "VACUUM (INDEX_CLEANUP ON)")
    visible = {}
    for row in psql(server.database_url,
                    "SELECT relname, round(relallvisible::numeric / greatest(relpages, 1), 3) "
                    "FROM pg_class WHERE relname IN ('tasks', 'task_tags', 'task_words')"
                    ).splitlines():
        name, share = row.split("|")
        visible[name] = float(share)
    log(f"seeded {total} tasks by SQL in {elapsed:.1f} s ({total / elapsed:.0f}/s), {label}; "
        f"pages all-visible: {visible}")
    return {"count": total, "seconds": round(elapsed, 1), "per_s": round(total / elapsed),
            "by": "bench/pg_seed.sql", "all_visible": visible}


def check_sql_seeding(server, out):
    """The SQL seeding writes what the API writes: 300 tasks created over the API (another
    user, seed_tasks.lua's bodies) have the search vectors tickler_seed_search_vector builds,
    every task's tags have their task_tags rows and its words their task_words rows (where the
    schema has them), no more."""
    token = signup_many(server.port, 1, "check")[0]
    seed(server, [token], 0, 1, 300, out, "check")
    differ = int(psql(server.database_url, "SELECT tickler_seed_check()"))
    tag_rows = 0
    if psql(server.database_url, "SELECT to_regclass('task_tags') IS NOT NULL") == "t":
        tag_rows = int(psql(server.database_url,
                            "SELECT (SELECT count(*) FROM tasks t, unnest(t.tags) g(tag) WHERE "
                            "NOT EXISTS (SELECT FROM task_tags x WHERE x.task_id = t.id AND "
                            "x.tag = g.tag AND x.priority = t.priority AND x.created_at = "
                            "t.created_at AND x.due_sort = t.due_sort AND x.title_key = "
                            "t.title_key)) + (SELECT count(*) FROM task_tags x WHERE NOT EXISTS "
                            "(SELECT FROM tasks t WHERE t.id = x.task_id AND x.tag = ANY (t.tags)))"))
    word_rows = 0
    if psql(server.database_url, "SELECT to_regclass('task_words') IS NOT NULL") == "t":
        word_rows = int(psql(server.database_url,
                             "SELECT (SELECT count(*) FROM tasks t, unnest(tsvector_to_array("
                             "t.search)) w(word) WHERE NOT EXISTS (SELECT FROM task_words x WHERE "
                             "x.user_id = t.user_id AND x.word = w.word AND x.created_at = "
                             "t.created_at AND x.task_id = t.id)) + (SELECT count(*) FROM "
                             "task_words x WHERE NOT EXISTS (SELECT FROM tasks t WHERE t.id = "
                             "x.task_id AND x.word = ANY (tsvector_to_array(t.search))))"))
    if differ or tag_rows or word_rows:
        raise SystemExit(f"scale.py: the SQL seeding differs from the API's: {differ} search "
                         f"vectors, {tag_rows} tag rows, {word_rows} word rows")
    log("checked: the API's tasks have the search vectors and tag rows the SQL seeding writes")


def seed_curve(server, token, args, first, count, label):
    if args.pg_state and args.pg_seed == "sql":
        return seed_sql(server, "curve", count, str(first), "20000", label)
    return seed(server, [token], first, 1, count, args.out, label)


def wrk_run(server, token, name, path, duration, conns, out, label):
    fname = re.sub(r"[^a-z0-9]+", "-", f"{label}-{name}")
    result = os.path.join(out, fname + ".json")
    env = dict(os.environ, BENCH_LUA_DIR=os.path.join(HERE, "lua"), TICKLER_TOKEN=token or "x",
               BENCH_RESULT=result)
    script = "create.lua" if path == "CREATE" else ("list.lua" if token else "healthz.lua")
    url = f"http://127.0.0.1:{server.port}" + ("/api/tasks" if path == "CREATE" else path)
    with open(os.path.join(out, fname + ".txt"), "w") as wout:
        subprocess.run(["wrk", "-t2", f"-c{conns}", f"-d{duration}s", "--latency", "-s",
                        os.path.join(HERE, "lua", script), url], stdout=wout,
                       stderr=subprocess.STDOUT, env=env, check=True)
    text = open(os.path.join(out, fname + ".txt")).read()
    r = json.load(open(result))
    if "Non-2xx" in text or r["errors"]["status"] or r["errors"]["timeout"]:
        raise SystemExit(f"scale.py: run {fname} had errors (see {out}/{fname}.txt)")
    return {"rps": round(r["rps"]), "p50_ms": r["latency_us"]["p50"] / 1000,
            "p99_ms": r["latency_us"]["p99"] / 1000}


def measure(server, token, args, label):
    """Every query of the step under wrk; with SCALE_MEASURE_LOCK (a file, e.g.
    /tmp/tickler-build.lock) held meanwhile (flock), so that no build runs during the runs but
    seeding leaves it free."""
    lock_path = os.environ.get("SCALE_MEASURE_LOCK")
    if not lock_path:
        return measure_queries(server, token, args, label)
    import fcntl
    with open(lock_path, "a") as lock:
        log(f"{label}: waiting for {lock_path}")
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return measure_queries(server, token, args, label)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def measure_queries(server, token, args, label):
    figures = {}
    for name, path, auth in QUERIES:
        if name == "page":
            status, data = request(server.port, "GET", "/api/tasks?limit=50", token=token)
            cursor = json.loads(data).get("next_cursor")
            if not cursor:
                continue
            path = "/api/tasks?limit=50&cursor=" + urllib.parse.quote(cursor)
        if auth and path != "CREATE":
            status, data = request(server.port, "GET", path, token=token)
            if status != 200:
                raise SystemExit(f"scale.py: {path} answered {status}: {data[:200]!r}")
            figures.setdefault("hits", {})[name] = len(json.loads(data)["items"])
        figures[name] = wrk_run(server, token if auth else None, name, path, args.duration,
                                args.conns, args.out, label)
        log(f"{label} {name}: {figures[name]['rps']}/s, p99 {figures[name]['p99_ms']} ms")
    figures["rss_mb"] = round(server.rss_mb(), 1)
    return figures


def task_count(server):
    """Every task in the database: the seeded ones and those the create runs added."""
    if server.database_url:
        out = subprocess.run(["psql", "-Atq", server.database_url, "-c",
                              "SELECT count(*) FROM tasks"], capture_output=True, text=True,
                             check=True).stdout
        return int(out.strip())
    import sqlite3
    conn = sqlite3.connect(f"file:{os.path.join(server.data, 'tickler.db')}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM tasks").fetchone()[0]
    finally:
        conn.close()


def step_files(server):
    db, wal = server.files()
    tasks = task_count(server)
    return {"tasks_total": tasks, "db_mb": round(db / 2**20, 1), "wal_mb": round(wal / 2**20, 1),
            "bytes_per_task": round(db / tasks) if tasks else 0}


def database(args, name):
    """A fresh PostgreSQL database for one run (None: SQLite)."""
    if not args.pg_state:
        return None
    pg = os.path.join(HERE, "..", "tools", "postgres", "pg.sh")
    subprocess.run([pg, "psql", args.pg_state, "admin", "--", "-qc",
                    f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=True, capture_output=True)
    subprocess.run([pg, "psql", args.pg_state, "admin", "--", "-qc",
                    f"CREATE DATABASE {name} OWNER tickler"], check=True, capture_output=True)
    base = subprocess.run([pg, "url", args.pg_state], capture_output=True, text=True,
                          check=True).stdout.strip()
    url = base.rsplit("/", 1)[0] + "/" + name
    subprocess.run([args.bin, "migrate", "--role", "api", "--database-url", url], check=True,
                   capture_output=True)
    if args.pg_seed == "sql":
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", url, "-f",
                        os.path.join(HERE, "pg_seed.sql")], check=True, capture_output=True)
    return url


def steady_state(args, data):
    """SQLite: the bytes a task costs once the events tables are pruned (restarted with a
    one-second retention; the first pruning round starts a minute after start). Live bytes are
    the pages in use (the file keeps freed pages for reuse; it does not shrink)."""
    import sqlite3
    server = Server(args.bin, data, args.out, args.serve_arg +
                    ["--outbox-retention", "1", "--processed-events-retention", "2"])
    db = os.path.join(data, "tickler.db")
    try:
        started_ms = int(time.time() * 1000)
        server.start()
        deadline = time.monotonic() + 900
        while True:
            # Rows from before the start are gone once the first round ran (reminders firing
            # meanwhile add young rows, which the next round would take).
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            left = conn.execute(
                "SELECT (SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ?)"
                " + (SELECT count(*) FROM processed_events WHERE processed_at < ?)",
                (started_ms, started_ms)).fetchone()[0]
            if left == 0:
                pages = conn.execute("PRAGMA page_count").fetchone()[0]
                free = conn.execute("PRAGMA freelist_count").fetchone()[0]
                size = conn.execute("PRAGMA page_size").fetchone()[0]
                tables = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name "
                                      "ORDER BY 2 DESC LIMIT 8").fetchall()
                tasks = conn.execute("SELECT count(*) FROM tasks").fetchone()[0]
                conn.close()
                break
            conn.close()
            if time.monotonic() > deadline:
                raise SystemExit("scale.py: the events tables were not pruned within 15 minutes")
            time.sleep(2)
        live = (pages - free) * size
        log(f"steady state: {live / 2**20:.0f} MB live, {live / tasks:.0f} bytes per task")
        return {"live_mb": round(live / 2**20, 1), "bytes_per_task": round(live / tasks),
                "file_mb": round(pages * size / 2**20, 1),
                "largest": {name: round(b / 2**20, 1) for name, b in tables}}
    finally:
        server.stop()


def run_curve(args):
    data = tempfile.mkdtemp(prefix="tickler-scale-")
    server = Server(args.bin, data, args.out, args.serve_arg, database(args, "scale_curve"))
    steps = []
    try:
        server.start()
        token = signup_many(server.port, 1, "curve")[0]
        if args.pg_state and args.pg_seed == "sql":
            check_sql_seeding(server, args.out)
        seeded = 0
        for size in args.sizes:
            s = seed_curve(server, token, args, seeded, size - seeded, f"curve-{size}")
            seeded = size
            step = {"tasks": size, "seed": s}
            step.update(step_files(server))
            step["queries"] = measure(server, token, args, f"curve-{size}")
            server.stop()
            step["startup_s"] = round(server.start(), 3)
            step["rss_after_restart_mb"] = round(server.rss_mb(), 1)
            step.update({"after_restart": step_files(server)})
            steps.append(step)
            log(f"{size}: {json.dumps({k: v for k, v in step.items() if k != 'queries'})}")
        server.stop()
        if not args.pg_state and steps:
            steps[-1]["steady_state"] = steady_state(args, data)
    finally:
        server.stop()
        subprocess.run(["rm", "-rf", data])
    return steps


def run_shape(args):
    """The same K tasks: one user alone, then among U users with K tasks each."""
    shape = {}
    k, users = args.user_tasks, args.users
    watched = min(7, users - 1)
    for label in ("alone", "among"):
        data = tempfile.mkdtemp(prefix="tickler-scale-")
        server = Server(args.bin, data, args.out, args.serve_arg,
                        database(args, f"scale_{label}"))
        try:
            server.start()
            if args.pg_state and args.pg_seed == "sql":
                # User n gets tasks n·K … n·K + K (the watched user the same alone and among,
                # with the rare word on 1 in 20 of them, as over the API).
                tokens = signup_many(server.port, 1 if label == "alone" else users, "shape")
                if label == "alone":
                    psql(server.database_url, f"UPDATE users SET email = 'shape{watched}"
                         "@bench.example' WHERE email = 'shape0@bench.example'")
                seed_figures = seed_sql(server, "shape", k, f"n * {k}",
                                        f"CASE WHEN n = {watched} THEN 20 ELSE 0 END", label)
                token = tokens[0 if label == "alone" else watched]
            elif label == "alone":
                # User u's tasks of the shape (task i goes to user i % U): i = u + U·j. User 7
                # holds the rare word's tasks (i % 20000 == 7).
                tokens = signup_many(server.port, 1, "alone")
                seed_figures = seed(server, tokens, watched, users, k, args.out, "alone")
                token = tokens[0]
            else:
                tokens = signup_many(server.port, users, "shape")
                seed_figures = seed(server, tokens, 0, 1, users * k, args.out, "among")
                token = tokens[watched]
            entry = {"seed": seed_figures}
            entry.update(step_files(server))
            entry["queries"] = measure(server, token, args, f"shape-{label}")
            server.stop()
            entry["startup_s"] = round(server.start(), 3)
            entry["after_restart"] = step_files(server)
            shape[label] = entry
        finally:
            server.stop()
            subprocess.run(["rm", "-rf", data])
    return shape


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", default="build/tickler")
    p.add_argument("--out", default="bench/out/scale")
    p.add_argument("--sizes", default="10000,100000,1000000")
    p.add_argument("--users", type=int, default=1000)
    p.add_argument("--user-tasks", type=int, default=1000)
    p.add_argument("--duration", type=int, default=5)
    p.add_argument("--conns", type=int, default=16)
    p.add_argument("--serve-arg", action="append", default=[])
    p.add_argument("--only", choices=["curve", "shape"], default=None)
    p.add_argument("--pg-state", default=None,
                   help="a running tools/postgres/pg.sh state dir: measure the api role on PostgreSQL")
    p.add_argument("--pg-seed", choices=["sql", "api"], default="sql",
                   help="PostgreSQL: seed with bench/pg_seed.sql (checked against the API's "
                   "rows first) or over the API")
    args = p.parse_args()
    args.sizes = [int(s) for s in args.sizes.split(",") if s]
    args.bin = os.path.abspath(args.bin)
    os.makedirs(args.out, exist_ok=True)
    args.out = os.path.abspath(args.out)
    result = {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "bin": args.bin,
              "engine": "postgres" if args.pg_state else "sqlite",
              "pg_seed": args.pg_seed if args.pg_state else None,
              "serve_args": args.serve_arg, "duration_s": args.duration, "conns": args.conns,
              "users": args.users, "user_tasks": args.user_tasks}
    if args.only in (None, "curve"):
        result["curve"] = run_curve(args)
    if args.only in (None, "shape"):
        result["shape"] = run_shape(args)
    with open(os.path.join(args.out, "scale.json"), "w") as f:
        json.dump(result, f, indent=1)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
