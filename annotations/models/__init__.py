"""What reviewers say about passages and what it adds up to: one module per concept."""
from .flags import HEX_COLOUR, CodebookVersion, Flag
from .log import Export
from .orphans import Orphan
from .reviews import Annotation, Review, ReviewClosed, review_submitted
from .rulings import Ruling
from .scores import ArticleSummary, ScoredArticle

__all__ = [
    "HEX_COLOUR", "Annotation", "ArticleSummary", "CodebookVersion", "Export", "Flag", "Orphan", "Review",
    "ReviewClosed", "Ruling", "ScoredArticle", "review_submitted",
]
