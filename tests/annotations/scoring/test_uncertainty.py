"""Bootstrap intervals: resamples drawn as docs/methodology.md says, reproducible from the seed."""
from pathlib import Path

import numpy as np
import pytest

from annotations.scoring import RESAMPLES, reliable, score
from annotations.scoring.uncertainty import interval, pooled_share_interval, weights

from .test_agreement import TEN, ten_passage_reviews

METHODOLOGY = (Path(__file__).parents[3] / "docs" / "methodology.md").read_text()


def test_each_resample_draws_every_passage_slot_once():
    drawn = weights(60, seed=1)
    assert drawn.shape == (RESAMPLES, 60)
    assert (drawn.sum(axis=1) == 60).all()
    assert (drawn == weights(60, seed=1)).all() and not (drawn == weights(60, seed=2)).all()


def test_worked_ten_passage_article_stored_as_article_10_is_not_reliable():
    result = score(TEN, ten_passage_reviews(), seed=10)
    low, high = result.intervals.agreement
    assert (f"{low:.2f}", f"{high:.2f}") == ("0.35", "1.00")
    assert result.alpha_reliable is False
    assert "95% interval of **[0.35, 1.00]**" in METHODOLOGY


def test_reliable_needs_the_lower_end_at_krippendorffs_lowest_threshold():
    assert reliable((0.667, 0.9)) is True
    assert reliable((0.6669, 0.99)) is False
    assert reliable(None) is None


def test_the_interval_leaves_out_resamples_where_the_figure_is_undefined():
    assert interval([np.nan, 0.5, 0.5, np.nan]) == (0.5, 0.5)
    assert interval([np.nan, np.nan]) is None
    low, high = interval(np.arange(1001) / 1000)
    assert low == pytest.approx(0.025) and high == pytest.approx(0.975)


def test_an_outlets_interval_resamples_its_articles():
    assert pooled_share_interval([0, 0], [0, 0], seed=1) is None
    low, high = pooled_share_interval([120, 300, 50], [80, 0, 50], seed=1)
    assert 0 <= low < 420 / 500 < high <= 1
