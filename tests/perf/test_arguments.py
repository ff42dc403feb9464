import argparse

import pytest

from perf.arguments import positive


def test_positive_takes_whole_numbers_from_one():
    assert positive("1") == 1
    assert positive("100000") == 100000


@pytest.mark.parametrize("text", ["0", "-3", "2.5", "ten", ""])
def test_positive_refuses_anything_else_as_an_argparse_error(text):
    parser = argparse.ArgumentParser(exit_on_error=False)
    parser.add_argument("--articles", type=positive)
    with pytest.raises(argparse.ArgumentError, match="invalid positive value"):
        parser.parse_args(["--articles", text])
