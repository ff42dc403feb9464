"""What reviewers say about passages and what it adds up to: one module per concept."""
from .flags import HEX_COLOUR, CodebookVersion, Flag
from .log import Export
from .orphans import Orphan
from .reviews import Annotation, Review, ReviewClosed, review_submitted
from .rulings import Ruling
from .scores import ArticleSummary, ScoredArticle
from .totals import ArticleFlagUse, AuthorTotals, OutletTotals

__all__ = [
    "HEX_COLOUR", "Annotation", "ArticleFlagUse", "ArticleSummary", "AuthorTotals", "CodebookVersion", "Export",
    "Flag", "Orphan", "OutletTotals", "Review", "ReviewClosed", "Ruling", "ScoredArticle", "review_submitted",
]
