"""A reviewer's writes, once for the workspace's endpoints and the API: set or unset a flag, submit.

Both callers go through these functions, so that a rule added here (or in access.py, which they ask)
holds for the pages and for scripts alike.
"""
from .access import ONLY_REVIEWERS, can_annotate
from .forms import AnnotationForm
from .models import Review, ReviewClosed
from .signals import first_answer, review_refusal
from .workspace import mark_data, own_marks


class Refused(Exception):
    """A write the rules refuse: `status` says how (400 bad input, 403 not allowed, 409 a closed review)."""

    def __init__(self, message, status, field=None):
        super().__init__(message)
        self.message, self.status, self.field = message, status, field


def check_may_annotate(user, article):
    """Refused(403) unless the user may flag this article's passages: the one check both callers make.
    Apps above annotations add their rules through review_refusal (campaigns: assigned work only)."""
    if not can_annotate(user):
        raise Refused(ONLY_REVIEWERS, 403)
    if refusal := first_answer(review_refusal, article=article, reviewer=user):
        raise Refused(refusal, 403)


def set_flag(article, user, data):
    """Put a flag on a passage or take it off, from form data (passage, flag, on "1"/"0", optional note,
    evidence_url, start, end); idempotent. Answers the reviewer's marks on that passage, as the workspace
    script keeps them. Call inside a transaction: the review is locked until it ends.
    """
    check_may_annotate(user, article)
    form = AnnotationForm(article, data)
    if not form.is_valid():
        field = next((name for name in form.errors if name != "__all__"), None)
        raise Refused(form.error_text(), 400, field)
    review, started = Review.objects.lock_for(article, user)
    passage, flag, on = (form.cleaned_data[name] for name in ("passage", "flag", "on"))
    # The reviewer's marks on the passage, read once under the lock: the one to change is among them,
    # and the rest make the answer (a review just started has none).
    mine = [] if started else list(review.annotations.filter(passage=passage).select_related("flag"))
    existing = next((mark for mark in mine if mark.flag_id == flag.pk), None)
    try:
        changed = review.set_flag(passage, flag, on, existing=existing, **form.details())
    except ReviewClosed as error:
        raise Refused(str(error), 409) from None
    own_marks(passage, [mark for mark in mine if mark.flag_id != flag.pk] + ([changed] if changed else []))
    return {
        "passage": passage.pk,
        "flags": [mark.flag_id for mark in passage.mine],
        "marks": [mark_data(mark) for mark in passage.mine],
        "flagged": (1 if passage.mine else 0) if started else review.flagged_passages(),
    }


def submit(article, user):
    """Submit the user's review of the article (started if need be); submitting twice changes nothing.
    Call inside a transaction."""
    check_may_annotate(user, article)
    review, _ = Review.objects.lock_for(article, user)
    review.submit()
    return review
