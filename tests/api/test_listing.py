"""GET /api/tasks search, filters, sorts and pagination against a seeded data set of 60 tasks.

The expected answer of every query is computed here in Python from the documented rules and
compared id by id, in order — first as one page, then paged with a small limit.
"""

import datetime as dt
import random
import re
import unicodedata

import pytest

from helpers import assert_task_response, describe, ids, list_all

BASE_TITLES = ["Pay rent", "Buy milk", "buy MILK", "Call mom", "Renew passport", "Fix bike",
               "Write report", "Review budget", "Plan trip", "Book dentist", "café visit",
               "Clean garage", "Water plants", "Read paper", "Rent car", "zebra crossing",
               "Apple pie", "apple Pie"]
TITLE_SUFFIXES = ["", " weekly", " soon", " again"]
DESCRIPTIONS = ["", "", "Landlord wants cash", "groceries for the week",
                "Meeting at the Zürich office", "project omega deadline",
                "bring the passport photos", "Ask about the renewal"]
TAGS = ["home", "work", "money", "errands", "health", "trip"]
PRIORITIES = ["high", "medium", "low", "none"]
PRIORITY_RANK = {"none": 0, "low": 1, "medium": 2, "high": 3}
DEFAULT_ORDER = {"due": "asc", "title": "asc", "priority": "desc", "created": "desc"}
BASE_DUE = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.timezone.utc)
N_TASKS = 60


def utc_ms(when: dt.datetime) -> str:
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + \
        f"{when.microsecond // 1000:03d}Z"


def with_offset(when: dt.datetime, hours: int, minutes: int = 0, millis: bool = False) -> str:
    """The same instant written with a numeric offset, as a client might send it."""
    tz = dt.timezone(dt.timedelta(hours=hours, minutes=minutes))
    text = when.astimezone(tz).isoformat(timespec="milliseconds" if millis else "seconds")
    return text.replace("+00:00", "Z") if hours == minutes == 0 else text


def build_specs():
    rng = random.Random(20261126)
    specs = []
    for i in range(N_TASKS):
        due = None if i % 5 == 2 else BASE_DUE + dt.timedelta(days=(i * 5) % 21,
                                                              minutes=90 if i % 3 == 0 else 0)
        sent_due = None if due is None else [with_offset(due, 0), with_offset(due, 2),
                                             with_offset(due, -5, -30, millis=True)][i % 3]
        specs.append({
            "body": {
                "title": BASE_TITLES[i % len(BASE_TITLES)] + TITLE_SUFFIXES[(i // len(BASE_TITLES)) % 4],
                "description": DESCRIPTIONS[(i * 3) % len(DESCRIPTIONS)],
                "priority": PRIORITIES[(i * 7 + i // 5) % 4],
                "tags": rng.sample(TAGS, rng.randint(0, 3)),
                "due_at": sent_due,
            },
            "due_utc": None if due is None else utc_ms(due),
            "complete": i % 4 == 1 or i % 7 == 3,
        })
    return specs


SPECS = build_specs()
DUES = sorted({s["due_utc"] for s in SPECS if s["due_utc"]})
# Query boundaries that are exactly some task's due date (>= includes it, < excludes it), written
# with a numeric offset to check that the query parses offsets too.
DUE_AFTER = with_offset(dt.datetime.fromisoformat(DUES[5].replace("Z", "+00:00")), 2)
DUE_BEFORE = with_offset(dt.datetime.fromisoformat(DUES[-5].replace("Z", "+00:00")), -3)


@pytest.fixture(scope="module")
def seeded(make_user):
    """(user api, {id: task}) with the 60 tasks of SPECS, some completed."""
    owner = make_user(name="Seeder")
    tasks = {}
    for spec in SPECS:
        task = assert_task_response(owner.api.post("/api/tasks", json=spec["body"]), 201)
        assert task["due_at"] == spec["due_utc"], (spec, task)
        if spec["complete"]:
            task = assert_task_response(owner.api.post(f"/api/tasks/{task['id']}/complete"))
        tasks[task["id"]] = task
    return owner.api, tasks


# --- the documented rules, in Python ------------------------------------------------------------

def fold(text: str) -> str:
    """Case- and accent-insensitive form."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", fold(text))


def matches_q(task: dict, q: str) -> bool:
    tokens = words(task["title"]) + words(task["description"]) + [w for t in task["tags"] for w in words(t)]
    return all(any(tok.startswith(w) for tok in tokens) for w in words(q))


def parse_instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def values(params, name):
    out = []
    for key, value in params:
        if key == name:
            out.extend(v for v in value.split(",") if v)
    return out


def ascii_lower(text: str) -> str:
    return "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in text)


SORT_KEYS = {
    "created": lambda t: (t["created_at"], t["id"]),
    "due": lambda t: (t["due_at"] is None, t["due_at"] or "", t["id"]),
    "priority": lambda t: (PRIORITY_RANK[t["priority"]], t["id"]),
    "title": lambda t: (ascii_lower(t["title"]), t["id"]),
}


def expected_ids(tasks: dict, params) -> list[int]:
    params = list(params)
    selected = list(tasks.values())
    status = (values(params, "status") or ["all"])[-1]
    if status != "all":
        selected = [t for t in selected if t["status"] == status]
    if values(params, "priority"):
        wanted = set(values(params, "priority"))
        selected = [t for t in selected if t["priority"] in wanted]
    for tag in values(params, "tag"):
        selected = [t for t in selected if tag in t["tags"]]
    for after in values(params, "due_after"):
        selected = [t for t in selected if t["due_at"] and parse_instant(t["due_at"]) >= parse_instant(after)]
    for before in values(params, "due_before"):
        selected = [t for t in selected if t["due_at"] and parse_instant(t["due_at"]) < parse_instant(before)]
    for has_due in values(params, "has_due"):
        selected = [t for t in selected if (t["due_at"] is not None) == (has_due == "true")]
    for q in (value for key, value in params if key == "q"):
        selected = [t for t in selected if matches_q(t, q)]
    sort = (values(params, "sort") or ["created"])[-1]
    order = (values(params, "order") or [DEFAULT_ORDER[sort]])[-1]
    # Ties by id in the same direction: descending is exactly ascending reversed.
    selected.sort(key=SORT_KEYS[sort], reverse=(order == "desc"))
    return ids(selected)


def check(api, tasks, params, page_limit):
    expected = expected_ids(tasks, params)
    one_page, pages = list_all(api, params, limit=200)
    assert pages == 1
    assert ids(one_page) == expected, f"{params}: got {ids(one_page)}"
    for item in one_page:
        assert item == tasks[item["id"]]
    paged, pages = list_all(api, params, limit=page_limit)
    assert ids(paged) == expected, f"{params} paged by {page_limit}"
    assert pages >= -(-len(expected) // page_limit)
    return expected


# --- tests ------------------------------------------------------------------------------------------

def test_seed_is_fully_listed(seeded):
    api, tasks = seeded
    items, _ = list_all(api, limit=200)
    assert sorted(ids(items)) == sorted(tasks)
    assert {t["id"]: t for t in items} == tasks


def test_default_page_is_50_newest_first(seeded):
    api, tasks = seeded
    resp = api.get("/api/tasks")
    assert resp.status_code == 200, describe(resp)
    body = resp.json()
    assert ids(body["items"]) == expected_ids(tasks, [])[:50]
    assert body["next_cursor"]


SORT_CASES = [[("sort", s)] + ([("order", o)] if o else []) for s in SORT_KEYS for o in (None, "asc", "desc")]


@pytest.mark.parametrize("params", SORT_CASES, ids=["&".join(f"{k}={v}" for k, v in p) for p in SORT_CASES])
def test_sort_and_order(seeded, params):
    api, tasks = seeded
    expected = check(api, tasks, params, page_limit=7)
    assert len(expected) == N_TASKS


def test_no_sort_means_created_desc(seeded):
    api, tasks = seeded
    items, _ = list_all(api, limit=200)
    assert ids(items) == expected_ids(tasks, [("sort", "created"), ("order", "desc")])


def test_null_due_dates_are_last_ascending_and_first_descending(seeded):
    api, tasks = seeded
    asc, _ = list_all(api, [("sort", "due"), ("order", "asc")])
    desc, _ = list_all(api, [("sort", "due"), ("order", "desc")])
    n_null = sum(t["due_at"] is None for t in tasks.values())
    assert 0 < n_null < N_TASKS
    assert all(t["due_at"] is None for t in asc[-n_null:]) and asc[-n_null - 1]["due_at"] is not None
    assert all(t["due_at"] is None for t in desc[:n_null]) and desc[n_null]["due_at"] is not None


def test_title_sort_ignores_case_and_breaks_ties_by_id(seeded):
    api, tasks = seeded
    items, _ = list_all(api, [("sort", "title")])
    milk = [t for t in items if t["title"].lower() == "buy milk"]
    assert {t["title"] for t in milk} == {"Buy milk", "buy MILK"}
    assert ids(milk) == sorted(ids(milk))
    positions = [i for i, t in enumerate(items) if t["title"].lower() == "buy milk"]
    assert positions == list(range(positions[0], positions[0] + len(positions)))


Q_CASES = ["rent", "ren", "REN", "Rent", "pay rent", "rent pay", "pay  rent ", "milk home", "landl",
           "zurich", "ZÜRICH", "cafe", "CAFÉ", "ent", "errand", "trip", "report work", "passport",
           "passport photo", "renewal", "omega", "a", "nomatchxyz", "rent OR milk", "apple pie weekly"]


@pytest.mark.parametrize("q", Q_CASES)
def test_search(seeded, q):
    api, tasks = seeded
    check(api, tasks, [("q", q)], page_limit=3)


def test_search_cases_are_not_trivial(seeded):
    """Guards the data set: the searches above must include real hits and real misses."""
    _api, tasks = seeded
    assert expected_ids(tasks, [("q", "ren")]) and expected_ids(tasks, [("q", "zurich")])
    assert expected_ids(tasks, [("q", "cafe")]) and expected_ids(tasks, [("q", "milk home")])
    assert expected_ids(tasks, [("q", "ent")]) == []  # only a substring, never a prefix
    assert len(expected_ids(tasks, [("q", "ren")])) > len(expected_ids(tasks, [("q", "rent")]))


FILTER_CASES = {
    "status-pending": [("status", "pending")],
    "status-completed": [("status", "completed")],
    "status-all": [("status", "all")],
    "priority-high": [("priority", "high")],
    "priority-none": [("priority", "none")],
    "priority-repeated": [("priority", "high"), ("priority", "low")],
    "priority-comma": [("priority", "high,low")],
    "priority-all-four": [("priority", "high,medium"), ("priority", "low,none")],
    "tag-home": [("tag", "home")],
    "tag-repeated-means-all": [("tag", "home"), ("tag", "work")],
    "tag-comma-means-all": [("tag", "home,work")],
    "tag-unknown": [("tag", "nosuchtag")],
    "due-after": [("due_after", DUE_AFTER)],
    "due-before": [("due_before", DUE_BEFORE)],
    "due-window": [("due_after", DUE_AFTER), ("due_before", DUE_BEFORE)],
    "due-window-sorted": [("due_after", DUE_AFTER), ("due_before", DUE_BEFORE), ("sort", "due")],
    "no-due-date": [("has_due", "false")],
    "has-due-date-pending-sorted": [("has_due", "true"), ("status", "pending"), ("sort", "due")],
    "no-due-date-title-desc": [("has_due", "false"), ("sort", "title"), ("order", "desc")],
    "q-status-sort-due": [("q", "ren"), ("status", "pending"), ("sort", "due")],
    "priority-tag-title-desc": [("priority", "high,medium"), ("tag", "home"), ("sort", "title"), ("order", "desc")],
    "due-after-priority-asc": [("due_after", DUE_AFTER), ("sort", "priority"), ("order", "asc")],
    "completed-due-desc": [("status", "completed"), ("sort", "due"), ("order", "desc")],
    "pending-priority": [("status", "pending"), ("sort", "priority")],
    "q-tag": [("q", "pay"), ("tag", "money")],
    "everything": [("q", "r"), ("status", "pending"), ("priority", "high,medium,low"),
                   ("due_before", DUE_BEFORE), ("sort", "title"), ("order", "asc")],
}


@pytest.mark.parametrize("case", list(FILTER_CASES))
def test_filters(seeded, case):
    api, tasks = seeded
    check(api, tasks, FILTER_CASES[case], page_limit=3)


def test_due_boundaries_hit_real_tasks(seeded):
    """due_after is inclusive and due_before exclusive: both boundaries equal some task's due_at."""
    api, tasks = seeded
    dues = {t["due_at"] for t in tasks.values()}
    after_utc, before_utc = utc_ms(parse_instant(DUE_AFTER)), utc_ms(parse_instant(DUE_BEFORE))
    assert after_utc in dues and before_utc in dues
    after_ids = ids(list_all(api, [("due_after", DUE_AFTER)])[0])
    before_ids = ids(list_all(api, [("due_before", DUE_BEFORE)])[0])
    assert any(tasks[i]["due_at"] == after_utc for i in after_ids)
    assert not any(tasks[i]["due_at"] == before_utc for i in before_ids)
    assert not any(tasks[i]["due_at"] is None for i in after_ids + before_ids)


@pytest.mark.parametrize("limit", [1, 2, 59, 60, 61])
def test_paging_with_edge_limits(seeded, limit):
    api, tasks = seeded
    params = [("sort", "due")]
    paged, pages = list_all(api, params, limit=limit)
    assert ids(paged) == expected_ids(tasks, params)
    assert pages in (-(-N_TASKS // limit), -(-N_TASKS // limit) + 1)
