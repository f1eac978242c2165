"""Build the blank Swedish spaCy pipeline (tokenizer + lookup lemmatizer) that Rasa's SpacyNLP loads.

Nothing is downloaded: the lemma tables come from the installed spacy-lookups-data package.
Usage: python scripts/build_spacy_sv.py models/spacy-sv
"""

import sys
from pathlib import Path

import spacy


def build(target: Path) -> None:
    nlp = spacy.blank("sv")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    nlp.meta["name"] = "trygg_sv_blank"
    nlp.meta["description"] = "Blank Swedish pipeline with lookup lemmas (spacy-lookups-data)"
    target.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(target)


if __name__ == "__main__":
    build(Path(sys.argv[1] if len(sys.argv) > 1 else "models/spacy-sv"))
