"""Rasa input channels for citybot.

Each module holds one small subclass of a Rasa 3.6 connector, fixing what the stock
connector gets wrong for us (see docs/architecture.md, "Language hint from channels"):

- ``socketio``: awaits ``enter_room`` so ``session_persistence: true`` works with
  python-socketio >= 5.10 (RasaHQ/rasa#13027).
- ``callback``: passes the request's ``metadata`` (the language hint) to the bot.
- ``telegram``: turns the user's ``language_code`` into the language hint and registers
  the webhook without crashing the server when Telegram cannot be reached.
- ``slack``: lets the Slack Web API base URL be configured (GovSlack, tests).
- ``rest``: refuses requests without a usable ``sender`` (400) instead of filing them
  under one shared "default" conversation; cleans control characters from texts.
- ``credentials``: builds the effective ``credentials.yml`` from environment variables.

Channels are referenced from credentials files by module path, e.g.
``citybot.channels.socketio.SocketIOInput``.
"""
