"""Find where an annotation of an old text belongs in a new one: plain data in, plain data out.

Each anchor is the stretch an annotation covers (its passage, or its exact sub-range). In order:
  1. the exact quote, where its surrounding text (CONTEXT characters either side) matches best;
     several equally good places are told apart by
  2. position: nearest to where the old passage went (passages matched by difflib);
  3. else a fuzzy match (rapidfuzz) of at least THRESHOLD (0-100), nearest place first among equals.
What none of these places is orphaned (None): the caller lists it, never drops it.
"""
from bisect import bisect_right
from dataclasses import dataclass
from difflib import SequenceMatcher

from rapidfuzz import fuzz

CONTEXT = 40
THRESHOLD = 85.0  # rapidfuzz ratio, 0-100: a reworded word or two in a sentence stays above it


@dataclass(frozen=True, slots=True)
class Anchor:
    """An annotation's place in a body: its passage's span and, if it flags only some words, their span."""

    passage_start: int
    passage_end: int
    start: int | None = None
    end: int | None = None

    @property
    def span(self):
        return (self.passage_start, self.passage_end) if self.start is None else (self.start, self.end)


@dataclass(frozen=True, slots=True)
class Placed:
    """Where an anchor landed: the new passage's index, the sub-range (None for the whole passage), how."""

    passage: int
    start: int | None
    end: int | None
    method: str  # "exact", "position" or "fuzzy"


def reanchor(old_body, old_passages, new_body, new_passages, anchors):
    """A Placed or None for each anchor; passages are (start, end) spans in reading order."""
    if old_body == new_body and old_passages == new_passages:
        index = {span: i for i, span in enumerate(new_passages)}
        return [Placed(index[(a.passage_start, a.passage_end)], a.start, a.end, "exact") for a in anchors]
    places = _Places(old_body, old_passages, new_body, new_passages)
    return [places.find(anchor) for anchor in anchors]


class _Places:
    def __init__(self, old_body, old_passages, new_body, new_passages):
        self.old_body, self.new_body, self.new_passages = old_body, new_body, new_passages
        self.new_starts = [start for start, _ in new_passages]
        self.new_texts = [new_body[start:end] for start, end in new_passages]
        old_texts = [old_body[start:end] for start, end in old_passages]
        # How far each old passage moved: from passages matched whole, carried over the changed ones.
        matcher = SequenceMatcher(None, old_texts, self.new_texts, autojunk=False)
        moved, delta = {}, 0
        blocks = {i + k: j + k for i, j, size in matcher.get_matching_blocks() for k in range(size)}
        for i, (start, _) in enumerate(old_passages):
            if i in blocks:
                delta = new_passages[blocks[i]][0] - start
            moved[start] = delta
        self.moved = moved

    def _exact(self, quote, start, end, expected, ranged):
        before, after = self.old_body[max(0, start - CONTEXT):start], self.old_body[end:end + CONTEXT]
        found, at = [], self.new_body.find(quote)
        while at != -1:
            score = _common_suffix(before, self.new_body[max(0, at - CONTEXT):at]) + _common_prefix(
                after, self.new_body[at + len(quote):at + len(quote) + CONTEXT])
            found.append((-score, abs(at - expected), at))
            at = self.new_body.find(quote, at + 1)
        for _, _, at in sorted(found):
            if placed := self._inside(at, at + len(quote), ranged, "exact" if len(found) == 1 else "position"):
                return placed
        return None

    def _inside(self, start, end, ranged, method):
        """The passage holding body[start:end] whole, as a Placed; None if it spans two passages.

        A ranged anchor keeps its range; a whole-passage one becomes a range only inside a longer passage.
        """
        index = bisect_right(self.new_starts, start) - 1
        if index < 0:
            return None
        p_start, p_end = self.new_passages[index]
        if end > p_end:
            return None
        whole = not ranged and (start, end) == (p_start, p_end)
        return Placed(index, None if whole else start, None if whole else end, method)

    def _fuzzy(self, anchor, quote, expected):
        """The best match at or above THRESHOLD: a whole passage like it, or the words like it inside one."""
        ranged, best = anchor.start is not None, None
        for index, text in enumerate(self.new_texts):
            offset = self.new_starts[index]
            candidates = []
            if not ranged:
                candidates.append((fuzz.ratio(quote, text), None, None))
            if ranged or len(text) > len(quote):
                alignment = fuzz.partial_ratio_alignment(quote, text, score_cutoff=THRESHOLD)
                if alignment is not None:
                    start, end = _to_words(text, alignment.dest_start, alignment.dest_end)
                    candidates.append((alignment.score, offset + start, offset + end))
            for score, start, end in candidates:
                if score < THRESHOLD:
                    continue
                key = (-score, start is not None, abs((offset if start is None else start) - expected))
                if best is None or key < best[0]:
                    best = (key, index, start, end)
        if best is None:
            return None
        _, index, start, end = best
        return Placed(index, start, end, "fuzzy")

    def find(self, anchor):
        start, end = anchor.span
        expected = start + self.moved.get(anchor.passage_start, 0)
        quote = self.old_body[start:end]
        placed = self._exact(quote, start, end, expected, anchor.start is not None)
        return placed or self._fuzzy(anchor, quote, expected)


def _to_words(text, start, end):
    """A matched stretch widened to whole words: a fuzzy alignment may stop a letter short."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end


def _common_prefix(a, b):
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def _common_suffix(a, b):
    n = min(len(a), len(b))
    i = 0
    while i < n and a[-1 - i] == b[-1 - i]:
        i += 1
    return i

