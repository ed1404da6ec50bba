"""A raw socket.io client, packet by packet, for tests that must see the server's exact answers.

python-socketio's client hides them (a refused connection surfaces only after its polite
disconnect has waited out a 30 s long-poll), and browsers speak WebSocket, on which CORS does not
apply. So the security tests speak engine.io v4 themselves: over HTTP long-polling (`Polling`) and
over a WebSocket opened directly, as a browser page does (`websocket_connect`).

Packets: engine.io ``0`` open, ``4`` message; socket.io inside a message: ``0`` CONNECT,
``2`` EVENT, ``4`` CONNECT_ERROR. ``40`` asks to join the default namespace; ``40{"sid":..}`` is
the server's yes and ``44{..}`` its no.
"""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

#: engine.io separates packets in one polling body with the record separator.
SEPARATOR = "\x1e"


@dataclass
class Polling:
    """One engine.io session over HTTP long-polling, from a page at ``origin`` (None: no header)."""

    base_url: str
    origin: str | None = None
    sid: str = ""
    received: list[str] = field(default_factory=list)  # every packet, in order
    _unread: list[str] = field(default_factory=list)  # those `events` has not taken yet

    def _url(self) -> str:
        url = f"{self.base_url}/socket.io/?EIO=4&transport=polling"
        return f"{url}&sid={self.sid}" if self.sid else url

    def _request(self, method: str, body: bytes | None = None, timeout: float = 40.0) -> tuple[int, str]:
        headers = {"Content-Type": "text/plain;charset=UTF-8"}
        if self.origin:
            headers["Origin"] = self.origin
        request = urllib.request.Request(self._url(), data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as reply:
                return reply.status, reply.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def open(self) -> Polling:
        """The engine.io handshake, then socket.io's CONNECT (read its answer with `connect_reply`)."""
        status, body = self._request("GET")
        assert status == 200 and body.startswith("0"), (status, body)
        self.sid = json.loads(body[1:])["sid"]
        self.post("40")
        return self

    def post(self, *packets: str) -> int:
        """Send engine.io packets; the HTTP status (413 when over the server's limit)."""
        return self._request("POST", SEPARATOR.join(packets).encode("utf-8"))[0]

    def poll(self, timeout: float = 40.0) -> list[str]:
        """The packets waiting for us (the server holds the request until there is one)."""
        status, body = self._request("GET", timeout=timeout)
        packets = body.split(SEPARATOR) if status == 200 else []
        self.received += packets
        self._unread += packets
        if "2" in packets:  # the server's ping: answer, or it closes the session
            self.post("3")
        return packets

    def connect_reply(self) -> str:
        """The server's answer to CONNECT: ``40{..}`` (accepted) or ``44{..}`` (refused)."""
        while True:
            for packet in self.poll():
                if packet.startswith(("40", "44")):
                    return packet

    def emit(self, event: str, data: Any) -> int:
        return self.post("42" + json.dumps([event, data]))

    def request_session(self, session_id: str | None = None) -> str:
        """rasa-webchat's first event: the id the server confirms (issues, unless ``session_id``
        is one it issued)."""
        self.emit("session_request", {"session_id": session_id})
        confirmed = self.events("session_confirm", 1)
        assert confirmed, "no session_confirm"
        return str(confirmed[0])

    def events(self, name: str, count: int, rounds: int = 10) -> list[Any]:
        """The data of the first ``count`` unread ``name`` events (polling at most ``rounds`` times)."""
        found: list[Any] = []
        for attempt in range(rounds + 1):
            for packet in list(self._unread):
                if packet.startswith("42"):
                    event, *args = json.loads(packet[2:])
                    if event == name:
                        found.append(args[0] if args else None)
                        self._unread.remove(packet)
            if len(found) >= count or attempt == rounds:
                return found
            self.poll()
        return found

    def close(self) -> None:
        if self.sid:
            self.post("1")


def websocket_connect(base_url: str, origin: str | None) -> str:
    """Open a WebSocket to socket.io as a browser page at ``origin`` does and ask to connect;
    the server's answer (``40{..}`` or ``44{..}``)."""
    import websockets  # Sanic's WebSocket library, installed with Rasa

    async def handshake() -> str:
        url = _ws(base_url) + "/socket.io/?EIO=4&transport=websocket"
        async with websockets.connect(url, origin=origin, open_timeout=10) as socket:  # type: ignore[attr-defined]
            opened = await asyncio.wait_for(socket.recv(), 10)
            assert str(opened).startswith("0"), opened
            await socket.send("40")
            while True:
                packet = str(await asyncio.wait_for(socket.recv(), 10))
                if packet.startswith(("40", "44")):
                    return packet

    return asyncio.run(handshake())


def websocket_closed_after(base_url: str, origin: str | None, packet: str) -> bool:
    """Connect over a WebSocket, send ``packet``: whether the server then closes the connection."""
    import websockets

    async def exchange() -> bool:
        url = _ws(base_url) + "/socket.io/?EIO=4&transport=websocket"
        async with websockets.connect(url, origin=origin, open_timeout=10, max_size=None) as socket:  # type: ignore[attr-defined]
            await asyncio.wait_for(socket.recv(), 10)
            await socket.send("40")
            while not str(await asyncio.wait_for(socket.recv(), 10)).startswith("40"):
                pass
            await socket.send(packet)
            try:
                while True:
                    await asyncio.wait_for(socket.recv(), 10)
            except websockets.ConnectionClosed:  # type: ignore[attr-defined]
                return True
            except asyncio.TimeoutError:
                return False

    return asyncio.run(exchange())


def _ws(base_url: str) -> str:
    """The WebSocket URL of an HTTP(S) base URL (wss:// through a TLS proxy)."""
    return base_url.replace("https://", "wss://", 1).replace("http://", "ws://", 1)
