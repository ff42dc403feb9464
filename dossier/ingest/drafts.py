"""What passes between the steps: a Draft per article read, BadInput for whatever cannot be imported."""
from dataclasses import dataclass, field
from datetime import date


class BadInput(ValueError):
    """A file or record that cannot be imported; the message says where and why."""


class TooManyRecords(BadInput):
    """A file of more records than an import from the browser may take in one request."""

    def __init__(self, count, limit):
        super().__init__(
            f"{count} records, over the limit of {limit} for an import from the browser "
            "(DOSSIER_MAX_WEB_IMPORT_RECORDS); import this file with manage.py import_articles PATH"
        )


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
    archive: object = None  # the fetching.Fetched page it was read from, kept as the article's archive

    @property
    def prefix(self):
        """What a reason about this draft starts with: "line 3: ", or nothing for the file itself."""
        return f"{self.where}: " if self.where else ""
