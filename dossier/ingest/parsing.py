"""Text to article drafts: one parser per supported suffix.

Parsers only read; stated metadata, validating and saving come later. Names and
titles go through names.clean_name, plain-text bodies through cleaning.
"""
import json
import re
import sys
from datetime import date, datetime

import trafilatura

from .cleaning import clean_scraped_text, normalise_body, take_bylines
from .drafts import BadInput, Draft, TooManyRecords
from .names import clean_name, split_names

_HTML_LANG = re.compile(r"""<html[^>]*\blang=["']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?)""", re.IGNORECASE)


def parse(suffix, text, max_records=None):
    """The drafts in a decoded file, by the parser for its suffix; TooManyRecords over `max_records`."""
    return PARSERS[suffix](text, max_records)


def parse_text(text):
    """Scraped plain text: title on the first line, debris dropped, stated metadata kept apart."""
    cleaned = clean_scraped_text(text)
    return Draft(
        title=clean_name(cleaned.title),
        body=cleaned.body,
        original_text=text,
        authors=[clean_name(name) for name in cleaned.authors],
        author_bios={clean_name(name): bio for name, bio in cleaned.author_bios.items()},
        outlet=clean_name(cleaned.outlet),
    )


def parse_html(html):
    """A saved web page: main text and metadata extracted by trafilatura."""
    document = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, favor_recall=True,
        # The date from the markup (meta tags, <time>, the URL), not a search of the whole text for
        # plausible dates: that search cost half the extraction and guesses.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if document is None or not (document.text or "").strip():
        raise BadInput("no article text found in the page")
    title = clean_name(document.title)
    lines = document.text.splitlines()
    if lines and title and clean_name(lines[0].strip()) == title:
        lines = lines[1:]  # trafilatura repeats the headline as the first line
    # A byline the page's markup does not mark as one stays in the text: "Yazar: …", "By …".
    bylined, lines = take_bylines(lines)
    language = _HTML_LANG.search(html[:4096])
    return Draft(
        title=title,
        body=normalise_body("\n".join(lines)),
        original_text=html,
        authors=split_names(document.author or "") or [clean_name(name) for name in bylined],
        outlet=clean_name(document.sitename),
        url=document.url or "",
        published=parse_date(document.date, "published") if document.date else None,
        language=language.group(1).lower() if language else "",
    )


def parse_json(text, max_records=None):
    """A JSON object, or a list of them, one article each."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BadInput(f"malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}") from None
    except RecursionError:
        raise BadInput("the JSON is nested too deeply") from None
    except ValueError as error:
        raise BadInput(_unreadable(error)) from None
    records = data if isinstance(data, list) else [data]
    if not records:
        raise BadInput("the JSON list holds no records")
    if max_records is not None and len(records) > max_records:
        raise TooManyRecords(len(records), max_records)
    where = "record {}" if isinstance(data, list) else ""
    return [parse_record(record, where.format(number)) for number, record in enumerate(records, 1)]


def parse_jsonl(text, max_records=None):
    """One JSON object per line; blank lines are skipped."""
    lines = [(number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
    # Counted before any line is parsed: a refused file costs no more than reading it.
    if max_records is not None and len(lines) > max_records:
        raise TooManyRecords(len(lines), max_records)
    drafts = []
    for number, line in lines:
        where = f"line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise BadInput(f"{where}: malformed JSON at column {error.colno}: {error.msg}") from None
        except RecursionError:
            raise BadInput(f"{where}: the JSON is nested too deeply") from None
        except ValueError as error:
            raise BadInput(f"{where}: {_unreadable(error)}") from None
        drafts.append(parse_record(record, where))
    if not drafts:
        raise BadInput("the file holds no records")
    return drafts


def parse_record(record, where=""):
    """One structured record: title and body required; authors, outlet, url, published, language optional."""
    prefix = f"{where}: " if where else ""
    if not isinstance(record, dict):
        raise BadInput(f"{prefix}expected a JSON object with title and body, got {type(record).__name__}")
    title = _string(record, "title", prefix)
    body = _string(record, "body", prefix)
    authors = record.get("authors", record.get("author", []))
    if isinstance(authors, str):
        authors = split_names(authors)
    elif not (isinstance(authors, list) and all(isinstance(name, str) for name in authors)):
        raise BadInput(f"{prefix}authors: expected a list of names")
    published = record.get("published")
    return Draft(
        title=clean_name(title),
        body=normalise_body(body),
        original_text=body,
        authors=[clean_name(name) for name in authors if name.strip()],
        outlet=clean_name(_string(record, "outlet", prefix, required=False)),
        url=_string(record, "url", prefix, required=False).strip(),
        published=parse_date(published, f"{prefix}published") if published else None,
        language=_string(record, "language", prefix, required=False).strip().lower(),
        where=where,
    )


def _unreadable(error):
    """Why json.loads refused well-formed JSON: Python reads no int longer than its digit limit."""
    if "integer string conversion" in str(error):
        return f"a number longer than {sys.get_int_max_str_digits()} digits"
    return f"the JSON cannot be read ({error})"


def _string(record, key, prefix, required=True):
    value = record.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise BadInput(f"{prefix}missing {key}")
        return ""
    if not isinstance(value, str):
        raise BadInput(f"{prefix}{key}: expected text, got {type(value).__name__}")
    return value


def parse_date(value, label):
    """An ISO date, or the date part of an ISO date-time; anything else is BadInput naming `label`."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10]) if len(value) <= 10 else datetime.fromisoformat(value).date()
        except ValueError:
            pass
    raise BadInput(f"{label}: {value!r} is not a date (expected YYYY-MM-DD)")


# The one list of supported suffixes: finding files, the upload widget and the help texts read it.
PARSERS = {
    ".txt": lambda text, max_records: [parse_text(text)],
    ".html": lambda html, max_records: [parse_html(html)],
    ".htm": lambda html, max_records: [parse_html(html)],
    ".json": parse_json,
    ".jsonl": parse_jsonl,
}
SUFFIXES = tuple(PARSERS)
HTML_SUFFIXES = (".html", ".htm")  # decoded with the page's declared charset as a fallback


def suffix_of(name):
    """The supported suffix a file name ends with, or ""."""
    name = name.lower()
    return next((suffix for suffix in SUFFIXES if name.endswith(suffix)), "")
