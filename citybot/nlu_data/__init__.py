"""The NLU training data derived from the knowledge base: run before training, never by a server.

    templates.py  bot/nlu_templates.yml, read and checked (question templates per intent)
    surfaces.py   which knowledge-base names go into the data, in a stable order
    generate.py   `generate` / `check`: data/nlu/generated/*.yml from the two above

`citybot nlu generate` writes the files (`make nlu`, and `make train` first of all); `citybot nlu
check` fails when the committed files are stale. Editing this package changes what the next
training learns; the NLU components that run in the Rasa server are in `citybot.nlu`.
"""
