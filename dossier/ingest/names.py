"""Name folding in one place: one-line names and titles cleaned, lists split, names keyed for matching."""
import unicodedata


def clean_name(text):
    """A one-line name or title: NFC, whitespace runs collapsed, trimmed."""
    return unicodedata.normalize("NFC", " ".join((text or "").split()))


def split_names(names):
    """ "Jane Doe; John Roe" -> ["Jane Doe", "John Roe"]."""
    return [clean_name(name) for name in names.split(";") if name.strip()]


def name_key(name):
    """A name folded for matching: casefold, with Turkish İ/ı treated as i ("YILMAZ" matches "Yılmaz")."""
    return name.translate(_DOTTED_I).casefold()


_DOTTED_I = {0x130: "i", 0x131: "i"}
