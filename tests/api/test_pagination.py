"""Keyset pagination over 1,000 tasks while another thread keeps inserting (and deleting) tasks:
every original task is seen exactly once, nothing twice, and the order holds on every page."""

import datetime as dt
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from helpers import assert_bad_parameter, describe, list_all

N_ORIGINAL = 1000
PAGE = 37
BASE_DUE = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.timezone.utc)

pytestmark = pytest.mark.slow


def due_for(i: int):
    """Many ties (17 distinct dates) and some tasks without a due date."""
    if i % 9 == 4:
        return None
    return (BASE_DUE + dt.timedelta(days=i % 17)).strftime("%Y-%m-%dT%H:%M:%SZ")


def create_concurrently(server, token, bodies, workers=8):
    local = threading.local()
    sessions = []
    lock = threading.Lock()

    def create(body):
        if not hasattr(local, "api"):
            local.api = server.client(token)
            with lock:
                sessions.append(local.api)
        resp = local.api.post("/api/tasks", json=body)
        assert resp.status_code == 201, describe(resp)
        return resp.json()["id"]

    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(create, bodies))
    finally:
        for s in sessions:
            s.close()


@pytest.fixture(scope="module")
def bulk(server, make_user):
    owner = make_user(name="Bulk")
    bodies = [{"title": f"bulk {i:04d}", "due_at": due_for(i), "priority": ["high", "low", "none"][i % 3]}
              for i in range(N_ORIGINAL)]
    original = create_concurrently(server, owner.token, bodies)
    assert len(set(original)) == N_ORIGINAL
    return owner, set(original)


class Inserter:
    """Keeps creating tasks (due dates inside the paged range, some null) and deleting every third
    one it made, until stopped. Bounded in count and time."""

    def __init__(self, server, token, tag):
        self.api = server.client(token)
        self.tag = tag
        self.created = 0
        self.errors = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        made = []
        deadline = time.monotonic() + 120
        n = 0
        while not self._stop.is_set() and n < 5000 and time.monotonic() < deadline:
            resp = self.api.post("/api/tasks", json={"title": f"{self.tag} extra {n}", "due_at": due_for(n * 7 + 3)})
            if resp.status_code != 201:
                self.errors.append(describe(resp))
                return
            made.append(resp.json()["id"])
            self.created += 1
            if n % 3 == 2:
                victim = made.pop(-2)
                resp = self.api.delete(f"/api/tasks/{victim}")
                if resp.status_code != 204:
                    self.errors.append(describe(resp))
                    return
            n += 1

    def __enter__(self):
        self._thread.start()
        # Let it get going before the paging starts.
        deadline = time.monotonic() + 10
        while self.created < 3 and time.monotonic() < deadline and self._thread.is_alive():
            time.sleep(0.01)
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=30)
        self.api.close()
        assert not self._thread.is_alive(), "inserter thread did not stop"


def page_through(api, params, inserter, max_pages=400):
    """Pages with limit=PAGE, pausing a little between pages so the inserter interleaves."""
    seen = []
    cursor = None
    for _ in range(max_pages):
        query = dict(params, limit=PAGE, **({"cursor": cursor} if cursor else {}))
        resp = api.get("/api/tasks", params=query)
        assert resp.status_code == 200, describe(resp)
        body = resp.json()
        assert len(body["items"]) <= PAGE
        seen.extend(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return seen
        time.sleep(0.005)
    raise AssertionError(f"paging did not end within {max_pages} pages")


def check_exactly_once(seen, original):
    seen_ids = [t["id"] for t in seen]
    duplicates = {i for i, n in Counter(seen_ids).items() if n > 1}
    assert not duplicates, f"tasks seen twice: {sorted(duplicates)[:20]}"
    missing = original - set(seen_ids)
    assert not missing, f"{len(missing)} original tasks skipped, e.g. {sorted(missing)[:20]}"


def test_created_desc_pages_see_every_original_exactly_once(bulk, server):
    owner, original = bulk
    with Inserter(server, owner.token, "created") as inserter:
        before = inserter.created
        seen = page_through(owner.api, {"sort": "created"}, inserter)
        during = inserter.created - before
    assert not inserter.errors, inserter.errors
    assert during > 0, "no task was inserted while paging: the test did not test concurrency"
    check_exactly_once(seen, original)
    keys = [(t["created_at"], t["id"]) for t in seen]
    assert all(a > b for a, b in zip(keys, keys[1:])), "created desc order broken across pages"


def test_due_asc_pages_see_every_original_exactly_once(bulk, server):
    owner, original = bulk
    with Inserter(server, owner.token, "due") as inserter:
        before = inserter.created
        seen = page_through(owner.api, {"sort": "due", "order": "asc"}, inserter)
        during = inserter.created - before
    assert not inserter.errors, inserter.errors
    assert during > 0, "no task was inserted while paging: the test did not test concurrency"
    check_exactly_once(seen, original)
    keys = [(t["due_at"] is None, t["due_at"] or "", t["id"]) for t in seen]
    assert all(a < b for a, b in zip(keys, keys[1:])), "due asc order broken across pages"


def test_default_limit_pages_through_everything(bulk):
    owner, original = bulk
    items, pages = list_all(owner.api, {"sort": "priority"}, limit=200)
    assert original <= {t["id"] for t in items}
    assert pages >= 5


def test_cursor_is_bound_to_its_sort_and_order(bulk):
    owner, _original = bulk
    resp = owner.api.get("/api/tasks", params={"sort": "created", "order": "desc", "limit": PAGE})
    assert resp.status_code == 200, describe(resp)
    cursor = resp.json()["next_cursor"]
    assert cursor

    # The same query continues fine ...
    ok = owner.api.get("/api/tasks", params={"sort": "created", "order": "desc", "limit": PAGE, "cursor": cursor})
    assert ok.status_code == 200, describe(ok)
    # ... another sort or order does not.
    for params in ({"sort": "due"}, {"sort": "title"}, {"sort": "created", "order": "asc"},
                   {"sort": "priority", "order": "desc"}):
        bad = owner.api.get("/api/tasks", params=dict(params, limit=PAGE, cursor=cursor))
        assert_bad_parameter(bad, "cursor")


def test_tampered_cursor_is_400(bulk):
    owner, _original = bulk
    resp = owner.api.get("/api/tasks", params={"sort": "due", "limit": PAGE})
    cursor = resp.json()["next_cursor"]
    assert cursor and len(cursor) >= 4
    middle = len(cursor) // 2
    for replacement in ("A", "B", "z", "0"):
        if cursor[middle] == replacement:
            continue
        tampered = cursor[:middle] + replacement + cursor[middle + 1:]
        assert_bad_parameter(owner.api.get("/api/tasks", params={"sort": "due", "limit": PAGE, "cursor": tampered}),
                             "cursor")
    assert_bad_parameter(owner.api.get("/api/tasks", params={"sort": "due", "limit": PAGE, "cursor": cursor[:-3]}),
                         "cursor")
