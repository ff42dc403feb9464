"""The first step: find the files, check their size, read the manifest, decode the bytes.

What the person importing states (options, the admin form, a manifest) is Metadata;
it overrides what the files say once they are parsed.
"""
import codecs
import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from .drafts import BadInput
from .names import clean_name, split_names
from .parsing import HTML_SUFFIXES, SUFFIXES, parse, parse_date, suffix_of

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Metadata:
    """What the person importing states about the files; overrides what the files say."""

    outlet: str = ""
    authors: tuple[str, ...] = ()
    url: str = ""
    language: str = ""
    published: str = ""

    @classmethod
    def build(cls, outlet="", authors=(), url="", language="", published=""):
        """Normalised like text from files: NFC, trimmed; authors a list or a ";"-separated string."""
        names = split_names(authors) if isinstance(authors, str) else map(clean_name, authors)
        return cls(
            outlet=clean_name(outlet),
            authors=tuple(dict.fromkeys(name for name in names if name)),
            url=url.strip(),
            language=language.strip().lower(),
            published=published.strip(),
        )

    @classmethod
    def from_manifest_entry(cls, name, entry):
        """One manifest entry, checked field by field; BadInput names the entry."""
        if not isinstance(entry, dict):
            raise BadInput(f"manifest entry {name!r}: expected an object with outlet, authors, url, language")
        fields = {key: entry.get(key) or ("" if key != "authors" else []) for key in
                  ("outlet", "authors", "url", "language", "published")}
        for key, value in fields.items():
            if not isinstance(value, str) and not (key == "authors" and isinstance(value, list)
                                                   and all(isinstance(item, str) for item in value)):
                raise BadInput(f"manifest entry {name!r}: {key}: expected text")
        return cls.build(**fields)

    def over(self, other):
        """These values where set, the other's elsewhere."""
        return Metadata(
            outlet=self.outlet or other.outlet,
            authors=self.authors or other.authors,
            url=self.url or other.url,
            language=self.language or other.language,
            published=self.published or other.published,
        )

    def apply(self, draft):
        """The draft with these values in place of what its file said."""
        if self.outlet:
            draft.outlet = self.outlet
        if self.authors:
            draft.authors = list(self.authors)
        if self.url:
            draft.url = self.url
        if self.language:
            draft.language = self.language
        if self.published:
            draft.published = parse_date(self.published, "published")
        return draft


def load_manifest(path):
    """A manifest maps file names to what is known of each: {"files": {"name.txt": {...}}}."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        entries = data["files"]
        if not isinstance(entries, dict):
            raise TypeError
    except (OSError, UnicodeDecodeError) as error:
        raise BadInput(f"manifest {path}: cannot be read ({error})") from None
    except json.JSONDecodeError as error:
        raise BadInput(f"manifest {path}: malformed JSON at line {error.lineno}: {error.msg}") from None
    except (KeyError, TypeError):
        raise BadInput(f'manifest {path}: expected {{"files": {{"file name": {{...}}}}}}') from None
    return {name: Metadata.from_manifest_entry(name, entry) for name, entry in entries.items()}


def find_files(paths):
    """Expand files and folders (recursively) into (path, error) pairs; unsupported or missing paths carry an error."""
    for path in map(Path, paths):
        try:
            is_dir, is_file = path.is_dir(), path.is_file()
        except OSError as error:  # a name too long for the file system, say
            yield path, f"cannot be read ({error.strerror})"
            continue
        if is_dir:
            for child in sorted(path.rglob("*")):
                if child.is_file() and suffix_of(child.name):
                    yield child, ""
        elif is_file:
            yield path, "" if suffix_of(path.name) else f"unsupported file type; expected one of {', '.join(SUFFIXES)}"
        else:
            yield path, "no such file or folder"


def read_path(path):
    """A file's bytes, refused before reading if over DOSSIER_MAX_IMPORT_BYTES."""
    limit = settings.DOSSIER_MAX_IMPORT_BYTES
    try:
        size = path.stat().st_size
        if size > limit:
            raise BadInput(too_large(size, limit))
        return path.read_bytes()
    except OSError as error:
        raise BadInput(f"cannot be read ({error.strerror})") from None


def too_large(size, limit):
    """The reason a file over the size limit is refused."""
    return f"the file is {filesizeformat(size)}, over the {filesizeformat(limit)} limit for one file"


def readable_name(name):
    """A file name as text that can be saved and printed.

    On Linux a name may hold bytes that are not UTF-8; Python carries them as lone
    surrogates, which no database or terminal accepts. Each becomes U+FFFD.
    """
    return _SURROGATE.sub("\ufffd", name)


def read_drafts(name, data, max_records=None):
    """Decode a file's bytes and parse them into drafts by the file's suffix (at most `max_records`)."""
    suffix = suffix_of(name)
    if not suffix:
        raise BadInput(f"unsupported file type; expected one of {', '.join(SUFFIXES)}")
    if not data.strip():
        raise BadInput("the file is empty")
    return parse(suffix, decode(data, html=suffix in HTML_SUFFIXES), max_records)


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


def decode_page(content, charset=""):
    """A fetched page's bytes to text: as a saved page, else by the charset its response stated."""
    try:
        return decode(content, html=True)
    except BadInput:
        if not charset:
            raise
        return _strict(content, charset)


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
