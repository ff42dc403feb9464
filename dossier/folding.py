"""Text folded for search: the one normaliser applied both to what is stored and to what is asked."""
import re
import unicodedata
from functools import lru_cache

# Letters that casefolding and dropping accents leave apart but a reader takes as the same: Turkish
# İ and dotless ı (mapped before casefolding, which would make İ an i + combining dot), Arabic yeh,
# alef maksura and kaf as Persian writes them. Tatweel and the zero-width joiners only stretch or
# shape a word; Eastern digits are read as ASCII ones. (ё needs nothing: it decomposes to е + mark.)
_AFTER = {
    "\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9", "\u0640": "", "\u200c": "", "\u200d": "",
    **{chr(0x660 + digit): str(digit) for digit in range(10)},
    **{chr(0x6F0 + digit): str(digit) for digit in range(10)},
}
# Regular expressions, not str.translate: translate looks each character up in a dict, many times slower.
_MAPPED = re.compile("[" + "".join(_AFTER) + "]")
_WORD = re.compile(r"[^\W_]+")
# A longer word is cut: no real word is, and PostgreSQL refuses a lexeme over 2,047 bytes.
WORD_LENGTH = 100


# The combining marks of the Latin, Cyrillic, Greek, Hebrew and Arabic scripts (accents, harakat)
# and the general combining blocks: what NFKD splits off a letter. The marks of Indic and other
# scripts are kept: there they are part of the letter, not an accent on it.
_MARKS = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
    "\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+"
)


def search_words(text):
    """The words of a text as search compares them: NFKC, casefolded, accents and marks dropped,
    Turkish ı/İ as i, Arabic letters as Persian ones ("İstanbul'da Résumé" -> ["istanbul", "da", "resume"])."""
    text = text or ""
    if text.isascii():  # most titles and names: nothing to compose, decompose or map (an import folds thousands)
        return [word[:WORD_LENGTH] for word in _WORD.findall(text.lower())]
    text = unicodedata.normalize("NFKC", text).replace("\u0130", "i").replace("\u0131", "i").casefold()
    text = _MARKS.sub("", unicodedata.normalize("NFKD", text))
    text = _MAPPED.sub(lambda match: _AFTER[match[0]], text)
    return [word[:WORD_LENGTH] for word in _WORD.findall(text)]


@lru_cache(maxsize=4096)  # outlet and author names come again and again in an import
def search_text(text):
    """The folded words joined by single spaces: what an article's search columns store."""
    return " ".join(search_words(text))
