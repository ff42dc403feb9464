"""Path converters for the project's URLs: importing this module registers them."""
from django.urls import register_converter


class IdConverter:
    """A database id in a URL: at most 18 digits, so that it always fits a 64-bit signed integer.

    With `<int:...>` a 25-digit id reaches the database, which SQLite refuses with an OverflowError
    (a 500); here such a URL simply matches nothing (a 404).
    """

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")  # <id:pk>
