"""Text folded for search: the one normaliser applied both to what is stored and to what is asked."""
import re
import unicodedata

# Letters that casefolding and dropping accents leave apart but a reader takes as the same: Turkish
# İ and dotless ı (İ mapped before casefolding, which would give i + combining dot), Arabic yeh,
# alef maksura and kaf as Persian writes them. Tatweel and the zero-width joiners only stretch or
# shape a word; Eastern digits are read as ASCII ones. (ё needs nothing: it decomposes to е + mark.)
_BEFORE = {0x130: "i", 0x131: "i"}
_AFTER = {
    0x64A: "\u06cc", 0x649: "\u06cc", 0x643: "\u06a9", 0x640: None, 0x200C: None, 0x200D: None,
    **{0x660 + digit: str(digit) for digit in range(10)}, **{0x6F0 + digit: str(digit) for digit in range(10)},
}
_WORD = re.compile(r"[^\W_]+")
# A longer word is cut: no real word is, and PostgreSQL refuses a lexeme over 2,047 bytes.
WORD_LENGTH = 100


def search_words(text):
    """The words of a text as search compares them: NFKC, casefolded, accents and marks dropped,
    Turkish ı/İ as i, Arabic letters as Persian ones ("İstanbul'da Résumé" -> ["istanbul", "da", "resume"])."""
    text = unicodedata.normalize("NFKC", text or "").translate(_BEFORE).casefold()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return [word[:WORD_LENGTH] for word in _WORD.findall(text.translate(_AFTER))]


def search_text(text):
    """The folded words joined by single spaces: what an article's search columns store."""
    return " ".join(search_words(text))
