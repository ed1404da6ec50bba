"""The cluster test's users (locust, in .venv-cluster): REST users and socket.io users, in English and
French, each holding conversations whose later turns depend on the earlier ones ("And Chefchaouen?"
must keep the language and the topic), through nginx.

Every reply is checked against the knowledge base's own texts for that turn (computed by run.py, in
the script file ``CLUSTER_SCRIPT``): an answer naming the expected measures in the expected language
is ``ok``; the bot's technical-problem apology, an HTTP error, a timeout or a dropped socket is an
``error``, after which the user sends the same message again (as a person would) until it is
answered; any other answer is ``wrong`` (the conversation lost its language or its city) and ends
the conversation. A turn still unanswered after ``turn_deadline_s`` is ``lost``. Every attempt is a
line of ``events`` (JSON), which run.py reads with the trackers from PostgreSQL.

Each conversation is a new visitor with its own loopback address (127.a.b.1: Linux answers on all
of 127/8), so that nginx's ``ip_hash`` (which keys on the first three bytes) spreads the socket.io
visitors over the replicas as it would spread browsers, and its per-address rate limit applies per
visitor. Half the socket.io visitors stay on long-polling, where every request must reach the
replica holding the session; the others upgrade to WebSocket, as browsers do.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import queue
import random
import socket
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
import socketio
from locust import User, between, task
from requests.adapters import HTTPAdapter
from socketio import exceptions as socketio_errors

SCRIPT: dict[str, Any] = json.loads(Path(os.environ["CLUSTER_SCRIPT"]).read_text(encoding="utf-8"))
BASE_URL: str = SCRIPT["url"]
RETRY_PAUSE_S = 1.0
#: A reply is complete when no further part has come for this long (socket.io splits answers).
QUIET_S = 1.5
_addresses = itertools.count(1)
_senders = itertools.count(1)
_transports = itertools.cycle([["polling"], ["polling", "websocket"]])
_log_lock = threading.Lock()
_log = open(SCRIPT["events"], "a", encoding="utf-8", buffering=1)  # noqa: SIM115 - for the whole run


def record(**fields: Any) -> None:
    with _log_lock:
        _log.write(json.dumps({"t": time.time(), **fields}, ensure_ascii=False) + "\n")


def new_address() -> str:
    """A loopback address of its own for the next visitor (third byte differs: ip_hash's key)."""
    number = next(_addresses)
    return f"127.{1 + number // 250 % 250}.{number % 250}.1"


def plain(text: str) -> str:
    """Spaces of every kind as one kind (French typography adds no-break spaces)."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def judge(texts: list[str], turn: dict[str, Any]) -> str:
    """``ok``, ``error`` (the apology, or nothing) or ``wrong``, for the bot messages of one turn."""
    said = plain("\n".join(texts))
    if any(plain(expected) in said for expected in turn["expect"]):
        return "ok"
    if not said or any(plain(apology) in said for apology in SCRIPT["apologies"]):
        return "error"
    return "wrong"


class SourceAddressAdapter(HTTPAdapter):
    """requests' adapter, connecting from a chosen local address."""

    def __init__(self, address: str) -> None:
        self._source = (address, 0)
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = self._source
        super().init_poolmanager(*args, **kwargs)


def http_session(address: str) -> requests.Session:
    session = requests.Session()
    session.mount("http://", SourceAddressAdapter(address))
    return session


class Conversation:
    """One visitor's conversation: its script, where it is, and what it has recorded."""

    def __init__(self, channel: str, lang: str) -> None:
        variants = SCRIPT["conversations"][lang]
        self.channel, self.lang = channel, lang
        self.variant = random.randrange(len(variants))
        self.turns: list[dict[str, Any]] = variants[self.variant]
        self.index = 0
        self.address = new_address()
        self.id = ""  # the tracker-store id, once known
        self.finished = False

    def log(self, **fields: Any) -> None:
        """One line of events; the conversation's id is known only once its session is (socket.io)."""
        record(
            conversation=self.id,
            channel=self.channel,
            lang=self.lang,
            variant=self.variant,
            address=self.address,
            **fields,
        )


class ConversationUser(User):
    """Runs conversations turn by turn (one locust task per turn, so that a stopping run lets the
    turn in progress finish); subclasses say how a message travels."""

    abstract = True
    wait_time = between(0.5, 2.0)
    channel = ""

    def on_start(self) -> None:
        self.languages = itertools.cycle(random.sample(["en", "fr"], 2))
        self.conversation: Conversation | None = None
        self.answered_at = 0.0

    def on_stop(self) -> None:
        self.close()

    @task
    def next_turn(self) -> None:
        if self.conversation is None or self.conversation.finished:
            self.close()
            self.conversation = Conversation(self.channel, next(self.languages))
            self.open(self.conversation)
        conversation = self.conversation
        turn = conversation.turns[conversation.index]
        deadline = time.time() + SCRIPT["turn_deadline_s"]
        attempt = 0
        while True:
            attempt += 1
            started = time.time()
            conversation.log(kind="send", turn=conversation.index, attempt=attempt)
            texts, problem = self.exchange(conversation, turn["text"])
            outcome = "error" if problem else judge(texts, turn)
            latency_ms = ((self.answered_at or time.time()) - started) * 1000
            conversation.log(
                kind="turn",
                turn=conversation.index,
                text=turn["text"],
                attempt=attempt,
                outcome=outcome,
                latency_ms=round(latency_ms, 1),
                detail=problem or ("" if outcome == "ok" else " | ".join(texts)[:300]),
            )
            self.environment.events.request.fire(
                request_type=self.channel,
                name=f"{conversation.lang} turn {conversation.index + 1}",
                response_time=latency_ms,
                response_length=sum(len(text) for text in texts),
                exception=None if outcome == "ok" else RuntimeError(f"{outcome}: {problem or texts[:1]}"),
                context={},
            )
            if outcome == "ok":
                conversation.index += 1
                conversation.finished = conversation.index == len(conversation.turns)
                return
            if outcome == "wrong" or time.time() > deadline:
                if outcome != "wrong":
                    conversation.log(kind="turn", turn=conversation.index, text=turn["text"], outcome="lost")
                conversation.finished = True
                return
            time.sleep(RETRY_PAUSE_S)

    def open(self, conversation: Conversation) -> None:
        raise NotImplementedError

    def exchange(self, conversation: Conversation, text: str) -> tuple[list[str], str]:
        """Send ``text``; the bot's messages, and what went wrong on the way ("" if nothing).
        Sets ``answered_at`` to when the (last part of the) answer came."""
        raise NotImplementedError

    def close(self) -> None:
        """Leave the current conversation (the visitor goes away)."""


class RestUser(ConversationUser):
    """A REST client (Rasa's /webhooks/rest/webhook): any replica can answer it, the conversation
    being in PostgreSQL; nginx sends it where its visitor's address hashes to."""

    channel = "rest"

    def open(self, conversation: Conversation) -> None:
        sender = f"cluster-{SCRIPT['run']}-{os.getpid()}-{next(_senders)}"
        conversation.id = f"rest:{sender}"
        self.sender = sender
        self.http = http_session(conversation.address)
        conversation.log(kind="open")

    def exchange(self, conversation: Conversation, text: str) -> tuple[list[str], str]:
        self.answered_at = 0.0
        try:
            reply = self.http.post(
                f"{BASE_URL}/webhooks/rest/webhook",
                json={"sender": self.sender, "message": text},
                timeout=SCRIPT["reply_timeout_s"],
            )
        except requests.RequestException as error:
            return [], f"{type(error).__name__}: {error}"[:200]
        if reply.status_code != 200:
            return [], f"HTTP {reply.status_code}"
        self.answered_at = time.time()
        return [message.get("text") or "" for message in reply.json()], ""


class SocketIOUser(ConversationUser):
    """A web page's socket.io client (python-socketio), sticky through nginx's ip_hash; when its
    replica dies it reconnects, asks for its session again, and sends the unanswered message again."""

    channel = "socketio"

    def on_start(self) -> None:
        super().on_start()
        self.client: socketio.Client | None = None
        self.inbox: queue.Queue[str] = queue.Queue()
        self.token = ""
        self.transports = ["polling"]

    def open(self, conversation: Conversation) -> None:
        self.token = ""
        self.transports = next(_transports)
        problem = self.connect(conversation)
        conversation.log(kind="open", transports=self.transports, problem=problem)

    def _websocket_options(self, address: str) -> dict[str, Any]:
        """A TCP connection to nginx from the visitor's address, for the WebSocket upgrade
        (websocket-client takes a connected socket; it has no source-address option)."""
        if "websocket" not in self.transports:
            return {}
        parts = urlsplit(BASE_URL)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind((address, 0))
        sock.connect((parts.hostname, parts.port))
        return {"socket": sock}

    def connect(self, conversation: Conversation) -> str:
        """Connect and get the session confirmed (the same one on a reconnect); "" or the problem."""
        self.close()
        self.inbox = queue.Queue()
        confirmed: queue.Queue[str] = queue.Queue()
        try:
            client = socketio.Client(
                reconnection=False,
                http_session=http_session(conversation.address),
                request_timeout=SCRIPT["reply_timeout_s"],
                websocket_extra_options=self._websocket_options(conversation.address),
            )
            client.on("bot_uttered", lambda data: self.inbox.put((data or {}).get("text") or ""))
            client.on("session_confirm", lambda token: confirmed.put(str(token)))
            self.client = client
            client.connect(
                BASE_URL, headers={"Origin": SCRIPT["origin"]}, transports=self.transports, wait_timeout=15
            )
            client.emit("session_request", {"session_id": self.token or None})
            token = confirmed.get(timeout=15)
        except (socketio_errors.SocketIOError, OSError, queue.Empty) as error:
            self.close()
            return f"connect: {type(error).__name__}: {error}"[:200]
        if self.token and token != self.token:
            return f"session changed on reconnect: {self.token[:8]}... -> {token[:8]}..."
        self.token = token
        conversation.id = f"socketio:{token.split('.')[0]}"
        return ""

    def exchange(self, conversation: Conversation, text: str) -> tuple[list[str], str]:
        self.answered_at = 0.0
        if self.client is None or not self.client.connected:
            problem = self.connect(conversation)
            conversation.log(kind="reconnect", problem=problem)
            if problem:
                return [], problem
            if conversation.id == "":
                return [], "no session"
        assert self.client is not None
        while not self.inbox.empty():  # anything left of an earlier answer
            self.inbox.get_nowait()
        try:
            # no language hint: the bot must find and keep the language itself, as for REST
            self.client.emit("user_uttered", {"message": text})
        except socketio_errors.SocketIOError as error:
            self.close()
            return [], f"emit: {type(error).__name__}"
        return self._answer()

    def _answer(self) -> tuple[list[str], str]:
        """The parts of the answer: wait for the first, then until none comes for QUIET_S."""
        assert self.client is not None
        texts: list[str] = []
        deadline = time.time() + SCRIPT["reply_timeout_s"]
        while time.time() < deadline:
            try:
                texts.append(self.inbox.get(timeout=QUIET_S if texts else 0.5))
                self.answered_at = time.time()
            except queue.Empty:
                if texts:
                    return texts, ""
                if not self.client.connected:
                    self.close()
                    return [], "socket.io disconnected"
        self.close()
        return texts, "" if texts else "no answer"

    def close(self) -> None:
        """Leave as a closed tab does, without waiting: a polling client's disconnect waits for its
        pending long-poll (up to the 25 s ping interval), which would hold the user up."""
        if getattr(self, "client", None) is not None:
            client, self.client = self.client, None
            threading.Thread(target=_disconnect, args=(client,), daemon=True).start()


def _disconnect(client: socketio.Client) -> None:
    with contextlib.suppress(Exception):  # a socket already dead is what we are leaving
        client.disconnect()
