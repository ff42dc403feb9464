"""Path converters for the project's URLs."""


class IdConverter:
    """A database id in a URL: at most 18 digits, so that it always fits a 64-bit signed integer.

    With `<int:...>` a 25-digit id reaches the database, which SQLite refuses with an OverflowError
    (a 500); here such a URL simply matches nothing (a 404). Registered as "id" in dossier/urls.py.
    """

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)
