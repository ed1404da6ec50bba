"""The citybot action server (`rasa run actions --actions actions`).

rasa-sdk imports every module of this package and registers each concrete `Action` subclass it
finds; `notices.ANSWER_ACTIONS` lists the same actions by name (a test keeps the two equal).
Facts come from the YAML knowledge base (`citybot.kb`), wording from the domain's responses.

- `city.py`, `topics.py`, `webinar.py`, `organisation.py`, `general.py`: the actions, by
  subject; each class holds its name, what it looks up and its answer.
- `sources.py`: "where does this come from?", the full references of the previous answer's facts.
- `notices.py`: `action_answer_with_notice` and the table of every answer action by name.
- `base.py`: `KnowledgeAction`, the template that never crashes; `session.py`: long sessions.
- `resolve.py`: from the tracker to the reply language and the records meant (`dates.py`: dates).
- `facts.py`: the `Reply` being composed, facts with their sources, values as each language writes them.
- `knowledge.py`: the one knowledge base, reloaded when staff save a file.
"""

from citybot.action_server import register

# rasa-sdk imports this package while it builds its server: from then on that server answers
# only the Rasa server, within bounds (citybot/action_server.py says how and why).
register()
