"""Who may do what with reviews: the one place views and pages ask.

Views take one of the three audiences below as a decorator (or `roles` on a class-based view);
the blind-review rule (whose flags a reader sees) is `can_see_every_review`.
"""
from dossier.roles import Role, has_role, role_required

REVIEWERS = frozenset({Role.REVIEWER})
SCORE_READERS = frozenset({Role.EDITOR, Role.ADMIN})  # scores reveal reviewers' flags
WORKSPACE_READERS = REVIEWERS | SCORE_READERS

ONLY_REVIEWERS = "Only reviewers can flag passages."
ONLY_SCORE_READERS = "Only editors and admins can see credibility scores."

reviewers_only = role_required(REVIEWERS, ONLY_REVIEWERS)
score_readers_only = role_required(SCORE_READERS, ONLY_SCORE_READERS)
workspace_readers_only = role_required(
    WORKSPACE_READERS, "Only reviewers, editors and admins can open the review workspace."
)


def can_annotate(user):
    return has_role(user, Role.REVIEWER)


def can_see_every_review(user):
    """Editors and admins read everyone's flags; reviewers are blind until they submit."""
    return has_role(user, Role.EDITOR) or has_role(user, Role.ADMIN)
