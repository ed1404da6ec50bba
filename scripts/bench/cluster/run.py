"""The cluster test (issue 15): the deployment's topology for real on one machine, and a fault.

nginx (Debian's, configured from deploy/nginx/: `nginx_site`) in front of two Rasa replicas
(bot/endpoints.scaled.yml: PostgreSQL tracker store, Redis lock store) and, on a second port, in
front of two action servers. Locust (.venv-cluster, `locustfile`) runs REST and socket.io users in
both languages through nginx; from ``--kill-at`` seconds on, at the first moment a replica is
answering a REST turn while socket.io conversations with turns still to send are on it
(`moment_to_kill`), that replica and one action server are killed with SIGKILL. Then:

- every reply was checked by its user (`locustfile`): errors, wrong answers, lost turns, with times;
- the failover window is the first to the last error; there must be none before the kill; and a
  turn that met an error is timed from its first sending to its answer (`interrupted_turns`): one
  that was on the killed replica waits for the lock it left in Redis (``--ticket-lifetime``);
- every conversation is read back from PostgreSQL: every user message has a bot answer, the
  messages are the ones the user had answered (a message sent again after an error may be there
  twice in a row: it was answered twice), and the language and city slots are the conversation's;
- throughput and p95 latency of answered turns before, during and after the window.

Writes results/cluster/summary.json (and the users' events.jsonl, locust's CSV), prints a summary,
and exits 0 when every correctness property holds, 1 when one does not, 2 when PostgreSQL, Redis,
nginx or the model is missing. Everything started is stopped, and the PostgreSQL schema dropped,
whatever happens.

    .venv/bin/python scripts/bench/cluster/run.py --run-time 90 --kill-at 30 --users 8
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from statistics import quantiles
from typing import Any
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[2]
sys.path[:0] = [str(HERE), str(REPO_ROOT / "tests")]

import nginx_site  # noqa: E402
import servers  # noqa: E402  (tests/servers.py: starting and stopping the real servers)
from conversations import apologies, script  # noqa: E402

from citybot.channels import credentials as channel_credentials  # noqa: E402
from citybot.kb import load_knowledge_base  # noqa: E402

LOCUST = REPO_ROOT / ".venv-cluster" / "bin" / "locust"
POSTGRES_URL = os.environ.get("POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
#: The Redis database of the test's locks (its own, whatever REDIS_URL's is; the run deletes the locks
#: its conversations leave, and only those).
REDIS_DB = os.environ.get("CLUSTER_REDIS_DB", "7")
EXIT_MISSING = 2


class MissingError(RuntimeError):
    """A service or tool the test needs is not there (exit 2)."""


@dataclass
class Settings:
    run_time: int
    kill_at: int
    users: int
    ticket_lifetime: int
    out: Path
    run: str = field(default_factory=lambda: secrets.token_hex(4))


# ----- the services ---------------------------------------------------------------------------------


def lock_store_env() -> dict[str, str]:
    """The lock store's variables for REDIS_URL (with the test's own database); MissingError if down."""
    import redis

    parts = urlsplit(REDIS_URL)
    env = {
        "LOCK_STORE_HOST": parts.hostname or "127.0.0.1",
        "LOCK_STORE_PORT": str(parts.port or 6379),
        "LOCK_STORE_DB": REDIS_DB,
        "LOCK_STORE_PASSWORD": parts.password or "",
        "LOCK_STORE_USE_SSL": "true" if parts.scheme == "rediss" else "false",
    }
    try:
        lock_redis(env).ping()
    except redis.RedisError as error:
        raise MissingError(f"Redis unreachable at {REDIS_URL}: {error}") from error
    return env


def lock_redis(env: dict[str, str]) -> Any:
    import redis

    return redis.Redis(
        host=env["LOCK_STORE_HOST"],
        port=int(env["LOCK_STORE_PORT"]),
        db=int(env["LOCK_STORE_DB"]),
        password=env["LOCK_STORE_PASSWORD"] or None,
        ssl=env["LOCK_STORE_USE_SSL"] == "true",
        socket_timeout=3,
    )


def postgres() -> Any:
    import psycopg2

    try:
        connection = psycopg2.connect(POSTGRES_URL, connect_timeout=3)
    except psycopg2.Error as error:
        raise MissingError(f"PostgreSQL unreachable at {POSTGRES_URL}: {str(error).strip()}") from error
    connection.autocommit = True
    return connection


@contextlib.contextmanager
def schema(connection: Any, name: str) -> Iterator[str]:
    """A PostgreSQL schema of the run's own, dropped at the end."""
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{name}"')
    try:
        yield name
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


def check_tools() -> Path:
    """The model; MissingError when it, nginx or the load generator's virtualenv is not there."""
    if not Path(nginx_site.NGINX).is_file():
        raise MissingError("nginx is missing: apt-get install nginx-light (.ci/run installs it)")
    if not LOCUST.is_file():
        raise MissingError(f"{LOCUST} is missing: make cluster-test installs it (.venv-cluster)")
    model = servers.find_model()
    if model is None:
        raise MissingError("no trained model in models/: make train (or copy models/citybot.tar.gz)")
    return model


# ----- the cluster ------------------------------------------------------------------------------------


@dataclass
class Cluster:
    """What the run started, in the order to stop it."""

    folder: Path
    actions: list[servers.ServerProcess] = field(default_factory=list)
    rasa: list[servers.ServerProcess] = field(default_factory=list)
    nginx: nginx_site.Nginx | None = None
    front_port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.front_port}"

    def stop(self) -> None:
        for server in self.rasa + self.actions:
            server.stop()
        if self.nginx is not None:
            self.nginx.stop()


def start_cluster(cluster: Cluster, model: Path, settings: Settings, env: dict[str, str]) -> None:
    """Two action servers, nginx in front of them and of the Rasa replicas, two Rasa replicas."""
    folder = cluster.folder
    cluster.actions = [servers.start_action_server(folder / "logs") for _ in range(2)]
    rasa_ports = [servers.free_port(), servers.free_port()]
    cluster.front_port, actions_port = servers.free_port(), servers.free_port()
    unused_page_port = servers.free_port()  # the page is not part of this test
    cluster.nginx = nginx_site.start(
        folder / "nginx",
        [
            nginx_site.front_site(rasa_ports, unused_page_port, cluster.front_port),
            nginx_site.actions_site([server.port for server in cluster.actions], actions_port),
        ],
    )
    origin = cluster.url
    rasa_env = {
        **env,
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{actions_port}/webhook",
        "CITYBOT_ALLOWED_ORIGINS": origin,
        "CITYBOT_SESSION_SECRET": secrets.token_hex(32),  # one for every replica
        "TICKET_LOCK_LIFETIME": str(settings.ticket_lifetime),
        "SANIC_REQUEST_MAX_SIZE": "262144",
    }
    credentials = channel_credentials.write_credentials(rasa_env, folder / "credentials.yml")
    endpoints = REPO_ROOT / "bot" / "endpoints.scaled.yml"
    token = secrets.token_hex(16)
    with ThreadPoolExecutor(2) as pool:  # both replicas load the model at the same time
        starting = [
            pool.submit(
                servers.start_rasa_server,
                model,
                credentials,
                endpoints,
                folder / "logs",
                [],
                rasa_env,
                token,
                port,
            )
            for port in rasa_ports
        ]
        for future in starting:
            with contextlib.suppress(Exception):
                cluster.rasa.append(future.result())
        for future in starting:
            future.result()  # raise the first failure, with its log, once both are tracked


def warm_up(cluster: Cluster, run: str) -> None:
    """One turn on each replica directly (its first answer loads caches), through nginx's actions."""
    for index, server in enumerate(cluster.rasa):
        status, body = servers.http_post_json(
            f"{server.url}/webhooks/rest/webhook",
            {"sender": f"cluster-warmup-{run}-{index}", "message": "What did Osan do about masks?"},
            timeout=120,
        )
        if status != 200 or not json.loads(body):
            raise RuntimeError(f"replica {server.url} did not answer the warm-up: {status} {body[:200]!r}")


# ----- the fault -------------------------------------------------------------------------------------


ACCESS_LINE = re.compile(r'^(\S+) (\S+) (\S+) "(\S+)" (\d+) "([^"]*)" (\S+)$')


def access_log(path: Path) -> list[dict[str, Any]]:
    """nginx's access log (nginx_site.LOG_FORMAT) as records."""
    records = []
    for line in path.read_text(errors="replace").splitlines() if path.exists() else []:
        match = ACCESS_LINE.match(line)
        if match:
            when, address, method, uri, status, upstreams, _ = match.groups()
            records.append(
                {
                    "t": float(when),
                    "address": address,
                    "uri": uri,
                    "status": int(status),
                    "upstreams": [u.strip() for u in re.split(r"[,:] (?=\d)", upstreams) if u.strip()],
                }
            )
    return records


class Tail:
    """The lines added to a file since the last call (the users' events, nginx's access log)."""

    def __init__(self, path: Path) -> None:
        self.path, self.offset, self.partial = path, 0, b""

    def lines(self) -> list[str]:
        with open(self.path, "rb") as file:
            file.seek(self.offset)
            data = self.partial + file.read()
            self.offset = file.tell()
        *complete, self.partial = data.split(b"\n")
        return [line.decode("utf-8", "replace") for line in complete]


class Watch:
    """What the users are doing now, from their events and nginx's access log as they grow: which
    replica each visitor was last sent to, which messages await their answer, and which socket.io
    conversations have turns still to send."""

    def __init__(self, events: Path, access: Path) -> None:
        self.events, self.access = Tail(events), Tail(access)
        self.replica_of: dict[str, str] = {}
        self.pending: dict[tuple[str, int, int], dict[str, Any]] = {}
        self.socketio_open: dict[str, str] = {}  # conversation -> address, until its last turn is sent

    def update(self) -> None:
        for line in self.access.lines():
            match = ACCESS_LINE.match(line)
            if match and match.group(6):
                self.replica_of[match.group(2)] = match.group(6).split(",")[-1].strip()
        for line in self.events.lines():
            record = json.loads(line)
            if record["kind"] == "open" and record["channel"] == "socketio" and record["conversation"]:
                self.socketio_open[record["conversation"]] = record["address"]
            if record["kind"] == "send" and record["turn"] == 2:
                self.socketio_open.pop(record["conversation"], None)
            if record["kind"] in ("send", "turn") and "attempt" in record:
                key = (record["conversation"], record["turn"], record["attempt"])
                if record["kind"] == "send":
                    self.pending[key] = record
                else:
                    self.pending.pop(key, None)

    def socketio_held(self, replica: str) -> int:
        """socket.io conversations on ``replica`` with turns still to send."""
        return sum(1 for address in self.socketio_open.values() if self.replica_of.get(address) == replica)

    def rest_turn_in_progress(self, replica: str) -> dict[str, Any] | None:
        """A REST message sent to ``replica`` at least 20 ms ago (past the HTTP layer, inside the
        turn) and not answered yet. (REST, because its users record an answer as it comes; a
        socket.io user waits for the answer's last part first.)"""
        now = time.time()
        for record in self.pending.values():
            on_replica = self.replica_of.get(record["address"]) == replica
            if record["channel"] == "rest" and on_replica and now - record["t"] > 0.02:
                return record
        return None


def moment_to_kill(cluster: Cluster, events_path: Path, limit_s: float) -> tuple[int, dict[str, Any] | None]:
    """Wait (up to ``limit_s``) for the worst moment: a replica answering a REST turn while it also
    holds socket.io conversations that have turns to send. Returns the replica to kill and the turn
    caught; after ``limit_s``, the replica holding the most socket.io conversations, and None."""
    assert cluster.nginx is not None
    watch = Watch(events_path, cluster.nginx.access_log)
    names = [f"127.0.0.1:{server.port}" for server in cluster.rasa]
    deadline = time.time() + limit_s
    while time.time() < deadline:
        watch.update()
        for index, name in enumerate(names):
            caught = watch.rest_turn_in_progress(name)
            if caught and watch.socketio_held(name):
                return index, caught
        time.sleep(0.005)
    return max(range(len(names)), key=lambda index: watch.socketio_held(names[index])), None


def kill(server: servers.ServerProcess) -> None:
    """SIGKILL the server's whole process group: no clean shutdown, as in a crash."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.process.pid, signal.SIGKILL)
    server.process.wait(timeout=30)


def run_locust(cluster: Cluster, settings: Settings, script_path: Path, events_path: Path) -> dict[str, Any]:
    """Locust for ``run_time`` seconds; the kill at ``kill_at``; what was killed, and when."""
    fault: dict[str, Any] = {}

    def fault_at_kill_time() -> None:
        time.sleep(settings.kill_at)
        victim, caught = moment_to_kill(cluster, events_path, 20)
        fault["rasa_replica"] = f"127.0.0.1:{cluster.rasa[victim].port}"
        fault["action_server"] = f"127.0.0.1:{cluster.actions[0].port}"
        fault["t"] = time.time()
        kill(cluster.rasa[victim])
        kill(cluster.actions[0])
        fault["turn_in_flight_at_kill"] = (
            f"{caught['conversation']} turn {caught['turn'] + 1} (sent {1000 * (fault['t'] - caught['t']):.0f} ms before)"
            if caught
            else None
        )
        print(f"killed Rasa replica {fault['rasa_replica']} and action server {fault['action_server']}")

    command = [
        str(LOCUST),
        "-f",
        str(HERE / "locustfile.py"),
        "--headless",
        "--users",
        str(settings.users),
        "--spawn-rate",
        str(settings.users),
        "--run-time",
        f"{settings.run_time}s",
        "--stop-timeout",
        "150",
        "--only-summary",
        "--csv",
        str(settings.out / "locust"),
        "--loglevel",
        "WARNING",
    ]
    killer = threading.Thread(target=fault_at_kill_time, daemon=True)
    started = time.time()
    with open(cluster.folder / "locust.log", "wb") as log:
        process = subprocess.Popen(
            command,
            env={**os.environ, "CLUSTER_SCRIPT": str(script_path)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        killer.start()
        try:
            process.wait(timeout=settings.run_time + 300)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    killer.join(timeout=60)
    if "t" not in fault:
        raise RuntimeError("the run ended before the kill: make --run-time longer than --kill-at")
    return {"locust_started": started, "locust_ended": time.time(), **fault}


# ----- what happened -------------------------------------------------------------------------------


def read_events(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def p95(values: list[float]) -> float | None:
    if len(values) < 2:
        return round(values[0], 1) if values else None
    return round(quantiles(values, n=20, method="inclusive")[18], 1)


def phase(turns: list[dict[str, Any]], start: float, end: float) -> dict[str, Any]:
    """Answered turns per second and their p95 latency between ``start`` and ``end``."""
    inside = [turn for turn in turns if start <= turn["t"] < end and turn["outcome"] == "ok"]
    seconds = max(end - start, 1e-9)
    return {
        "seconds": round(end - start, 1),
        "answered_turns": len(inside),
        "turns_per_s": round(len(inside) / seconds, 2) if end > start else None,
        "p95_ms": p95([turn["latency_ms"] for turn in inside]),
    }


def stored_conversation(connection: Any, schema_name: str, conversation: str) -> dict[str, Any]:
    """The tracker's user messages (with whether each got a bot answer) and its last slot values."""
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT type_name, data FROM "{schema_name}".events WHERE sender_id = %s ORDER BY id',
            (conversation,),
        )
        rows = cursor.fetchall()
    messages: list[dict[str, Any]] = []
    slots: dict[str, Any] = {}
    for type_name, data in rows:
        event = json.loads(data)
        if type_name == "user":
            messages.append({"text": event.get("text"), "answered": False})
        elif type_name == "bot" and messages:
            messages[-1]["answered"] = True
        elif type_name == "slot":
            slots[event.get("name")] = event.get("value")
    return {"messages": messages, "language": slots.get("language"), "city": slots.get("city")}


def without_repeats(texts: list[str]) -> list[str]:
    """A message sent again after an error is stored again: one of each run of repeats."""
    return [text for index, text in enumerate(texts) if index == 0 or texts[index - 1] != text]


def check_conversation(
    conversation: str, records: list[dict[str, Any]], stored: dict[str, Any], turns: dict[str, Any]
) -> list[str]:
    """What is wrong with one conversation's tracker, compared with what its user saw."""
    lang = records[0]["lang"]
    script_turns = turns[lang][records[0]["variant"]]
    answered = sorted({r["turn"] for r in records if r["kind"] == "turn" and r["outcome"] == "ok"})
    said = [script_turns[index]["text"] for index in answered]
    problems = []
    texts = without_repeats([m["text"] for m in stored["messages"]])
    next_text = script_turns[len(said)]["text"] if len(said) < len(script_turns) else None
    # The fault can fall between the tracker's save and the reply reaching the user: the next
    # message is then stored, and answered, without the user having seen its answer.
    unseen_answer = next_text is not None and texts == [*said, next_text]
    if texts != said and not unseen_answer:
        problems.append(f"stored messages {texts} but the user had answers to {said}")
    unanswered = [m["text"] for m in stored["messages"] if not m["answered"]]
    if unanswered:
        problems.append(f"stored messages without a bot answer: {unanswered}")
    stored_turns = len(said) + int(unseen_answer)
    if stored_turns:
        city = script_turns[stored_turns - 1]["city"]
        if stored["language"] != lang:
            problems.append(f"language slot {stored['language']!r}, conversation in {lang!r}")
        if stored["city"] != city:
            problems.append(f"city slot {stored['city']!r}, last answer about {city!r}")
    return [f"{conversation}: {problem}" for problem in problems]


def socketio_moves(events: list[dict[str, Any]], log: list[dict[str, Any]], fault: dict[str, Any]) -> int:
    """socket.io conversations served by the killed replica before the kill and another one after."""
    addresses = {r["address"] for r in events if r["channel"] == "socketio" and r["kind"] == "open"}
    before, after = set(), set()
    for record in log:
        if (
            record["address"] in addresses
            and record["uri"].startswith("/socket.io/")
            and record["status"] == 200
        ):
            served = record["upstreams"][-1] if record["upstreams"] else ""
            if record["t"] < fault["t"] and served == fault["rasa_replica"]:
                before.add(record["address"])
            elif record["t"] > fault["t"] and served and served != fault["rasa_replica"]:
                after.add(record["address"])
    return len(before & after)


def interrupted_turns(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Turns that met an error and were answered on a later attempt: from the first sending to the
    answer, what the user waited."""
    first_sent: dict[tuple[str, int], float] = {}
    failed: set[tuple[str, int]] = set()
    found = []
    for record in events:
        if record["kind"] not in ("send", "turn"):
            continue
        key = (record["conversation"], record["turn"])
        if record["kind"] == "send":
            first_sent.setdefault(key, record["t"])
        elif record["outcome"] != "ok":
            failed.add(key)
        elif key in failed:
            found.append(
                {
                    "conversation": key[0],
                    "turn": key[1] + 1,
                    "attempts": record["attempt"],
                    "sent": first_sent[key],
                    "answered": record["t"],
                }
            )
    return found


def reconnects(events: list[dict[str, Any]], kill_t: float) -> dict[str, int]:
    """socket.io visitors who found their socket closed at their next message, and got their session
    back (the same conversation) or not, before and after the kill."""
    found = Counter(
        ("after_kill" if r["t"] >= kill_t else "before_kill") + ("_failed" if r["problem"] else "")
        for r in events
        if r["kind"] == "reconnect"
    )
    return {
        key: found[key] for key in ("before_kill", "after_kill", "before_kill_failed", "after_kill_failed")
    }


def analyse(
    events: list[dict[str, Any]],
    timeline: dict[str, Any],
    stored: dict[str, dict[str, Any]],
    turns: dict[str, Any],
    log: list[dict[str, Any]],
) -> dict[str, Any]:
    """The figures and the verdict of one run."""
    kill_t = timeline["t"]
    attempts = [r for r in events if r["kind"] == "turn" and "latency_ms" in r]
    errors = [r for r in events if r["kind"] == "turn" and r["outcome"] in ("error", "lost")]
    wrong = [r for r in events if r["kind"] == "turn" and r["outcome"] == "wrong"]
    lost = [r for r in events if r["kind"] == "turn" and r["outcome"] == "lost"]
    first_error = min((r["t"] for r in errors), default=None)
    last_error = max((r["t"] for r in errors), default=None)
    interrupted = interrupted_turns(events)
    recovered = max([kill_t, *(r["answered"] for r in interrupted), *(r["t"] for r in errors)])
    window_end = recovered
    start = min((r["t"] for r in attempts), default=kill_t)
    end = max((r["t"] for r in attempts), default=kill_t)
    by_conversation: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in events:
        if record.get("conversation"):
            by_conversation[record["conversation"]].append(record)
    tracker_problems = [
        problem
        for conversation, records in sorted(by_conversation.items())
        for problem in check_conversation(conversation, records, stored[conversation], turns)
    ]
    ok_after = [r for r in attempts if r["outcome"] == "ok" and r["t"] > window_end]
    outcomes = Counter((r["channel"], r["lang"], r["outcome"]) for r in events if r["kind"] == "turn")
    return {
        "kill_s": round(kill_t - timeline["locust_started"], 1),
        "killed": {
            "rasa_replica": timeline["rasa_replica"],
            "action_server": timeline["action_server"],
            "turn_in_flight_on_the_replica": timeline["turn_in_flight_at_kill"],
        },
        "errors": len(errors),
        "errors_before_kill": sum(1 for r in errors if r["t"] < kill_t),
        "failover_window_s": round(last_error - first_error, 1) if errors else 0.0,  # first to last error
        "first_error_from_kill_s": round(first_error - kill_t, 1) if errors else None,  # < 0: before it
        "last_error_from_kill_s": round(last_error - kill_t, 1) if errors else None,
        "interrupted_turns": len(interrupted),
        "longest_interrupted_turn_s": round(
            max((r["answered"] - r["sent"] for r in interrupted), default=0.0), 1
        ),
        "all_answered_again_after_kill_s": round(recovered - kill_t, 1),
        "error_kinds": dict(Counter(r.get("detail", "")[:60] for r in errors).most_common(8)),
        "wrong_answers": [f"{r['conversation']} turn {r['turn'] + 1}: {r['detail'][:200]}" for r in wrong],
        "lost_turns": [f"{r['conversation']} turn {r['turn'] + 1} ({r['text']})" for r in lost],
        "conversations": len(by_conversation),
        "conversations_by_channel": dict(
            Counter(records[0]["channel"] for records in by_conversation.values())
        ),
        "complete_conversations": sum(
            1
            for records in by_conversation.values()
            if {r["turn"] for r in records if r["kind"] == "turn" and r["outcome"] == "ok"} == {0, 1, 2}
        ),
        "socketio_conversations_moved_to_the_other_replica": socketio_moves(events, log, timeline),
        "turns_answered_after_the_window": len(ok_after),
        "socketio_reconnections": reconnects(events, kill_t),
        "outcomes": {" ".join(key): count for key, count in sorted(outcomes.items())},
        "tracker_problems": tracker_problems,
        "phases": {
            "before": phase(attempts, start, kill_t),
            "during": phase(attempts, kill_t, window_end),
            "after": phase(attempts, window_end, end + 1e-6),
            "whole_run": phase(attempts, start, end + 1e-6),
        },
    }


def verdict(summary: dict[str, Any]) -> list[str]:
    """The correctness properties that failed (timings are reported, never judged)."""
    failed = []
    if summary["errors_before_kill"]:
        failed.append(f"{summary['errors_before_kill']} errors before the kill")
    if summary["wrong_answers"]:
        failed.append(f"{len(summary['wrong_answers'])} wrong answers (language or city lost)")
    if summary["lost_turns"]:
        failed.append(f"{len(summary['lost_turns'])} turns never answered")
    if summary["tracker_problems"]:
        failed.append(f"{len(summary['tracker_problems'])} problems in the stored conversations")
    if not summary["turns_answered_after_the_window"]:
        failed.append("no turn was answered after the failover window: the cluster did not recover")
    return failed


# ----- the run -------------------------------------------------------------------------------------


def drop_locks(env: dict[str, str], events_path: Path) -> None:
    """Delete the locks this run's conversations left in Redis (the killed replica's), no others."""
    store = lock_redis(env)
    keys = {f"lock:{r['conversation']}" for r in read_events(events_path) if r.get("conversation")}
    if keys:
        store.delete(*keys)


def load(cluster: Cluster, settings: Settings, turns: dict[str, Any], events_path: Path) -> dict[str, Any]:
    """Write the users' script, run locust with the fault; the timeline of the fault."""
    script_path = cluster.folder / "script.json"
    settings_for_users = {
        "url": cluster.url,
        "origin": cluster.url,
        "run": settings.run,
        "events": str(events_path),
        "conversations": turns,
        "apologies": apologies(REPO_ROOT / "bot" / "domain.yml"),
        "reply_timeout_s": 60,
        "turn_deadline_s": 150,
    }
    script_path.write_text(json.dumps(settings_for_users, ensure_ascii=False), encoding="utf-8")
    return run_locust(cluster, settings, script_path, events_path)


def report(summary: dict[str, Any], folder: Path, out: Path) -> int:
    """Write and print the summary; keep the servers' logs when a property failed."""
    (out / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    for name, kept in (
        ("events.jsonl", "events.jsonl"),
        ("locust.log", "locust.log"),
        ("nginx/access.log", "nginx-access.log"),
    ):
        shutil.copy(folder / name, out / kept)
    print(json.dumps({k: v for k, v in summary.items() if k != "outcomes"}, indent=2, ensure_ascii=False))
    if summary["failed"]:
        print(f"FAILED: {'; '.join(summary['failed'])}; the servers' logs are in {folder}/logs")
        return 1
    shutil.rmtree(folder, ignore_errors=True)
    return 0


def run(settings: Settings) -> int:
    model = check_tools()
    env = lock_store_env()
    connection = postgres()
    turns = script(load_knowledge_base(REPO_ROOT / "knowledge"))
    settings.out.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="citybot-cluster-"))
    os.chmod(folder, 0o755)  # nginx, running as nobody when we are root, reads its folder inside
    events_path = folder / "events.jsonl"
    events_path.touch()
    cluster = Cluster(folder)
    with schema(connection, f"cluster_{settings.run}") as schema_name:
        try:
            started = time.time()
            start_cluster(
                cluster,
                model,
                settings,
                {**env, "TRACKER_STORE_URL": POSTGRES_URL, "POSTGRESQL_SCHEMA": schema_name},
            )
            warm_up(cluster, settings.run)
            ready_s = round(time.time() - started, 1)
            print(f"cluster ready in {ready_s} s: nginx {cluster.url}; running locust ...", flush=True)
            timeline = load(cluster, settings, turns, events_path)
            events = read_events(events_path)
            stored = {
                c: stored_conversation(connection, schema_name, c)
                for c in {r["conversation"] for r in events if r.get("conversation")}
            }
        finally:
            cluster.stop()
            with contextlib.suppress(Exception):  # a cleaning failure must not hide the run's error
                drop_locks(env, events_path)
    summary = {
        "settings": {
            "users": settings.users,
            "run_time_s": settings.run_time,
            "kill_at_s": settings.kill_at,
            "ticket_lock_lifetime_s": settings.ticket_lifetime,
            "machine_cpus": os.cpu_count(),
        },
        "cluster_ready_s": ready_s,
        **analyse(events, timeline, stored, turns, access_log(folder / "nginx" / "access.log")),
    }
    summary["failed"] = verdict(summary)
    return report(summary, folder, settings.out)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--run-time", type=int, default=90, help="seconds of load (default 90)")
    parser.add_argument("--kill-at", type=int, default=30, help="seconds into the load (default 30)")
    parser.add_argument("--users", type=int, default=8, help="simulated users, half REST, half socket.io")
    parser.add_argument(
        "--ticket-lifetime",
        type=int,
        default=20,
        help="TICKET_LOCK_LIFETIME of the replicas (Rasa's default 60): how long a conversation whose "
        "turn was on the killed replica waits for the lock it left (default 20)",
    )
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "results" / "cluster")
    args = parser.parse_args()
    settings = Settings(args.run_time, args.kill_at, args.users, args.ticket_lifetime, args.out)
    try:
        return run(settings)
    except MissingError as missing:
        print(f"MISSING: {missing}", file=sys.stderr)
        return EXIT_MISSING


if __name__ == "__main__":
    sys.exit(main())
