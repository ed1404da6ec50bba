"""Where each server listens: one variable per door, loopback unless it says otherwise.

A default `make run` on a host with a public address must open nothing to the network: the page,
the Rasa server and the action server all listen on 127.0.0.1, and exposing one takes its own
variable (`WEBCHAT_HOST`, `RASA_HOST`, `ACTIONS_HOST`, paired with the `*_PORT` ones), e.g.
`RASA_HOST=0.0.0.0` behind a reverse proxy on another machine. The launcher prints which doors
are open to the network, so an exposed server is never a surprise (docs/security.md, "The doors").

Standard library only: the launcher imports it before any server starts, and so does the action
server's guard (`citybot.action_server`).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass

#: The shared secret the Rasa server sends the action server with every call, and its header
#: (bot/endpoints.yml; checked by `citybot.action_server`).
ACTION_TOKEN_ENV = "ACTION_SERVER_TOKEN"
ACTION_TOKEN_HEADER = "X-Citybot-Action-Token"
#: Shorter tokens are refused: a guessable token is no door.
MIN_TOKEN_CHARS = 16
#: Largest request body the Rasa server accepts (Sanic's `SANIC_REQUEST_MAX_SIZE`, 100 MB by
#: default). Its doors carry chat messages: the largest legitimate ones measured are a Telegram
#: update with a 4,096-character message replying to another and 200 link entities (107 KB, with
#: every character JSON-escaped) and a Slack event, whose text comes twice (`text` and `blocks`):
#: 97 KB for the 4,000 characters Slack's clients let users type, 161 KB for the 40,000 its API
#: allows in plain UTF-8. REST cuts texts to 10,000 characters (120 KB escaped). With margin:
RASA_MAX_BODY_BYTES = 256 * 1024
#: Where every server listens unless its variable says otherwise.
LOOPBACK = "127.0.0.1"
#: The variable naming each server's bind address (its port is `*_PORT`).
WEBCHAT_HOST_ENV = "WEBCHAT_HOST"
RASA_HOST_ENV = "RASA_HOST"
ACTIONS_HOST_ENV = "ACTIONS_HOST"


class DoorError(ValueError):
    """A bind-address variable that names no IP address."""


def bind_host(env: Mapping[str, str], variable: str) -> str:
    """The address `variable` names (default 127.0.0.1): an IPv4 or IPv6 address, not a host name.

    Names are refused because what a name resolves to, and so which doors open, may change
    without anyone noticing; `0.0.0.0` (or `::`) is how to say "every interface".
    """
    value = env.get(variable, "").strip() or LOOPBACK
    try:
        ipaddress.ip_address(value)
    except ValueError:
        raise DoorError(
            f"{variable}={value!r} is not an IP address: use {LOOPBACK} (the default, this machine "
            "only), an address of this host, or 0.0.0.0 for every interface"
        ) from None
    return value


def is_loopback(host: str) -> bool:
    """Whether a server bound to `host` can be reached from this machine only."""
    return ipaddress.ip_address(host).is_loopback


@dataclass(frozen=True)
class Door:
    """One server's listening socket, as the launcher configures it."""

    service: str
    variable: str
    host: str
    port: int

    @property
    def local_host(self) -> str:
        """An address on which this machine reaches the server (for readiness checks)."""
        address = ipaddress.ip_address(self.host)
        if address.is_unspecified:  # 0.0.0.0 / :: include loopback
            return LOOPBACK if address.version == 4 else "[::1]"
        return self.host if address.version == 4 else f"[{self.host}]"

    def url(self, path: str = "/") -> str:
        return f"http://{self.local_host}:{self.port}{path}"

    @property
    def open_to_network(self) -> bool:
        return not is_loopback(self.host)

    def describe(self) -> str:
        """One line of the launcher's summary: where it listens and whether the network can knock."""
        where = "every interface" if ipaddress.ip_address(self.host).is_unspecified else self.host
        if self.open_to_network:
            return f"{self.service:<14} port {self.port}: OPEN to the network on {where} ({self.variable})"
        return f"{self.service:<14} port {self.port}: this machine only ({self.variable}={self.host})"


def checked_action_token(token: str) -> str:
    """`token` when usable as the action server's secret, else DoorError saying what to set."""
    if not token:
        raise DoorError(
            f"{ACTION_TOKEN_ENV} is not set. Give the action server and the Rasa server the same random "
            f"value (at least {MIN_TOKEN_CHARS} characters), e.g. export "
            f"{ACTION_TOKEN_ENV}=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))'); "
            "`make run` makes one for you"
        )
    if len(token) < MIN_TOKEN_CHARS or not token.isascii() or not token.isprintable() or " " in token:
        raise DoorError(
            f"{ACTION_TOKEN_ENV} must be at least {MIN_TOKEN_CHARS} printable ASCII characters without "
            "spaces (it travels in an HTTP header)"
        )
    return token
