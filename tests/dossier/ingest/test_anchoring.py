"""Re-anchoring annotations across versions: plain text in, places out (dossier.ingest.anchoring)."""
from hypothesis import given, settings
from hypothesis import strategies as st

from dossier.ingest.anchoring import Anchor, reanchor
from dossier.ingest.segmenting import segment

OLD = (
    "Iran and Pakistan agreed on Tuesday to patrol the border together. "
    "Officials said the patrols would start next month. "
    "Reports indicate that smuggling has grown.\n\n"
    "The Foreign Ministry spokesperson asked for calm. "
    "Analysts say the deal is fragile. "
    "It is, in our view, a welcome step."
)


def spans(body):
    return [(s.start, s.end) for s in segment(body)]


def whole(body, sentence):
    start = body.index(sentence)
    return Anchor(start, start + len(sentence))


def words(body, sentence, quote):
    start = body.index(sentence)
    at = body.index(quote, start)
    return Anchor(start, start + len(sentence), at, at + len(quote))


def texts(new, places):
    """What each placed anchor covers in the new text (None for an orphan)."""
    passages = spans(new)
    out = []
    for placed in places:
        if placed is None:
            out.append(None)
        elif placed.start is None:
            start, end = passages[placed.passage]
            out.append(new[start:end])
        else:
            out.append(new[placed.start:placed.end])
    return out


def carry(old, new, anchors):
    return reanchor(old, spans(old), new, spans(new), anchors)


def test_an_unchanged_text_keeps_every_anchor_where_it_was():
    anchors = [whole(OLD, "Analysts say the deal is fragile."),
               words(OLD, "Reports indicate that smuggling has grown.", "Reports indicate")]
    places = carry(OLD, OLD, anchors)

    assert [(p.passage, p.start, p.end) for p in places] == [(4, None, None), (2, anchors[1].start, anchors[1].end)]


def test_a_sentence_inserted_before_moves_the_anchors_with_their_text():
    new = OLD.replace("Analysts say", "A new sentence was added here. Analysts say")
    anchors = [whole(OLD, "Analysts say the deal is fragile."),
               words(OLD, "It is, in our view, a welcome step.", "in our view")]
    places = carry(OLD, new, anchors)

    assert texts(new, places) == ["Analysts say the deal is fragile.", "in our view"]
    assert places[0].method == "exact"


def test_a_deleted_sentence_orphans_only_its_own_annotations():
    new = OLD.replace("Officials said the patrols would start next month. ", "")
    anchors = [whole(OLD, "Officials said the patrols would start next month."),
               whole(OLD, "Reports indicate that smuggling has grown.")]
    places = carry(OLD, new, anchors)

    assert texts(new, places) == [None, "Reports indicate that smuggling has grown."]


def test_a_reworded_sentence_is_found_by_fuzzy_match_above_the_threshold():
    new = OLD.replace("Analysts say the deal is fragile.", "Analysts say this deal is fragile.")
    places = carry(OLD, new, [whole(OLD, "Analysts say the deal is fragile.")])

    assert texts(new, places) == ["Analysts say this deal is fragile."]
    assert places[0].method == "fuzzy"


def test_a_reworded_sub_range_is_found_by_fuzzy_match():
    new = OLD.replace("Reports indicate that smuggling has grown.", "Reports indicated that smuggling has grown.")
    anchor = words(OLD, "Reports indicate that smuggling has grown.", "Reports indicate that smuggling")
    places = carry(OLD, new, [anchor])

    assert texts(new, places) == ["Reports indicated that smuggling"]


def test_a_sentence_rewritten_beyond_the_threshold_is_orphaned():
    new = OLD.replace("Analysts say the deal is fragile.", "Nobody knows what happens next.")
    assert carry(OLD, new, [whole(OLD, "Analysts say the deal is fragile.")]) == [None]


def test_reordered_paragraphs_keep_each_anchor_on_its_sentence():
    first, second = OLD.split("\n\n")
    new = f"{second}\n\n{first}"
    anchors = [whole(OLD, "Officials said the patrols would start next month."),
               words(OLD, "It is, in our view, a welcome step.", "welcome step")]
    places = carry(OLD, new, anchors)

    assert texts(new, places) == ["Officials said the patrols would start next month.", "welcome step"]


def test_a_repeated_sentence_is_placed_by_its_context_and_position():
    old = "Stay calm. The army moved in.\n\nStay calm. The police moved out."
    new = "Preface.\n\n" + old
    anchors = [Anchor(old.rindex("Stay calm."), old.rindex("Stay calm.") + len("Stay calm."))]
    places = carry(old, new, anchors)

    assert spans(new)[places[0].passage][0] == new.rindex("Stay calm.")


def test_a_sentence_merged_into_another_keeps_its_words_as_a_sub_range():
    old = "The army moved in. It was dawn."
    new = "The army moved in, and it was dawn."
    places = carry(old, new, [Anchor(0, len("The army moved in."))])

    assert texts(new, places) == ["The army moved in"]


@st.composite
def texts_with_anchors(draw):
    alphabet = st.sampled_from(list("abc de.") + ["Ab", "Cd", " ", ". ", "\n\n"])
    body = "".join(draw(st.lists(alphabet, min_size=1, max_size=80))).strip()
    passages = spans(body)
    if not passages:
        return body, []
    anchors = []
    for start, end in draw(st.lists(st.sampled_from(passages), max_size=8)):
        if draw(st.booleans()) and end - start > 1:
            sub_start = draw(st.integers(start, end - 1))
            sub_end = draw(st.integers(sub_start + 1, end))
            anchors.append(Anchor(start, end, sub_start, sub_end))
        else:
            anchors.append(Anchor(start, end))
    return body, anchors


@settings(max_examples=200, deadline=None)
@given(texts_with_anchors())
def test_an_unchanged_text_re_anchors_every_annotation_exactly(case):
    body, anchors = case
    passages = spans(body)
    places = reanchor(body, passages, body, passages, anchors)

    for anchor, placed in zip(anchors, places):
        assert passages[placed.passage] == (anchor.passage_start, anchor.passage_end)
        assert (placed.start, placed.end) == (anchor.start, anchor.end)


@settings(max_examples=200, deadline=None)
@given(texts_with_anchors(), st.sampled_from(["before", "after"]))
def test_a_text_unchanged_but_for_a_new_paragraph_re_anchors_every_annotation_exactly(case, where):
    # The bodies differ, so the full search runs (not the shortcut for identical input).
    body, anchors = case
    added = "Zq xv wk jy."
    new = f"{added}\n\n{body}" if where == "before" else f"{body}\n\n{added}"
    shift = len(added) + 2 if where == "before" else 0
    passages = spans(new)
    places = reanchor(body, spans(body), new, passages, anchors)

    for anchor, placed in zip(anchors, places):
        assert passages[placed.passage] == (anchor.passage_start + shift, anchor.passage_end + shift)
        if anchor.start is None:
            assert placed.start is None
        else:
            assert (placed.start, placed.end) == (anchor.start + shift, anchor.end + shift)
