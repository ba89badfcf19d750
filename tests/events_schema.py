"""The event contract, checked against what really flows.

`EventContract` loads docs/events/asyncapi.yaml once: one JSON Schema validator per (topic, type),
found through the channel whose address is the topic and its message whose `name` is the
CloudEvents type. `contract.problems(topic, cloudevent)` lists what is wrong with one event.

`event_tap` is a session fixture for the suites that start Tickler processes (a conftest imports
it, which makes it autouse there): it sets TICKLER_EVENT_TAP, so every server started afterwards
appends each event its outbox relay published to <tap>.<pid> (src/outbox/event_tap.hpp); at the
end of the session it validates every tapped event and fails the session (an error in the last
test's teardown) naming each event that breaks the contract and how — or when no event was
tapped at all, since a check that saw nothing proved nothing. Events whose source starts with
"tests/" were put into an outbox by a test on purpose (poison events) and are not checked.
A run of tests that makes no event at all therefore fails: run files that make events, or the
whole suite.
"""

from __future__ import annotations

import datetime
import json
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema
import pytest
import referencing
import referencing.jsonschema
import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCUMENT = ROOT / "docs" / "events" / "asyncapi.yaml"
TAP_VARIABLE = "TICKLER_EVENT_TAP"
DOCUMENT_URI = "urn:tickler:events:asyncapi"
TEST_SOURCE_PREFIX = "tests/"

_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
FORMATS = jsonschema.FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def _is_rfc3339(value) -> bool:
    if not isinstance(value, str):
        return True  # `type` says what a non-string is worth
    if not _RFC3339.match(value):
        return False
    datetime.datetime.fromisoformat(value.upper().replace("Z", "+00:00"))  # ValueError: 02-30
    return True


def resolve(document: dict, node):
    """`node`, or what its local $ref points to."""
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), f"only local references are used: {ref}"
        node = document
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def constants(document: dict, schema, prop: str) -> set:
    """Every `const` a schema (through $ref and allOf) gives to one of its properties."""
    schema = resolve(document, schema)
    found = set()
    if not isinstance(schema, dict):
        return found
    target = resolve(document, schema.get("properties", {}).get(prop, {}))
    if isinstance(target, dict) and "const" in target:
        found.add(target["const"])
    for sub in schema.get("allOf", []):
        found |= constants(document, sub, prop)
    return found


@dataclass
class Message:
    channel: str  # the channel's key in the document
    topic: str
    type: str
    ref: str  # JSON pointer of the message in the document
    validator: jsonschema.Draft7Validator


class EventContract:
    def __init__(self, path: Path = DOCUMENT):
        self.path = path
        self.document = yaml.safe_load(path.read_text())
        resource = referencing.Resource.from_contents(
            self.document, default_specification=referencing.jsonschema.DRAFT7)
        self.registry = referencing.Registry().with_resource(DOCUMENT_URI, resource)
        self.messages: dict[tuple[str, str], Message] = {}
        for key, channel in self.document["channels"].items():
            for message_ref in channel["messages"].values():
                pointer = message_ref["$ref"]
                message = resolve(self.document, message_ref)
                schema = {"$ref": f"{DOCUMENT_URI}{pointer}/payload"}
                validator = jsonschema.Draft7Validator(schema, registry=self.registry,
                                                       format_checker=FORMATS)
                self.messages[(channel["address"], message["name"])] = Message(
                    key, channel["address"], message["name"], pointer, validator)

    def topics(self, dead_letters: bool = False) -> set[str]:
        return {t for t, _ in self.messages if t.endswith(".dlq") == dead_letters}

    def declared(self) -> set[tuple[str, str, str]]:
        """(topic, type, source) of every message of every topic (dead-letter topics aside)."""
        out = set()
        for (topic, type_), message in self.messages.items():
            if topic.endswith(".dlq"):
                continue
            payload = resolve(self.document, {"$ref": message.ref})["payload"]
            sources = constants(self.document, payload, "source")
            assert len(sources) == 1, f"{message.ref}: one source const expected, got {sources}"
            out.add((topic, type_, sources.pop()))
        return out

    def problems(self, topic: str, event) -> list[str]:
        """What is wrong with one CloudEvent published on `topic` (nothing: it is valid)."""
        if not isinstance(event, dict):
            return ["the event is not a JSON object"]
        type_ = event.get("type")
        message = self.messages.get((topic, type_))
        if message is None:
            known = sorted(t for (tp, t) in self.messages if tp == topic)
            if not known:
                return [f"{topic!r} is not the address of any channel"]
            return [f"type {type_!r} is not a message of channel {topic!r} (it carries {known})"]
        out = []
        for error in sorted(message.validator.iter_errors(event), key=lambda e: [str(p) for p in e.absolute_path]):
            where = "/".join(str(p) for p in error.absolute_path) or "(event)"
            text = f"{where}: {error.message}"
            if error.context:
                best = jsonschema.exceptions.best_match(error.context)
                text += f" [{'/'.join(str(p) for p in best.absolute_path)}: {best.message}]"
            out.append(text)
        data = event.get("data")
        if isinstance(data, dict) and "user_id" in data and event.get("partitionkey") != str(data["user_id"]):
            out.append(f"partitionkey: {event.get('partitionkey')!r} is not data.user_id ({data['user_id']!r})")
        return out


@dataclass
class TapReport:
    checked: int = 0
    skipped: int = 0  # put into an outbox by a test on purpose
    by_message: dict = field(default_factory=lambda: defaultdict(int))
    failures: list[str] = field(default_factory=list)

    def summary(self) -> str:
        kinds = ", ".join(f"{topic} {type_} ×{n}" for (topic, type_), n in sorted(self.by_message.items()))
        return f"{self.checked} tapped event(s) checked ({self.skipped} put in by tests skipped): {kinds}"


def check_tap(tap_files, contract: EventContract | None = None, limit: int = 40) -> TapReport:
    """Validates every line of the tap files; report.failures is empty when all is well."""
    contract = contract or EventContract()
    report = TapReport()
    seen_problems = set()
    for path in sorted(tap_files):
        for number, line in enumerate(Path(path).read_text().splitlines(), start=1):
            where = f"{Path(path).name}:{number}"
            try:
                record = json.loads(line)
                topic, event = record["topic"], record["cloudevent"]
            except (ValueError, KeyError, TypeError) as e:
                report.failures.append(f"{where}: not a tap record ({e}): {line[:200]}")
                continue
            if isinstance(event, dict) and str(event.get("source", "")).startswith(TEST_SOURCE_PREFIX):
                report.skipped += 1
                continue
            report.checked += 1
            report.by_message[(topic, event.get("type") if isinstance(event, dict) else None)] += 1
            for problem in contract.problems(topic, event):
                key = (topic, event.get("type") if isinstance(event, dict) else None, problem)
                if key in seen_problems:
                    continue  # the same problem of another event of the same kind
                seen_problems.add(key)
                event_id = event.get("id") if isinstance(event, dict) else "?"
                report.failures.append(f"{where}: {topic} {key[1]} (id {event_id}): {problem}")
    if report.checked == 0:
        report.failures.append(
            f"no event was tapped: {TAP_VARIABLE} did not reach the servers, or they published "
            f"nothing (files: {[str(p) for p in tap_files]})")
    if len(report.failures) > limit:
        report.failures[limit:] = [f"… and {len(report.failures) - limit} more"]
    return report


_SUMMARY = pytest.StashKey[str]()


@pytest.fixture(scope="session", autouse=True)
def event_tap(tmp_path_factory, pytestconfig):
    """The tap's path prefix (set as TICKLER_EVENT_TAP for the whole session); the session fails
    at its end unless every tapped event matches docs/events/asyncapi.yaml."""
    contract = EventContract()  # a broken document fails at once, not after the suite
    directory = tmp_path_factory.mktemp("event-tap")
    prefix = directory / "events"
    previous = os.environ.get(TAP_VARIABLE)
    os.environ[TAP_VARIABLE] = str(prefix)
    try:
        yield prefix
    finally:
        if previous is None:
            os.environ.pop(TAP_VARIABLE, None)
        else:
            os.environ[TAP_VARIABLE] = previous
    report = check_tap(list(directory.glob("events.*")), contract)
    pytestconfig.stash[_SUMMARY] = report.summary() + (" — FAILED" if report.failures else "")
    if report.failures:
        pytest.fail(f"events that do not match {DOCUMENT.relative_to(ROOT)}:\n  "
                    + "\n  ".join(report.failures), pytrace=False)


def pytest_terminal_summary(terminalreporter, config):
    """One line saying what the session's event check saw (a conftest imports this hook too)."""
    if _SUMMARY in config.stash:
        terminalreporter.write_line(f"event contract ({DOCUMENT.relative_to(ROOT)}): {config.stash[_SUMMARY]}")
