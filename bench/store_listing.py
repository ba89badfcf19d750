#!/usr/bin/env python3
"""Task listings at the store level, one build against another (standard library only).

  store_listing.py build LIB_DIR OUT     compile bench/store_listing.cpp against LIB_DIR's
                                         store libraries (a build's src/ folder) into OUT, with
                                         the PostgreSQL store when LIB_DIR has it
  store_listing.py compare BASE NEW [--tasks N] [--reps R] [--rounds K] [--creates C] [--user U]
                                 [--data DIR | --pg URL [--pg-new URL] [--creates-user U]]
                                         seed a database with each driver (once per size, kept in
                                         DIR), then run both in turn K times (R repetitions of
                                         every query each; then C single-task creates on a copy
                                         of the database) and print each query's CPU time per
                                         call, p50 and p99 (the median over the rounds), NEW
                                         against BASE; with --pg, both list from that
                                         PostgreSQL database (wall time: the server works), or
                                         NEW from --pg-new's (a copy migrated by NEW); creates
                                         then go to user U of each (not the listed user's
                                         tasks, whose pages they would change)

Alternating the two drivers round by round lets both see the same machine: other work on it
moves both figures alike, and the ratios are what to read. See bench/README.md.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIBS = ["tickler_store_sqlite", "tickler_store", "tickler_core", "tickler_base"]
SYSTEM_LIBS = ["sqlite3", "boost_json", "boost_url", "crypto", "ical", "date-tz", "pthread"]


def cmd_build(args):
    cmd = ["g++", "-std=c++20", "-O2", "-g", "-I" + os.path.join(ROOT, "src"),
           "-isystem", "/usr/include/postgresql",
           os.path.join(ROOT, "bench", "store_listing.cpp"), "-o", args.out, "-L" + args.lib_dir]
    libs, system_libs = LIBS, SYSTEM_LIBS
    if os.path.exists(os.path.join(args.lib_dir, "libtickler_store_postgres.a")):
        cmd += ["-DSTORE_LISTING_POSTGRES"]
        libs, system_libs = ["tickler_store_postgres"] + LIBS, ["pq"] + SYSTEM_LIBS
    cmd += ["-l" + lib for lib in libs + system_libs]
    subprocess.run(cmd, check=True)
    return 0


LINE = re.compile(r"^(.*\S)\s+(\d+)\s+([0-9a-f]{8}|-)\s+([\d.]+)\s+[\d.]+\s+([\d.]+)"
                  r"\s+([\d.]+)\s+([\d.]+)$")


def run(binary, db, reps, wall=False, user=1):
    out = subprocess.run([binary, "run", db, str(reps), str(user)], check=True,
                         capture_output=True, text=True).stdout
    rows = {}
    for line in out.splitlines()[1:]:
        m = LINE.match(line)
        if m:
            p50, p99 = (6, 7) if wall else (4, 5)
            rows[m.group(1)] = (f"{m.group(2)} ({m.group(3)})", float(m.group(p50)),
                                float(m.group(p99)))
    return rows


def creates(binary, db, count, user=None):
    if user is not None:  # PostgreSQL: into the database itself, for another user (wall time)
        out = subprocess.run([binary, "create", db, str(count), str(user)], check=True,
                             capture_output=True, text=True).stdout
        m = LINE.match(out.strip())
        return {"create": (f"{count} tasks", float(m.group(6)), float(m.group(7)))}
    copy = db + ".copy"
    shutil.copyfile(db, copy)
    try:
        out = subprocess.run([binary, "create", copy, str(count)], check=True,
                             capture_output=True, text=True).stdout
    finally:
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(copy + suffix):
                os.remove(copy + suffix)
    m = LINE.match(out.strip())
    return {"create": (f"{count} tasks", float(m.group(4)), float(m.group(5)))}


def seeded(binary, db, tasks):
    if not os.path.exists(db):
        print(f"seeding {db} with {tasks} tasks", file=sys.stderr)
        subprocess.run([binary, "seed", db + ".part", str(tasks)], check=True)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + ".part" + suffix):
                os.rename(db + ".part" + suffix, db + suffix)
    return db


def cmd_compare(args):
    if args.pg:
        dbs = {"base": args.pg, "new": args.pg_new or args.pg}
    else:
        os.makedirs(args.data, exist_ok=True)
        dbs = {name: seeded(binary, os.path.join(args.data, f"{name}-{args.tasks}.db"),
                            args.tasks)
               for name, binary in (("base", args.base), ("new", args.new))}
    rounds = {"base": [], "new": []}
    for k in range(args.rounds):
        for name, binary in (("base", args.base), ("new", args.new)):
            rounds[name].append(run(binary, dbs[name], args.reps, wall=bool(args.pg),
                                    user=args.user))
            if args.creates and not args.pg:
                rounds[name][-1].update(creates(binary, dbs[name], args.creates))
            elif args.creates and args.creates_user:
                rounds[name][-1].update(creates(binary, dbs[name], args.creates,
                                                args.creates_user))
            print(f"round {k + 1}/{args.rounds}: {name}", file=sys.stderr)
    what = "PostgreSQL, wall time" if args.pg else f"{args.tasks:,} tasks"
    print(f"| {what} | hits (ids) | base p50 | new p50 | p50 new/base | base p99 | "
          "new p99 | p99 new/base |")
    print("|---|---|---|---|---|---|---|---|")
    for query in rounds["base"][0]:
        def med(name, i):
            return statistics.median(r[query][i] for r in rounds[name])
        b50, n50, b99, n99 = med("base", 1), med("new", 1), med("base", 2), med("new", 2)
        hits = rounds["new"][0][query][0]
        if hits != rounds["base"][0][query][0]:
            hits += " ≠ base " + rounds["base"][0][query][0]
        print(f"| {query} | {hits} | {b50:,.0f} µs | {n50:,.0f} µs | {n50 / b50:.2f} | "
              f"{b99:,.0f} µs | {n99:,.0f} µs | {n99 / b99:.2f} |")
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("lib_dir")
    b.add_argument("out")
    c = sub.add_parser("compare")
    c.add_argument("base")
    c.add_argument("new")
    c.add_argument("--tasks", type=int, default=10000)
    c.add_argument("--reps", type=int, default=200)
    c.add_argument("--rounds", type=int, default=3)
    c.add_argument("--creates", type=int, default=0)
    c.add_argument("--pg", help="a postgresql:// URL both drivers list from (bench/pg_seed.sql "
                   "seeded it), timed in wall time: the work is the server's")
    c.add_argument("--pg-new", help="the database NEW lists from (default: --pg's), e.g. a copy "
                   "of it that NEW's migrations brought to its schema")
    c.add_argument("--user", type=int, default=1, help="the user whose tasks are listed")
    c.add_argument("--creates-user", type=int, help="with --pg: the user --creates writes to")
    c.add_argument("--data", default=os.path.join(ROOT, "bench", "out", "store_listing"))
    args = p.parse_args()
    return cmd_build(args) if args.cmd == "build" else cmd_compare(args)


if __name__ == "__main__":
    sys.exit(main())
