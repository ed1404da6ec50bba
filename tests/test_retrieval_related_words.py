"""knowledge/related_words.yml: optional, validated like every knowledge file, read by retrieval."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from citybot.kb import KnowledgeBaseError, load_knowledge_base
from citybot.retrieval.analysis import related_terms

VALID_KB = Path(__file__).parent / "fixtures" / "kb" / "valid"


def _kb_with(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "knowledge"
    shutil.copytree(VALID_KB, folder)
    (folder / "related_words.yml").write_text(text, encoding="utf-8")
    return folder


def _problems(folder: Path) -> list[str]:
    with pytest.raises(KnowledgeBaseError) as caught:
        load_knowledge_base(folder)
    return [f"{i.file.rsplit('/', 1)[-1]}:{i.line}: {i.field}: {i.message}" for i in caught.value.issues]


def test_the_file_is_optional_and_read_when_present(tmp_path):
    assert load_knowledge_base(VALID_KB).related_words == ()
    folder = _kb_with(tmp_path, "related_words:\n  - [lent, loaned, prêté]\n  - [flights, air  links]\n")
    assert load_knowledge_base(folder).related_words == (
        ("lent", "loaned", "prêté"),
        ("flights", "air links"),
    )


def test_a_group_of_one_word_and_an_empty_word_are_located_and_explained(tmp_path):
    folder = _kb_with(tmp_path, 'related_words:\n  - [lent]\n  - [flights, ""]\n')
    assert _problems(folder) == [
        "related_words.yml:2: related_words[0]: a group of related words needs at least two words: "
        "the word and what it relates to",
        "related_words.yml:3: related_words[1][1]: is empty: write a word, or remove the item",
    ]


def test_a_misspelt_file_name_is_reported_with_the_files_the_bot_reads(tmp_path):
    folder = _kb_with(tmp_path, "related_words:\n  - [lent, loaned]\n")
    (folder / "related_words.yml").rename(folder / "related-words.yml")
    (problem,) = _problems(folder)
    assert "related-words.yml" in problem and "related_words.yml" in problem.split(":", 3)[-1]


def test_one_word_entries_are_looked_up_and_phrases_are_searched():
    related = related_terms([("flights", "air links", "vols")])
    assert related["flight"] == ((("air",), ("link",)), (("vol",),))
    assert related["vol"] == ((("flight",),), (("air",), ("link",)))
    assert "air" not in related and "link" not in related  # a phrase is no key


def test_a_related_phrase_counts_only_in_facts_having_each_of_its_words(tmp_path):
    folder = tmp_path / "knowledge"
    shutil.copytree(Path(__file__).resolve().parent.parent / "knowledge", folder)
    (folder / "related_words.yml").write_text("related_words:\n  - [aviation, air links]\n", encoding="utf-8")
    index = load_knowledge_base(folder).fact_index
    found = [hit.fact.id for hit in index.rank("aviation", kinds={"measure"})]
    assert found[0] == "chefchaouen-air-sea-links-suspended"
    assert "kashan-every-home-daily-broadcast" not in found  # "aired", without "links"
    assert "kashan-every-home-daily-broadcast" in [
        hit.fact.id for hit in index.rank("air", kinds={"measure"})
    ]
