"""What passes between the steps: a Draft per article read, BadInput for whatever cannot be imported."""
from dataclasses import dataclass, field
from datetime import date


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
