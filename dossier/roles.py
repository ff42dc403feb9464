"""The three roles people play in Dossier, kept as auth groups."""
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import models


class Role(models.TextChoices):
    REVIEWER = "Reviewer", "Reviewer"
    EDITOR = "Editor", "Editor"
    ADMIN = "Admin", "Admin"


def roles_of(user):
    """The set of Role values a user holds; superusers hold them all. Costs one query, cached on the user."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_dossier_roles"):
        if user.is_superuser:
            user._dossier_roles = frozenset(Role.values)
        else:
            user._dossier_roles = frozenset(
                user.groups.filter(name__in=Role.values).values_list("name", flat=True)
            )
    return user._dossier_roles


def has_role(user, role):
    return role in roles_of(user)


def require_any_role(user, roles, message):
    """PermissionDenied(message) unless the user holds one of the roles: the one check behind views."""
    if roles_of(user).isdisjoint(roles):
        raise PermissionDenied(message)


NO_ROLE = "Your account has no role yet: ask an admin to make you a reviewer, editor or admin."


def role_required(roles, message):
    """View decorator: PermissionDenied(message) unless the user holds one of the roles."""
    roles = frozenset(roles)

    def decorator(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            require_any_role(request.user, roles, message)
            return view(request, *args, **kwargs)

        return checked

    return decorator


class RoleRequiredMixin:
    """The same check for class-based views: set `roles` and `denied_message`."""

    roles = frozenset(Role.values)
    denied_message = NO_ROLE

    def dispatch(self, request, *args, **kwargs):
        require_any_role(request.user, self.roles, self.denied_message)
        return super().dispatch(request, *args, **kwargs)


def roles(request):
    """Template context: `roles` with is_reviewer / is_editor / is_admin for navigation.

    Error pages render before authentication has run (a 400 for a wrong Host), so a request may
    have no `user` yet: it then holds no role.
    """
    user = getattr(request, "user", None)
    held = roles_of(user) if user is not None else frozenset()
    return {
        "roles": {
            "is_reviewer": Role.REVIEWER in held,
            "is_editor": Role.EDITOR in held,
            "is_admin": Role.ADMIN in held,
        }
    }
