"""The citybot action server (`rasa run actions --actions actions`).

Every module here holds Rasa SDK actions or the helpers they share; rasa-sdk imports the
package and registers each concrete `Action` subclass it finds. Facts come from the YAML
knowledge base (`citybot.kb`), wording from the domain's responses.
"""
