"""The language hint that channels put in message metadata.

Kept in one place so that every channel produces the same shape,
``{"language": "fr"}``, and drops values the bot could not use.
"""

from typing import Any

SUPPORTED_LANGUAGES = ("en", "fr")


def language_code(raw: Any) -> str | None:
    """Return ``"en"``/``"fr"`` for a language tag such as ``"fr-CA"``, else ``None``.

    Channels receive whatever clients send (Telegram sends IETF tags like ``pt-br``);
    the bot only understands our two languages, so anything else is no hint at all.
    """
    if not isinstance(raw, str):
        return None
    primary = raw.strip().lower().replace("_", "-").split("-", 1)[0]
    return primary if primary in SUPPORTED_LANGUAGES else None


def metadata_with_language(metadata: Any, raw_language: Any = None) -> dict[str, Any]:
    """Return a metadata dict whose ``language`` (if any) is a supported code.

    ``metadata`` from clients may be anything (a string, a list, null): it becomes a
    dict so Rasa never fails on it. ``raw_language``, when given, overrides the
    ``language`` found in ``metadata``.
    """
    result: dict[str, Any] = dict(metadata) if isinstance(metadata, dict) else {}
    raw = raw_language if raw_language is not None else result.get("language")
    code = language_code(raw)
    if code:
        result["language"] = code
    else:
        result.pop("language", None)
    return result
