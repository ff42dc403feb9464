"""The language of a text that does not state one, detected offline (py3langid ships its model)."""
from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

MIN_LETTERS = 40  # fewer letters than this say too little to tell languages apart
MIN_PROBABILITY = 0.8  # below it the language is left empty rather than guessed
SAMPLE = 3000  # characters read: the opening of an article says as much as all of it


@cache
def _identifier():
    # Loading the model takes about a second: once per process, on the first text that needs it.
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text):
    """An ISO 639-1 code ("en", "fa"…) when the text says clearly which language it is, else ""."""
    sample = text[:SAMPLE]
    if sum(c.isalpha() for c in sample) < MIN_LETTERS:
        return ""
    language, probability = _identifier().classify(sample)
    return language if probability >= MIN_PROBABILITY else ""
