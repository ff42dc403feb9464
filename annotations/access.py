"""Who may do what with reviews: the one place views ask."""
from django.core.exceptions import PermissionDenied

from dossier.roles import Role, has_role


def can_annotate(user):
    return has_role(user, Role.REVIEWER)


def can_see_every_review(user):
    """Editors and admins read everyone's flags; reviewers are blind until they submit."""
    return has_role(user, Role.EDITOR) or has_role(user, Role.ADMIN)


def require_annotator(user):
    if not can_annotate(user):
        raise PermissionDenied("Only reviewers can flag passages.")


def require_workspace_access(user):
    if not (can_annotate(user) or can_see_every_review(user)):
        raise PermissionDenied("Only reviewers, editors and admins can open the review workspace.")


def require_score_access(user):
    """Scores reveal reviewers' flags, so only editors and admins read them."""
    if not can_see_every_review(user):
        raise PermissionDenied("Only editors and admins can see credibility scores.")
