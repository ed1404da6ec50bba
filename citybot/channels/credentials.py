"""Build the effective Rasa ``credentials.yml`` from environment variables.

Rasa expands ``${VAR}`` in credentials.yml and refuses to start when a variable is
unset, so a single file listing every channel would force every deployment to set
every channel's secrets. Instead, channels that need secrets are *enabled by their
environment variables*: ``build(env)`` always returns the public channels (socket.io for
the web page, REST) and adds Telegram, Slack or the callback channel only when their
required variables are set. A channel with only some of its required variables set is
a configuration mistake and raises ``CredentialsError`` naming the missing ones.

The channels reachable from the internet authenticate their callers, so their secrets are
required, not optional: Telegram's ``TELEGRAM_SECRET_TOKEN`` and the callback channel's
``CALLBACK_SECRET`` (Slack's ``SLACK_SIGNING_SECRET`` already was). A value that cannot work is also
refused here, naming its variable: a Telegram secret outside Telegram's charset, an API URL that
would send a bot token over plain HTTP to another machine, a page origin that is not one. The only
way to run the callback channel unsigned is ``CITYBOT_INSECURE_CALLBACK=1``, for a platform on a
trusted network; `summary` then says so in capitals.

Secrets are never written to disk: the file holds ``${VAR}`` placeholders that Rasa
expands when it reads the file, from the same environment. Write it and run Rasa in
the same environment, e.g.::

    python -m citybot.channels.credentials --out var/credentials.yml
    rasa run --credentials var/credentials.yml ...

(``citybot.launcher``, behind ``make run``, calls ``write_credentials`` itself.)

``bot/credentials.yml`` (committed) is ``build({})``: the channels that need nothing.
"""

import argparse
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from citybot.channels.api_urls import api_url_problem
from citybot.channels.origins import OriginError, page_origins
from citybot.channels.telegram_secret import secret_problem


class CredentialsError(ValueError):
    """The environment configures a channel only partly."""


@dataclass(frozen=True)
class EnvChannel:
    """A channel enabled by environment variables: credential key -> variable name.

    ``unsigned_opt_out`` names the variable that, set to 1, lets the channel run without its
    ``signing_key`` (credential ``allow_unsigned: true``).
    """

    key: str
    required: Mapping[str, str]
    optional: Mapping[str, str] = field(default_factory=dict)
    signing_key: str | None = None
    unsigned_opt_out: str | None = None
    #: Where the secret comes from, when the platform issues it (else: generate one).
    secret_source: str | None = None

    @property
    def name(self) -> str:
        """``callback``, ``telegram``, ``slack``: the channel module's name."""
        return self.key.rsplit(".", 2)[-2]

    @property
    def secrets(self) -> tuple[str, ...]:
        """The variables that authenticate the channel's callers."""
        return tuple(var for key, var in self.required.items() if key in _SECRET_KEYS)


REST = "citybot.channels.rest.RestInput"  # refuses a missing sender (400) instead of "default"
SOCKETIO = "citybot.channels.socketio.SocketIOInput"
CALLBACK = "citybot.channels.callback.CallbackInput"
TELEGRAM = "citybot.channels.telegram.TelegramInput"
SLACK = "citybot.channels.slack.SlackInput"

PUBLIC_CHANNELS: dict[str, Any] = {
    REST: None,
    SOCKETIO: {
        "user_message_evt": "user_uttered",
        "bot_message_evt": "bot_uttered",
        "session_persistence": True,  # a page reload keeps the conversation
        "metadata_key": "customData",  # where rasa-webchat puts {"language": ..}
        # "allowed_origins" (the page's) is added by `build`, from the environment
    },
}

#: The credential keys holding what authenticates a channel's callers.
_SECRET_KEYS = ("secret", "secret_token", "slack_signing_secret")

#: Set to 1 to run the callback channel without CALLBACK_SECRET (a trusted network only).
INSECURE_CALLBACK_ENV = "CITYBOT_INSECURE_CALLBACK"

ENV_CHANNELS = (
    EnvChannel(
        CALLBACK,
        required={"url": "CALLBACK_URL", "secret": "CALLBACK_SECRET"},
        signing_key="secret",
        unsigned_opt_out=INSECURE_CALLBACK_ENV,
    ),
    EnvChannel(
        TELEGRAM,
        required={
            "access_token": "TELEGRAM_ACCESS_TOKEN",
            "verify": "TELEGRAM_VERIFY",
            "webhook_url": "TELEGRAM_WEBHOOK_URL",
            "secret_token": "TELEGRAM_SECRET_TOKEN",
        },
        optional={"api_url": "TELEGRAM_API_URL"},
    ),
    EnvChannel(
        SLACK,
        required={"slack_token": "SLACK_TOKEN", "slack_signing_secret": "SLACK_SIGNING_SECRET"},
        secret_source="the Signing Secret on the Slack app's Basic Information page",
        optional={"slack_channel": "SLACK_CHANNEL", "api_url": "SLACK_API_URL"},
    ),
)


#: Checks of a variable's value: why it cannot work, or None. Run on every set variable.
VALUE_CHECKS: dict[str, Callable[[str], str | None]] = {
    "TELEGRAM_SECRET_TOKEN": secret_problem,
    "TELEGRAM_API_URL": api_url_problem,
    "SLACK_API_URL": api_url_problem,
}


def _is_set(env: Mapping[str, str], name: str) -> bool:
    return bool(env.get(name, "").strip())


def unsigned(channel: EnvChannel, env: Mapping[str, str]) -> bool:
    """Whether ``env`` opts ``channel`` out of its request signature."""
    return channel.unsigned_opt_out is not None and env.get(channel.unsigned_opt_out, "").strip() == "1"


def _channel_section(channel: EnvChannel, env: Mapping[str, str]) -> dict[str, Any] | None:
    """Placeholders for ``channel`` when enabled, ``None`` when none of its variables is set."""
    required = dict(channel.required)
    if unsigned(channel, env) and channel.signing_key and not _is_set(env, required[channel.signing_key]):
        del required[channel.signing_key]
    missing = [var for var in required.values() if not _is_set(env, var)]
    if len(missing) == len(required):
        return None
    present = [var for var in required.values() if var not in missing]
    if missing and set(missing) <= set(channel.secrets):
        opt_out = (
            f", or {channel.unsigned_opt_out}=1 on a trusted network only" if channel.unsigned_opt_out else ""
        )
        raise CredentialsError(
            f"the {channel.name} channel is on ({', '.join(present)}) but {', '.join(missing)} is not set: "
            f"without it anyone who can reach its webhook could post as any user. Set it "
            f"({channel.secret_source or f'e.g. `export {missing[0]}=$(openssl rand -hex 32)`'}){opt_out}."
        )
    if missing:
        raise CredentialsError(
            f"the {channel.name} channel is partly configured: set {', '.join(missing)} "
            f"(or unset {', '.join(present)})"
        )
    keys = dict(required)
    keys.update({k: v for k, v in channel.optional.items() if _is_set(env, v)})
    for var in keys.values():
        problem = VALUE_CHECKS[var](env[var].strip()) if var in VALUE_CHECKS else None
        if problem:
            raise CredentialsError(f"{var} {problem}")
    section: dict[str, Any] = {key: "${" + var + "}" for key, var in keys.items()}
    if channel.signing_key and channel.signing_key not in keys:
        section["allow_unsigned"] = True
    return section


def build(env: Mapping[str, str]) -> dict[str, Any]:
    """The credentials for ``env``: public channels plus those whose variables are set."""
    credentials: dict[str, Any] = {k: (dict(v) if v else v) for k, v in PUBLIC_CHANNELS.items()}
    try:
        credentials[SOCKETIO]["allowed_origins"] = list(page_origins(env))
    except OriginError as error:
        raise CredentialsError(str(error)) from error
    for channel in ENV_CHANNELS:
        section = _channel_section(channel, env)
        if section is not None:
            credentials[channel.key] = section
    return credentials


def render(credentials: Mapping[str, Any]) -> str:
    """YAML text for Rasa; placeholders stay plain scalars so Rasa expands them."""
    header = (
        "# Generated by `python -m citybot.channels.credentials`: edit\n"
        "# citybot/channels/credentials.py, not this file. ${VAR} values are read by\n"
        "# Rasa from the environment when it starts.\n"
    )
    return header + yaml.safe_dump(dict(credentials), sort_keys=False, allow_unicode=True)


def write_credentials(env: Mapping[str, str], path: Path) -> Path:
    """Write the credentials file for ``env`` to ``path`` (for ``rasa run --credentials``).

    Raises ``CredentialsError`` for a partly configured channel, before anything is written.
    """
    text = render(build(env))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def summary(credentials: Mapping[str, Any]) -> str:
    """One line per optional channel: enabled, or which variables enable it; a line in capitals
    for a channel that accepts unsigned requests."""
    lines = []
    for channel in ENV_CHANNELS:
        name = channel.name
        section = credentials.get(channel.key)
        if isinstance(section, Mapping) and section.get("allow_unsigned") is True:
            lines.append(
                f"{name}: enabled, UNSIGNED ({channel.unsigned_opt_out}=1): ANYONE WHO CAN REACH ITS "
                "WEBHOOK CAN POST AS ANY USER"
            )
        elif section is not None:
            lines.append(f"{name}: enabled")
        else:
            lines.append(f"{name}: off (set {', '.join(channel.required.values())})")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write (or print) the effective credentials file."""
    parser = argparse.ArgumentParser(
        prog="python -m citybot.channels.credentials",
        description="Write the Rasa credentials file for the channels configured in the environment.",
    )
    parser.add_argument("--out", type=Path, help="file to write (default: print it)")
    args = parser.parse_args(argv)
    try:
        credentials = build(os.environ)
        if args.out:
            write_credentials(os.environ, args.out)
    except CredentialsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not args.out:
        sys.stdout.write(render(credentials))
    print(summary(credentials), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
