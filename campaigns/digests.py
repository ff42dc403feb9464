"""The daily digest: each reviewer's work due in the next days, one e-mail each through Django's backend."""
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Assignment

DAYS_AHEAD = 3


def send_digests(today=None, days=DAYS_AHEAD):
    """Send one e-mail to each active reviewer with an address and unfinished work due from today to
    `days` ahead (open campaigns); returns how many were sent. One query, one connection.
    """
    today = today or timezone.localdate()
    due = defaultdict(list)
    for assignment in (
        Assignment.objects.due_within(days, today).filter(reviewer__is_active=True).exclude(reviewer__email="")
        .select_related("reviewer", "campaign", "article").only(
            "due", "state", "reviewer__username", "reviewer__email", "reviewer__first_name", "campaign__name",
            "article__title")
        .order_by("reviewer_id", "due", "campaign__name", "article_id")
    ):
        due[assignment.reviewer].append(assignment)
    messages = [
        EmailMessage(
            subject=f"Dossier: {len(work)} reviews due by {work[-1].due.isoformat()}",
            body=render_to_string("campaigns/digest.txt", {"reviewer": reviewer, "work": work, "today": today}),
            from_email=settings.DEFAULT_FROM_EMAIL, to=[reviewer.email],
        )
        for reviewer, work in due.items()
    ]
    if not messages:
        return 0
    return get_connection().send_messages(messages)
