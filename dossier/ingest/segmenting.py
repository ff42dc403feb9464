"""Split a cleaned article body into paragraphs and sentences (code-point offsets)."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["ABBREVIATIONS", "Segment", "segment"]

# Case-sensitive on purpose: "No. 5" is an abbreviation, "...said no. Then" is not.
ABBREVIATIONS = frozenset(
    """
    Mr Mrs Ms Mx Dr Prof Assoc Asst Doç Yrd Öğr Gör Gen Lt Col Maj Capt Sgt Adm Gov Sen Rep Pres St Jr Sr Rev
    vb bkz
    Inc Ltd Co Corp vs etc e.g i.e al approx No Nos Vol pp Fig
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mt Ft
    """.split()
)

# A paragraph is a line trimmed of surrounding whitespace.  The excluded characters are
# exactly the ones str.splitlines() breaks on, so "\r\n" and U+2028 behave like "\n".
PARAGRAPH_RE = re.compile(r"\S(?:[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]*\S)?")

# Candidate sentence ends: a run of terminators ("?!", "..."), then closing quotes or
# brackets and footnote markers like "[1][2]" (both belong to the sentence before),
# then the whitespace that separates it from the next sentence.
BOUNDARY_RE = re.compile(
    r"(?P<term>[.!?…؟۔。！？]+)"
    r"(?:[\"'”’»)\]」』）]|\[\d{1,3}\])*"
    r"(?P<space>\s*)"
)

# Chinese and Japanese put no space after a full stop, so these end a sentence even
# when the next character follows immediately.
UNSPACED_TERMINATORS = frozenset("。！？")

# "U.S", "a.m", "e.g" (the final period is the candidate terminator itself).
DOTTED_ABBREVIATION_RE = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")

# Opening punctuation that may precede an abbreviation: "(Gen. Smith".
OPENERS = "(\"'“‘«„["

# Longest word worth inspecting before a period; every abbreviation is far shorter,
# and the bound keeps the look-back cheap on pathological input.
MAX_WORD = 32


@dataclass(frozen=True, slots=True)
class Segment:
    """One sentence: its paragraph, its position in the paragraph, and its span in body."""

    paragraph: int  # 0-based paragraph index
    sentence: int  # 0-based sentence index within the paragraph
    start: int  # offset into body, Unicode code points (plain Python str indices)
    end: int  # exclusive; body[start:end] is the sentence, no surrounding whitespace


def segment(body: str) -> list[Segment]:
    """Return the sentences of body in order, each tagged with its paragraph index.

    Every non-whitespace character lies in exactly one segment; blank input gives [].
    """
    segments: list[Segment] = []
    for paragraph, line in enumerate(PARAGRAPH_RE.finditer(body)):
        sentence_start, line_end = line.span()
        sentence = 0
        for match in BOUNDARY_RE.finditer(body, sentence_start, line_end):
            if match.end() < line_end and _is_boundary(body, sentence_start, match):
                segments.append(
                    Segment(paragraph, sentence, sentence_start, match.start("space"))
                )
                sentence += 1
                sentence_start = match.end()
        segments.append(Segment(paragraph, sentence, sentence_start, line_end))
    return segments


def _is_boundary(body: str, sentence_start: int, match: re.Match[str]) -> bool:
    """Decide whether a candidate terminator really ends the sentence."""
    term = match.group("term")
    if match.start("space") == match.end() and term[-1] not in UNSPACED_TERMINATORS:
        return False  # "3.14", "$1.2", "example.com": no space, no boundary
    if body[match.end()].islower():
        return False  # 'He said "Stop." and left', "wait... then"
    if term == "." and match.end("term") == match.start("space"):
        # Only a bare period can be an abbreviation; "Inc.)" or "U.S.[1]" end sentences.
        return not _ends_abbreviation(body, sentence_start, match.start())
    return True


def _ends_abbreviation(body: str, sentence_start: int, dot: int) -> bool:
    """Tell whether the word just before the period at dot is an abbreviation."""
    window_start = max(sentence_start, dot - MAX_WORD)
    window = body[window_start:dot]
    if not window or window[-1].isspace():
        return False
    word = window.rsplit(None, 1)[-1]
    if len(word) == len(window) and window_start > sentence_start:
        return False  # the word is longer than the window: no abbreviation is that long
    at_sentence_start = dot - len(word) == sentence_start
    word = word.lstrip(OPENERS)
    return (
        word in ABBREVIATIONS
        or (len(word) == 1 and word.isupper())  # initials: "J. R. R.", "А. С. Пушкин"
        or DOTTED_ABBREVIATION_RE.fullmatch(word) is not None
        # A list number opening the sentence, "1. Introduction", is not a sentence.
        or (at_sentence_start and len(word) <= 3 and word.isdigit())
    )
