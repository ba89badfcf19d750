#!/usr/bin/env python3
"""Renders bench/scale.sh's results (scale.json of each engine) as the Markdown table of
bench/RESULTS.md: per step, each query's req/s and p99 with req/s as a share of /healthz of the
same step, then memory, bytes, WAL, seeding and start-up."""
import json
import sys

ROWS = ["list", "page", "q common", "q rare", "q two prefixes", "tag+priority", "priority", "create"]


def cell(q, healthz):
    if q is None:
        return "–"
    share = 100.0 * q["rps"] / healthz["rps"] if healthz and healthz["rps"] else 0
    return f"{q['rps']:,}/s ({share:.0f} %), p99 {q['p99_ms']:.1f} ms"


def columns(result):
    cols = []
    for step in result.get("curve", []):
        cols.append((f"{step['tasks']:,} tasks", step))
    shape = result.get("shape", {})
    k, users = result.get("user_tasks", 1000), result.get("users", 1000)
    if "alone" in shape:
        cols.append((f"one user's {k:,} tasks alone", shape["alone"]))
    if "among" in shape:
        cols.append((f"the same {k:,} among {users:,} users × {k:,}", shape["among"]))
    return cols


def render(result):
    cols = columns(result)
    out = [f"### {result['engine']} — {result['date']}, wrk -t2 -c{result['conns']}, "
           f"{result['duration_s']} s per query", ""]
    out.append("| | " + " | ".join(name for name, _ in cols) + " |")
    out.append("|---|" + "---|" * len(cols))
    out.append("| `/healthz` (baseline) | " +
               " | ".join(f"{c['queries']['healthz']['rps']:,}/s" for _, c in cols) + " |")
    for row in ROWS:
        out.append(f"| {row} | " + " | ".join(
            cell(c["queries"].get(row), c["queries"]["healthz"]) for _, c in cols) + " |")
    out.append("| hits on the first page (common / rare / prefixes / tag+priority / priority) | " + " | ".join(
        " / ".join(str(c["queries"].get("hits", {}).get(k, "–"))
                   for k in ("q common", "q rare", "q two prefixes", "tag+priority", "priority"))
        for _, c in cols) + " |")
    out.append("| RSS after the queries | " +
               " | ".join(f"{c['queries']['rss_mb']} MB" for _, c in cols) + " |")
    out.append("| tasks in the database (seeded + created by the create runs) | " +
               " | ".join(f"{c['after_restart']['tasks_total'] if 'after_restart' in c else c['tasks_total']:,}"
                          for _, c in cols) + " |")
    if result["engine"] == "postgres":
        label, key = "tasks, task_tags and task_words tables + indexes", None
    else:
        label, key = "database file after the restart's checkpoint", "after_restart"
    out.append(f"| {label} (bytes per task) | " + " | ".join(
        f"{(c.get(key) or c)['db_mb']} MB ({(c.get(key) or c)['bytes_per_task']:,})"
        for _, c in cols) + " |")
    if result["engine"] == "sqlite":
        out.append("| WAL: largest while seeding / at the end | " + " | ".join(
            f"{c['seed']['wal_max_mb']} MB / {c['wal_mb']} MB" for _, c in cols) + " |")
    def seeding(s):
        if "latency_p99_ms" not in s:  # written by bench/pg_seed.sql, not over the API
            return f"{s['per_s']:,}/s by SQL"
        return f"{s['per_s']:,}/s, {s['latency_p99_ms']:.0f} / {s['latency_max_ms']:.0f} ms"
    out.append("| seeding: tasks/s, create latency p99 / max | " + " | ".join(
        seeding(c["seed"]) for _, c in cols) + " |")
    if any("steady_state" in c for _, c in cols):
        out.append("| once sent outbox rows and processed events are pruned: live bytes (per task) | " +
                   " | ".join(f"{c['steady_state']['live_mb']} MB "
                              f"({c['steady_state']['bytes_per_task']:,})"
                              if "steady_state" in c else "–" for _, c in cols) + " |")
    out.append("| start-up to `/healthz` 200 (restart over the data) | " + " | ".join(
        f"{c['startup_s'] * 1000:.0f} ms" for _, c in cols) + " |")
    return "\n".join(out) + "\n"


def main():
    for path in sys.argv[1:]:
        with open(path) as f:
            print(render(json.load(f)))


if __name__ == "__main__":
    main()
