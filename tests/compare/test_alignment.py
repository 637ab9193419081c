"""Word-by-word alignment of sentences (compare.alignment) and the token vectors it reads (embed)."""

from __future__ import annotations

import numpy as np

from rashomon.compare.alignment import alignment_matrix, coverage
from rashomon.embed import TOKEN_SCALE

SHORT = "Sentencing has been set for June 28."
CONTAINS = "The federal judge overseeing the case, Robert L. Wilkins, is scheduled to sentence Mr. Jackson on June 28."
SAME_TOPIC = "The federal judge overseeing the case asked Mr. Jackson whether he understood the plea agreement."


def test_token_vectors_keep_content_pieces_only(workspace):
    ids, vectors = workspace.embedder.tokens(["The judge said that it was over, and he left."])[0]
    pieces = workspace.embedder._tokenizer.id_to_token
    assert [pieces(int(i)) for i in ids] == ["judge", "left"]
    assert vectors.dtype == np.int8 and vectors.shape == (2, 384)
    norms = np.linalg.norm(vectors.astype(np.float32) / TOKEN_SCALE, axis=1)
    assert np.allclose(norms, 1.0, atol=0.1), norms  # unit vectors, quantised


def test_token_vectors_come_with_the_sentence_vectors_in_one_pass(workspace):
    text = "A sentence nobody has embedded before, about prisoner swaps in Istanbul."
    workspace.embedder.tokens([text])
    assert workspace.embedder.cached([text]).keys() == {text}
    assert workspace.embedder.cached_tokens([text]).keys() == {text}


def test_a_sentence_stated_inside_a_longer_one_aligns_with_it_best(workspace):
    aligned = alignment_matrix(workspace.embedder.tokens([SHORT, CONTAINS, SAME_TOPIC]))
    assert aligned[0, 1] > aligned[0, 2] + 0.1, aligned
    # the long sentence's cosine cannot tell them apart as well
    vectors = workspace.embedder.embed([SHORT, CONTAINS, SAME_TOPIC])
    assert aligned[0, 1] - aligned[0, 2] > float(vectors[0] @ vectors[1] - vectors[0] @ vectors[2])


def test_alignment_is_symmetric_bounded_and_one_on_itself(workspace):
    tokens = workspace.embedder.tokens([SHORT, CONTAINS, SAME_TOPIC, "It was."])
    aligned = alignment_matrix(tokens)
    assert np.allclose(aligned, aligned.T)
    assert (aligned >= 0).all() and (aligned <= 1).all()
    assert np.allclose(np.diag(aligned)[:3], 1.0, atol=0.02)
    # a text of function words only has no tokens: it aligns with nothing
    assert len(tokens[3][0]) == 0 and not aligned[3, :3].any()
    cover = coverage(tokens)
    assert cover[0, 1] > cover[1, 0]  # the long sentence covers the short one, not the reverse


def test_coverage_is_the_same_in_blocks(workspace, monkeypatch):
    """Long stories are multiplied a block of texts at a time; the result does not depend on it."""
    from rashomon.compare import alignment as module

    tokens = workspace.embedder.tokens([SHORT, CONTAINS, SAME_TOPIC, "It was.", SHORT + " " + SAME_TOPIC])
    whole = coverage(tokens)
    monkeypatch.setattr(module, "BLOCK_TOKENS", 5)
    assert np.allclose(coverage(tokens), whole, atol=1e-6)


def test_a_full_cache_is_emptied_without_losing_what_was_asked_for():
    """When new texts overflow the caches, the texts asked for together with them still come back."""
    from rashomon.embed import Embedder

    small = Embedder(cache_size=3, token_cache_size=3)
    first = small.embed([SHORT, CONTAINS])
    small.tokens([SHORT, CONTAINS])
    again = small.embed([SHORT, CONTAINS, SAME_TOPIC, "Another sentence about the talks."])
    assert np.allclose(again[:2], first, atol=1e-6)
    tokens = small.tokens([SHORT, CONTAINS, SAME_TOPIC, "Another sentence about the talks."])
    assert [len(ids) for ids, _ in tokens][:2] == [len(ids) for ids, _ in small.tokens([SHORT, CONTAINS])]
    assert len(small._cache) <= 4 and len(small._tokens) <= 3
