"""Rasa input channels for citybot.

Each channel module holds one small subclass of a Rasa 3.6 connector, fixing what the stock
connector gets wrong for us (see docs/architecture.md, "Language hint from channels"):

- ``socketio``: awaits ``enter_room`` so ``session_persistence: true`` works with
  python-socketio >= 5.10 (RasaHQ/rasa#13027); refuses pages from other origins; issues the
  session ids; bounds what a message may carry.
- ``callback``: requires signed requests; passes the request's language hint to the bot.
- ``telegram``: requires the webhook's secret token; turns the user's ``language_code`` into the
  language hint; registers the webhook without crashing the server when Telegram cannot be reached.
- ``slack``: lets the Slack Web API base URL be configured (GovSlack, tests); escapes mrkdwn.
- ``rest``: refuses requests without a usable ``sender`` (400) instead of filing them
  under one shared "default" conversation, and bodies not declared as JSON (415).

The others hold what several channels share: ``inbound`` (every message bounded, cleaned and filed
under a conversation id namespaced by its channel, ``conversation_ids``), ``request_checks`` (HTTP
bodies), ``callback_signature``, ``telegram_secret``, ``session_tokens``, ``origins``, ``api_urls``,
and ``credentials``, which builds the effective ``credentials.yml`` from environment variables.

Channels are referenced from credentials files by module path, e.g.
``citybot.channels.socketio.SocketIOInput``.
"""
