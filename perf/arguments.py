"""Argument types shared by the measuring commands."""


def positive(text):
    """An argparse type: a whole number from 1."""
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value
