"""The knowledge base: YAML facts about cities' COVID-19 responses, validated and indexed.

from citybot.kb import load_knowledge_base
kb = load_knowledge_base("knowledge")     # raises KnowledgeBaseError listing every problem
kb.find_city("chefchauen")                # CityMatch(city=..., score=95.5, exact=False)

Servers share one loaded knowledge base per process, reloaded when staff save a file:
`citybot.kb.shared.shared_knowledge_base(folder)`.
"""

from citybot.kb.errors import Issue, KnowledgeBaseError
from citybot.kb.knowledge_base import KnowledgeBase
from citybot.kb.loader import load_knowledge_base
from citybot.kb.model import (
    City,
    CityMatch,
    Country,
    Link,
    Measure,
    Names,
    Organisation,
    OrganisationFact,
    Person,
    Remark,
    Series,
    Source,
    Summary,
    Text,
    Topic,
    Webinar,
)

__all__ = [
    "load_knowledge_base",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "Issue",
    "City",
    "CityMatch",
    "Country",
    "Link",
    "Measure",
    "Names",
    "Organisation",
    "OrganisationFact",
    "Person",
    "Remark",
    "Series",
    "Source",
    "Summary",
    "Text",
    "Topic",
    "Webinar",
]
