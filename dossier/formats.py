"""Read one file's bytes into article drafts: decode, then parse by format.

Each supported suffix has one parser. Parsers only read; validating and saving
is importing.py's job.
"""
import codecs
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

import trafilatura

from .cleaning import clean_scraped_text, normalise_body

SUFFIXES = (".txt", ".html", ".htm", ".json", ".jsonl")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HTML_LANG = re.compile(r"""<html[^>]*\blang=["']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?)""", re.IGNORECASE)


class BadInput(ValueError):
    """A file or record that cannot be imported; the message says where and why."""


@dataclass
class Draft:
    """One article as read from a file, before it is saved."""

    title: str
    body: str
    original_text: str
    authors: list[str] = field(default_factory=list)
    author_bios: dict[str, str] = field(default_factory=dict)
    outlet: str = ""
    url: str = ""
    published: date | None = None
    language: str = ""
    where: str = ""  # "line 3" for a record inside a file; "" for the file itself


def suffix_of(name):
    name = name.lower()
    return next((suffix for suffix in SUFFIXES if name.endswith(suffix)), "")


def read_drafts(name, data):
    """Decode a file's bytes and parse them into drafts by the file's suffix."""
    suffix = suffix_of(name)
    if not suffix:
        raise BadInput(f"unsupported file type; expected one of {', '.join(SUFFIXES)}")
    if not data.strip():
        raise BadInput("the file is empty")
    if suffix in (".html", ".htm"):
        return [parse_html(decode(data, html=True))]
    text = decode(data)
    if suffix == ".txt":
        return [parse_text(text)]
    if suffix == ".json":
        return parse_json(text)
    return parse_jsonl(text)


def decode(data, html=False):
    """Bytes to text: a BOM's encoding, else strict UTF-8, else (HTML only) the page's declared charset."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding)
    if b"\x00" in data:
        raise BadInput("this is a binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        utf8_error = error
    if html and (declared := _META_CHARSET.search(data[:4096])):
        return _strict(data, declared.group(1).decode("ascii"))
    raise BadInput(
        f"the text is not UTF-8 (byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start}) "
        "and its encoding is unknown; save it as UTF-8 and import it again"
    )


def _strict(data, encoding):
    try:
        text = data.decode(encoding)
    except LookupError:
        raise BadInput(f"unknown encoding {encoding!r}") from None
    except UnicodeDecodeError as error:
        raise BadInput(f"the text is not valid {encoding} (offset {error.start})") from None
    if "\x00" in text:
        raise BadInput("this is a binary file, not text")
    return text


def parse_text(text):
    """Scraped plain text: title on the first line, debris dropped, stated metadata kept apart."""
    cleaned = clean_scraped_text(text)
    return Draft(
        title=cleaned.title,
        body=cleaned.body,
        original_text=text,
        authors=cleaned.authors,
        author_bios=cleaned.author_bios,
        outlet=cleaned.outlet,
    )


def parse_html(html):
    """A saved web page: main text and metadata extracted by trafilatura."""
    document = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, favor_recall=True
    )
    if document is None or not (document.text or "").strip():
        raise BadInput("no article text found in the page")
    title = clean_name(document.title)
    lines = document.text.splitlines()
    if lines and title and clean_name(lines[0].strip()) == title:
        lines = lines[1:]  # trafilatura repeats the headline as the first line
    language = _HTML_LANG.search(html[:4096])
    return Draft(
        title=title,
        body=normalise_body("\n".join(lines)),
        original_text=html,
        authors=split_names(document.author or ""),
        outlet=clean_name(document.sitename),
        url=document.url or "",
        published=parse_date(document.date, "published") if document.date else None,
        language=language.group(1).lower() if language else "",
    )


def parse_json(text):
    """A JSON object, or a list of them, one article each."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BadInput(f"malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}") from None
    except RecursionError:
        raise BadInput("the JSON is nested too deeply") from None
    records = data if isinstance(data, list) else [data]
    if not records:
        raise BadInput("the JSON list holds no records")
    where = "record {}" if isinstance(data, list) else ""
    return [parse_record(record, where.format(number)) for number, record in enumerate(records, 1)]


def parse_jsonl(text):
    """One JSON object per line; blank lines are skipped."""
    drafts = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise BadInput(f"{where}: malformed JSON at column {error.colno}: {error.msg}") from None
        except RecursionError:
            raise BadInput(f"{where}: the JSON is nested too deeply") from None
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
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10]) if len(value) <= 10 else datetime.fromisoformat(value).date()
        except ValueError:
            pass
    raise BadInput(f"{label}: {value!r} is not a date (expected YYYY-MM-DD)")


def split_names(names):
    """ "Jane Doe; John Roe" -> ["Jane Doe", "John Roe"]."""
    return [clean_name(name) for name in names.split(";") if name.strip()]


def clean_name(text):
    """A one-line name or title: NFC, whitespace runs collapsed, trimmed."""
    return unicodedata.normalize("NFC", " ".join((text or "").split()))
