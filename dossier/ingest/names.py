"""Name folding in one place: one-line names and titles cleaned, lists split, names keyed for matching."""
import unicodedata

# Embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) make a title or a name
# show in another order than it is stored ("Invoice \u202egpj.exe" shows as "Invoice exe.jpg").
# One-line metadata never needs them; bodies keep them, as passages are exact slices of the body.
# Marks (U+200E, U+200F) and joiners (U+200C in Persian) only shape text and are kept.
_BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def clean_name(text):
    """A one-line name or title: direction overrides dropped, NFC, whitespace runs collapsed, trimmed."""
    return unicodedata.normalize("NFC", " ".join((text or "").translate(_BIDI_CONTROLS).split()))


def split_names(names):
    """ "Jane Doe; John Roe" -> ["Jane Doe", "John Roe"]."""
    return [clean_name(name) for name in names.split(";") if name.strip()]


def name_key(name):
    """A name folded for matching: casefold, with Turkish İ/ı treated as i ("YILMAZ" matches "Yılmaz")."""
    return name.translate(_DOTTED_I).casefold()


_DOTTED_I = {0x130: "i", 0x131: "i"}
