"""Turn scraped plain text into a title, a clean body and the metadata the text states."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .names import name_key

__all__ = ["DEBRIS_PATTERNS", "CleanedText", "clean_scraped_text", "normalise_body", "take_bylines"]

# Whole-line debris, tried with fullmatch on a stripped line, case-insensitively.
DEBRIS_PATTERNS = [
    # Page chrome that site builders (Wix and the like) render as text.
    re.compile(r"search|top of page|bottom of page|skip to (?:main )?content|advertisement", re.I),
    # Share buttons: "Paylaş", "Share", "Tweet", "Share this:", "Share on Facebook".
    re.compile(
        r"(?:share|paylaş|tweet|email|print|facebook|twitter|linkedin|whatsapp|telegram)"
        r"(?: (?:this|on|via)(?: .{1,30})?)?:?",
        re.I,
    ),
    # Language switchers: "This post is also available in: Türkçe Русский".
    re.compile(r"(?:this (?:post|article|page) is )?also available in\b.*", re.I),
    # Comment forms.
    re.compile(
        r"leave a (?:reply|comment)|cancel reply|post comment|\d+ comments?"
        r"|your email address will not be published\.?(?: required fields are marked \*)?",
        re.I,
    ),
    # Lists of other articles.
    re.compile(
        r"related (?:posts|topics|articles|stories|news)|similar posts|you may also like"
        r"|read (?:more|next)\W*",
        re.I,
    ),
    # Widget leftovers: a lone counter ("0"), a lone UUID, a line of only punctuation.
    re.compile(r"\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[\W_]+", re.I),
]
_DEBRIS_MAX = 200  # no debris line is longer; lets article paragraphs skip the patterns

# Headers after which a page holds only comments or links to other articles.  They end
# the article only in its second half, so a widget above the text cannot swallow it.
_TAIL_MARKER_RE = re.compile(
    r"leave a (?:reply|comment)|related (?:posts|topics|articles|stories)|similar posts"
    r"|you may also like|\d+ comments?",
    re.I,
)

# "Original Source: www.tehrantimes.com", "Originally published by The Diplomat", "Source: Reuters".
# A bare "Source:" may also caption a chart, so it only counts above the text or in its second half.
_OUTLET_RE = re.compile(
    r"(?:original\s+source\s*:|originally\s+(?:published|appeared)\s+(?:by|in|on|at)\b\s*:?"
    r"|(?P<bare>source|kaynak|источник|منبع)\s*:)\s*(?P<outlet>\S.{0,99}?)\.?",
    re.I,
)
_OUTLET_LINE_MAX = 140

_AUTHOR_HEADING_RE = re.compile(
    r"(?:about (?:the )?(?:authors?|writers?)|author bio(?:graphy)?|yazar hakkında|об авторе)\s*:?", re.I
)

# Stripped from names, never kept: "Dr. Doğacan BAŞARAN" is the author "Doğacan BAŞARAN".
_HONORIFIC_RE = re.compile(
    r"(?:(?:professor|prof|dr|mr|mrs|ms|mx|sir|dame|rev|doç|assoc|asst|gen|col|capt|maj|lt"
    r"|öğr\.?\s*üyesi)\.?\s+)+",
    re.I,
)
# "By Jane Doe" and its forms in the corpus's other languages: Persian "نوشته:" and "به قلم", Arabic
# "بقلم:" and "كتب:", Turkish "Yazar:", Russian "Автор:". Where the word also opens sentences
# ("كتب" is "he wrote"), only the form with a colon is a byline.
_BYLINE_RE = re.compile(
    r"(?:by\s*:?\s+|(?:به\s+قلم|بقلم)\s*:?\s*|(?:نوشته|كتب|كتبت|yazar|yazan|автор|авторы)\s*:\s*)(?P<names>\S.*)",
    re.I,
)
# Between names: a comma, "&", "and", Turkish "ve", Russian "и", Persian and Arabic "و".
_NAME_SEPARATOR_RE = re.compile(r"\s*(?:,|،|&|\band\b|\bve\b|\bи\b|(?<!\S)و(?!\S))\s*")
# A byline may carry the author's role: "By Jane Doe, Staff Writer".
_ROLE_WORDS = frozenset("staff writer reporter correspondent editor contributor columnist desk team".split())
# Lower-case parts of names: "Ludwig van Beethoven", "Bashar al-Assad".
_PARTICLES = frozenset("al bin bint da das de del della der di dos du el ibn la le ten ter van von".split())
# What follows the author's name when a paragraph is a bio rather than news about them.
_BIO_CONTINUATION_RE = re.compile(
    r",|\s*\(|\s+(?:is|was|has|holds|serves|served|works|worked|teaches|writes|received|earned|graduated)\b"
)

_SPACE_RUN_RE = re.compile(r"[ \t]{2,}|\t")
_LONG = 200  # a line this long is a body paragraph: not a title, byline or name
_HEAD_LINES = 8  # bylines sit among the first few lines
_TITLE_MAX = 300  # a longer first line is the first paragraph of an untitled text


@dataclass
class CleanedText:
    """What clean_scraped_text found; only `title` and `body` are always filled."""

    title: str
    body: str  # normalise_body over the kept lines
    authors: list[str] = field(default_factory=list)  # as named, honorifics dropped, in order
    author_bios: dict[str, str] = field(default_factory=dict)  # author -> bio from an author box
    outlet: str = ""  # from "Original Source: …" and the like; "" if the text names none
    removed: list[str] = field(default_factory=list)  # dropped debris and metadata lines


def normalise_body(text: str) -> str:
    """NFC-normalise, unify newlines, and lay the text out as paragraphs joined by a blank line."""
    return "\n\n".join(_lines(text))


def clean_scraped_text(text: str) -> CleanedText:
    """Split scraped text into title, body and stated metadata; drop scrape debris."""
    lines = _lines(text)
    keep = [True] * len(lines)
    outlet, headings = _drop_debris_and_outlet(lines, keep)

    content = [i for i in range(len(lines)) if keep[i]]
    bylines = _bylines(lines, content)
    known = {name_key(name): name for _, names, _ in bylines for name in names}
    boxes = []  # (line index, author name or "", bio paragraph)
    for heading in headings:
        several = lines[heading].rstrip(" :").endswith(("s", "S"))  # "About the Authors"
        boxes += _heading_box(lines, [i for i in content if i > heading], known, keep, several)
    content = [i for i in content if keep[i]]
    boxes += _trailing_boxes(lines, content, keep)
    content = [i for i in content if keep[i]]
    have_bio = {name_key(name) for _, name, _ in boxes}
    boxes += _closing_bio(lines, content, [n for n in known.values() if name_key(n) not in have_bio], keep)

    # A name-only line is a byline only when a bio confirms it; "By " is proof enough.
    mentions = [(i, name) for i, name, _ in boxes if name]
    confirmed = {name_key(name) for _, name in mentions}
    for i, names, by_prefix in bylines:
        if by_prefix or name_key(names[0]) in confirmed:
            keep[i] = False
            mentions += [(i, name) for name in names]
    canonical: dict[str, str] = {}
    for _, name in sorted(mentions, key=lambda mention: mention[0]):
        canonical.setdefault(name_key(name), name)
    bios: dict[str, str] = {}
    for _, name, bio in boxes:
        if name:
            key = canonical[name_key(name)]
            bios[key] = f"{bios[key]}\n\n{bio}" if key in bios else bio

    kept = [i for i in range(len(lines)) if keep[i]]
    title = ""
    if kept and len(lines[kept[0]]) <= _TITLE_MAX:
        title = lines[kept.pop(0)]
    return CleanedText(
        title=title,
        body="\n\n".join(lines[i] for i in kept),  # already normalised: same as normalise_body
        authors=list(canonical.values()),
        author_bios=bios,
        outlet=outlet,
        removed=[line for line, k in zip(lines, keep) if not k],
    )


def take_bylines(lines):
    """Names from "By …" lines (in any of the byline forms) among the first lines; (names, other lines)."""
    names, kept = [], []
    for i, line in enumerate(lines):
        by = _BYLINE_RE.fullmatch(line.strip()) if i < _HEAD_LINES and len(line) < _LONG else None
        found = _byline_names(by["names"]) if by else []
        if found:
            names += found
        else:
            kept.append(line)
    return names, kept


def _lines(text):
    """The non-blank lines of the NFC text, stripped, with runs of spaces and tabs collapsed."""
    lines = []
    # splitlines() also breaks on U+2028 and friends, as segmenting.py does.
    for raw in unicodedata.normalize("NFC", text).splitlines():
        line = raw.strip()
        if line:
            lines.append(_SPACE_RUN_RE.sub(" ", line) if "\t" in line or "  " in line else line)
    return lines


def _is_debris(line):
    return len(line) <= _DEBRIS_MAX and any(pattern.fullmatch(line) for pattern in DEBRIS_PATTERNS)


def _drop_debris_and_outlet(lines, keep):
    """Mark debris, trailing comment/related sections and outlet lines.

    Returns the outlet and the indices of "About the Author" headings.
    """
    total = sum(map(len, lines))
    before = 0
    outlet, headings, in_head = "", [], True
    for i, line in enumerate(lines):
        near_end = 2 * before >= total
        before += len(line)
        if near_end and _TAIL_MARKER_RE.fullmatch(line):
            keep[i:] = [False] * (len(lines) - i)
            break
        if _is_debris(line):
            keep[i] = False
            continue
        match = _OUTLET_RE.fullmatch(line) if len(line) <= _OUTLET_LINE_MAX else None
        if match and (not match["bare"] or in_head or near_end):
            outlet = outlet or match["outlet"]
            keep[i] = False
        elif _AUTHOR_HEADING_RE.fullmatch(line):
            headings.append(i)
            keep[i] = False
        elif len(line) >= _LONG:
            in_head = False
    return outlet, headings


def _bylines(lines, content):
    """Candidate bylines above the first long paragraph: (index, names, has "By " prefix)."""
    found = []
    for i in content[:_HEAD_LINES]:
        line = lines[i]
        if len(line) >= _LONG:
            break
        by = _BYLINE_RE.fullmatch(line)
        names = _byline_names(by["names"]) if by else []
        if names:
            found.append((i, names, True))
        elif name := _name_of(line):
            found.append((i, [name], False))
    return found


def _byline_names(text):
    """Names in "Jane Doe and Dr. John Smith, Staff Writer"; [] unless the first part is a name."""
    names = []
    for part in _NAME_SEPARATOR_RE.split(text):
        if name := _name_of(part):
            if not _ROLE_WORDS.intersection(name_key(name).split()):
                names.append(name)
        elif not names:
            return []
    return names


def _name_of(line):
    """The name if the line is only a person's name (honorific dropped), else ""."""
    if not line or len(line) > 80 or line[-1] in ".,:;!?":
        return ""
    name = _strip_honorific(line)
    words = name.split(" ")
    capitalised = sum(map(_is_name_word, words))
    if 2 <= capitalised <= 4 and capitalised + sum(map(_is_particle, words[1:-1])) == len(words):
        return name
    return ""


def _is_name_word(word):
    # Scripts without capitals (Arabic, Persian) cannot show a name by its case: any word of letters.
    first = word[:1]
    return (first.isupper() or (first.isalpha() and not first.islower())) and all(
        c.isalpha() or c in "-'’.\u200c" for c in word
    )


def _is_particle(word):
    return word in _PARTICLES or word.split("-", 1)[0] in _PARTICLES


def _strip_honorific(text):
    match = _HONORIFIC_RE.match(text)
    return text[match.end():] if match else text


def _after_name(paragraph, name):
    """What follows `name` at the start of the paragraph (honorific skipped), or None."""
    text = _strip_honorific(paragraph)
    head, rest = text[: len(name)], text[len(name):]
    if name_key(head) != name_key(name) or not rest or rest[0].isalnum():
        return None
    return rest


def _leading_name(paragraph):
    """The name a bio starts with: "Sergio Restelli is an …" -> "Sergio Restelli", else ""."""
    words = _strip_honorific(paragraph).split(" ", 6)[:6]
    for end in range(len(words) - 1, 1, -1):
        name = " ".join(words[:end]).rstrip(",")
        rest = _after_name(paragraph, name) if _name_of(name) == name else None
        if rest and _BIO_CONTINUATION_RE.match(rest):
            return name
    return ""


def _heading_box(lines, after, known, keep, several):
    """The box under an "About the Author" heading: name lines, then a bio (several under "Authors")."""
    found, pending, expecting_bio = [], [], True
    for i in after:
        line = lines[i]
        if name := _name_of(line):
            pending.append((i, name))
            expecting_bio = True
            continue
        name = pending[-1][1] if pending else ""
        name = name or next((n for n in known.values() if _after_name(line, n)), "") or _leading_name(line)
        if not (expecting_bio or name):
            break
        for j, _ in pending:
            keep[j] = False
        keep[i] = False
        found.append((i, name, line))
        if not several:
            break
        pending, expecting_bio = [], False
    return found


def _trailing_boxes(lines, content, keep):
    """Name lines (possibly repeated) followed by a paragraph starting with that name, at the very end."""
    found = []
    end = len(content) - 1
    while end >= 2:  # content[0] is the title
        start = end
        while start > 1 and _name_of(lines[content[start - 1]]):
            start -= 1
        names = {name_key(_name_of(lines[content[k]])) for k in range(start, end)}
        name = _name_of(lines[content[start]])
        if len(names) != 1 or not _after_name(lines[content[end]], name):
            break
        for k in range(start, end + 1):
            keep[content[k]] = False
        found.append((content[start], name, lines[content[end]]))
        end = start - 1
    return found


def _closing_bio(lines, content, names, keep):
    """A last paragraph that introduces a byline's author ("Jane Doe is a …") is their bio."""
    if len(content) < 2:
        return []
    i = content[-1]
    for name in names:
        rest = _after_name(lines[i], name)
        if rest and _BIO_CONTINUATION_RE.match(rest):
            keep[i] = False
            return [(i, name, lines[i])]
    return []
