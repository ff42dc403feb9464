"""The progress bar every long-running command shows."""
from tqdm import tqdm


def progress_bar(command, total, unit, verbosity=1):
    """A tqdm bar on the command's standard error, off below verbosity 1 or when that is not a terminal.

    It writes to the real stream: Django's stderr wrapper would end each redraw with a new line.
    """
    return tqdm(total=total, unit=unit, file=getattr(command.stderr, "_out", command.stderr),
                disable=verbosity < 1 or None)
