"""What the reviewer workspace shows: passages with the flags this user may see."""
from collections import defaultdict
from dataclasses import dataclass, field
from html import escape  # what django.utils.html.escape calls, without its lazy-string wrapper

from django.utils.safestring import mark_safe

from .access import can_annotate, can_see_every_review
from .models import Annotation, Flag, Review, ScoredArticle


@dataclass
class Workspace:
    article: object
    review: Review | None
    flags: list[Flag]
    paragraphs: list = field(default_factory=list)  # lists of passages, each with .mine and .others
    editable: bool = False
    scope: str = "own"  # whose marks are shown: "own", "submitted" or "all"
    next_article: object = None  # offered once this reviewer's review is submitted

    @property
    def passages(self):
        return [passage for paragraph in self.paragraphs for passage in paragraph]

    @property
    def total(self):
        return sum(map(len, self.paragraphs))

    @property
    def flagged(self):
        """Passages this reviewer has flagged so far."""
        return sum(1 for passage in self.passages if passage.mine)

    @property
    def active_flags(self):
        return [flag for flag in self.flags if flag.active]

    def paragraphs_html(self):
        """Each paragraph's passages as the page shows them and workspace.js reads them: passage id, start,
        text and any other reviewers' marks. Built here, every text escaped, rather than by a template per
        passage and per mark, which cost a long article's page most of its time.
        """
        # Safe: _passage_html() escapes every text it puts in.
        return [mark_safe("".join(f"{_passage_html(passage)} " for passage in paragraph))
                for paragraph in self.paragraphs]

    def script_data(self):
        """What the page's script draws from: every flag, and this reviewer's own marks per passage."""
        return {
            "flags": [
                {"id": flag.pk, "name": flag.name, "category": flag.category, "shortcut": flag.shortcut,
                 "active": flag.active}
                for flag in self.flags
            ],
            "marks": {
                passage.pk: [mark_data(mark) for mark in passage.mine] for passage in self.passages if passage.mine
            },
        }


def build_workspace(article, user):
    """Passages in paragraphs with their visible marks: five queries whatever the article's length
    (six once the reviewer has submitted: the next article on offer)."""
    review = Review.objects.filter(article=article, reviewer=user).first() if can_annotate(user) else None
    flags = list(Flag.objects.all())
    submitted = bool(review and review.is_submitted)
    workspace = Workspace(
        article=article,
        review=review,
        flags=flags,
        editable=can_annotate(user) and not submitted,
        scope="all" if can_see_every_review(user) else "submitted" if submitted else "own",
    )
    workspace.paragraphs = article.paragraphs()
    attach_marks(workspace.passages, article, review, workspace.scope, {flag.pk: flag for flag in flags})
    if submitted:
        workspace.next_article = ScoredArticle.objects.next_for(user)
    return workspace


def _passage_html(passage):
    # Every reader's own marks are drawn by workspace.js into the empty "marks" span. Ids and offsets
    # are integers; every text is escaped.
    return (
        f'<span class="passage" id="passage-{passage.pk}" data-passage="{passage.pk}" data-start="{passage.start}">'
        f'<span class="text" dir="auto">{escape(passage.text)}</span><span class="marks"></span>'
        f'{_others_html(passage) if passage.others else ""}</span>'
    )


def _others_html(passage):
    """Other reviewers' marks on one passage: one compact button that opens their list on demand."""
    count = len(passage.others)
    return (
        f'<span class="others"><button type="button" class="others-toggle" aria-expanded="false" '
        f'aria-controls="others-{passage.pk}">{count}<span class="visually-hidden"> {"flag" if count == 1 else "flags"}'
        f' by other reviewers</span></button><span class="others-list" id="others-{passage.pk}" hidden>'
        f'{"".join(map(_other_mark_html, passage.others))}</span></span>'
    )


def _other_mark_html(mark):
    span = mark.passage_span
    where, quote = "", ""
    if span:
        where = f' data-start="{span[0]}" data-end="{span[1]}"'
        quote = f': “<span dir="auto">{escape(mark.quote)}</span>”'
    html = (f'<span class="mark other flag-{mark.flag_id}" data-flag="{mark.flag_id}"{where}>'
            f'{escape(mark.flag.name)} · {escape(mark.review.reviewer.get_username())}{quote}</span>')
    if not (mark.note or mark.evidence_url):
        return html
    evidence = (f' <a href="{escape(mark.evidence_url)}" rel="noopener noreferrer nofollow">evidence</a>'
                if mark.evidence_url else "")
    return f'{html}<span class="note" dir="auto">{escape(mark.note)}{evidence}</span>'


MARK_FIELDS = ("review", "passage", "flag", "note", "evidence_url", "start", "end")


def attach_marks(passages, article, review, scope, flags_by_id=None):
    """Give each passage its visible marks, split into the reader's own (`mine`) and other reviewers'
    (`others`): one query. The one assembly of marks, for the page and for a toggle's reply (one
    passage, whose annotations alone are read).
    """
    # Only what a mark shows: a long article's page builds hundreds of these.
    annotations = (
        Annotation.objects.visible_in(article, review, scope)
        .select_related("review__reviewer")
        .only(*MARK_FIELDS, "review__reviewer__username")
    )
    if flags_by_id is None:
        annotations = annotations.select_related("flag")
    if len(passages) == 1:
        annotations = annotations.filter(passage=passages[0])
    by_passage = defaultdict(list)
    for annotation in annotations:
        if flags_by_id is not None:
            annotation.flag = flags_by_id[annotation.flag_id]
        annotation.mine = review is not None and annotation.review_id == review.pk
        by_passage[annotation.passage_id].append(annotation)
    for passage in passages:
        marks = sorted(by_passage[passage.pk], key=_reading_order)
        for mark in marks:
            mark.passage = passage
        passage.mine = [mark for mark in marks if mark.mine]
        passage.others = [mark for mark in marks if not mark.mine]


def own_marks(passage, marks):
    """Give the passage the reader's own marks (annotations of their review, with flags), as attach_marks
    does, for a caller that has read them already: no query."""
    for mark in marks:
        mark.mine, mark.passage = True, passage
    passage.mine, passage.others = sorted(marks, key=_reading_order), []


def _reading_order(mark):
    # The reader's own marks first; their reviewer is the reader, so only others' need the name.
    return (not mark.mine, mark.flag.order, mark.flag.name, "" if mark.mine else mark.review.reviewer.username)


def mark_data(mark):
    """One own mark as the workspace script keeps it: the flagged words as code-point offsets into the
    passage's text (None for the whole passage), so the script needs no article offsets."""
    span = mark.passage_span
    return {
        "flag": mark.flag_id,
        "start": span[0] if span else None,
        "end": span[1] if span else None,
        "note": mark.note,
        "evidence_url": mark.evidence_url,
    }
