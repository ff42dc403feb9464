"""Submitted annotations as W3C Web Annotations (JSON-LD): https://www.w3.org/TR/annotation-model/.

Each annotation targets the article's text in Dossier (its reading page) with a TextQuoteSelector and
a TextPositionSelector; positions count Unicode code points, as the model asks and as passages do.
The flag is a tagging body, its category a classifying body, the note a commenting body and the
evidence URL a linking body.
"""
import datetime
import json
import uuid

from django.urls import reverse

from dossier.bulk import batches
from dossier.models import Article

from annotations.models import Annotation

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTENT_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
QUOTE_CONTEXT = 32  # characters of prefix and suffix: enough to find the quote again if offsets drift
PAGE_SIZE = 200
CHUNK = 1000


SERIALISED = [
    "note", "evidence_url", "start", "end", "created_at", "modified_at",
    "flag__name", "flag__category", "flag__order",
    "passage__article_id", "passage__paragraph", "passage__sentence", "passage__start", "passage__end",
    "review__submitted_at", "review__reviewer__username", "review__reviewer__first_name",
    "review__reviewer__last_name",
]


def submitted(annotations=None):
    """Annotations of submitted reviews, in a lasting order, with what serialising them needs (one query)."""
    annotations = Annotation.objects.all() if annotations is None else annotations
    return (
        annotations.submitted()
        .select_related("flag", "passage", "review__reviewer")
        # The reviewer's names, never the rest of the account (password hash, email).
        .only(*SERIALISED)
        # Reviews in the order they were submitted, each in reading order: a newly submitted review's
        # annotations come last, so the pages already served keep their contents.
        .order_by("review__submitted_at", "review_id", "passage__paragraph", "passage__sentence", "id")
    )


def of_articles(articles):
    """submitted() annotations of the articles in a queryset (the articles table's filter, say)."""
    return submitted(Annotation.objects.filter(passage__article__in=articles.values("pk")))


def items(annotations, absolute):
    """The annotations as Web Annotation objects; the article texts are read once per chunk of annotations."""
    for chunk in batches(annotations, CHUNK):
        bodies = dict(
            Article.objects.filter(pk__in={a.passage.article_id for a in chunk}).order_by().values_list("pk", "body")
        )
        for annotation in chunk:
            yield web_annotation(annotation, bodies[annotation.passage.article_id], absolute)


def web_annotation(annotation, body, absolute):
    """One annotation; `body` is its article's text, `absolute` makes a path a URL."""
    passage = annotation.passage
    start, end = (annotation.start, annotation.end) if annotation.start is not None else (passage.start, passage.end)
    reviewer = annotation.review.reviewer
    creator = {"type": "Person", "nickname": reviewer.get_username()}
    if reviewer.get_full_name():
        creator["name"] = reviewer.get_full_name()
    bodies = [
        {"type": "TextualBody", "purpose": "tagging", "value": annotation.flag.name},
        {"type": "TextualBody", "purpose": "classifying", "value": annotation.flag.category},
    ]
    if annotation.note:
        bodies.append({"type": "TextualBody", "purpose": "commenting", "value": annotation.note,
                       "format": "text/plain"})
    if annotation.evidence_url:
        bodies.append({"type": "SpecificResource", "purpose": "linking", "source": annotation.evidence_url})
    return {
        "id": absolute(reverse("annotations:annotation", args=[annotation.pk])),
        "type": "Annotation",
        "motivation": "assessing",
        "created": _timestamp(annotation.created_at),
        "modified": _timestamp(annotation.modified_at),
        "creator": creator,
        "body": bodies,
        "target": {
            "type": "SpecificResource",
            "source": absolute(reverse("dossier:article-detail", args=[passage.article_id])),
            "selector": [
                _quote(body, start, end),
                {"type": "TextPositionSelector", "start": start, "end": end},
            ],
        },
    }


def _quote(body, start, end):
    """A TextQuoteSelector; prefix and suffix are left out at the text's edges, where there is none."""
    selector = {"type": "TextQuoteSelector", "exact": body[start:end]}
    if start:
        selector["prefix"] = body[max(start - QUOTE_CONTEXT, 0) : start]
    if end < len(body):
        selector["suffix"] = body[end : end + QUOTE_CONTEXT]
    return selector


def _timestamp(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Collection:
    """An AnnotationCollection served in AnnotationPages of PAGE_SIZE: the collection document embeds the
    first page; page n is the collection's URL with ?page=n.
    """

    def __init__(self, annotations, url, label, absolute):
        self.annotations = annotations  # from submitted()
        self.url = url
        self.label = label
        self.absolute = absolute
        self.total = annotations.count()
        self.pages = -(-self.total // PAGE_SIZE)

    def page_url(self, number):
        return f"{self.url}{'&' if '?' in self.url else '?'}page={number}"

    def document(self):
        collection = {"@context": CONTEXT, "id": self.url, "type": "AnnotationCollection", "label": self.label,
                      "total": self.total}
        if self.pages:
            collection["first"] = self.page(1, embedded=True)
            collection["last"] = self.page_url(self.pages)
        return collection

    def page(self, number, embedded=False):
        """Page `number` (from 1); None if there is no such page."""
        if not 1 <= number <= self.pages:
            return None
        start = (number - 1) * PAGE_SIZE
        page = {} if embedded else {"@context": CONTEXT}
        page |= {"id": self.page_url(number), "type": "AnnotationPage", "startIndex": start}
        if not embedded:
            page["partOf"] = {"id": self.url, "label": self.label, "total": self.total}
        if number > 1:
            page["prev"] = self.page_url(number - 1)
        if number < self.pages:
            page["next"] = self.page_url(number + 1)
        page["items"] = list(items(self.annotations[start : start + PAGE_SIZE], self.absolute))
        return page


def stream_collection(annotations, label, absolute):
    """The whole set as one JSON-LD document, in chunks of text: a collection whose one embedded page holds
    every annotation. A file has no address, so the collection and its page get urn:uuid identifiers.

    `annotations` iterates over submitted() annotations. `total` comes last, counted as they are written,
    so that it always agrees with the items however the data changes meanwhile.
    """
    collection_id, page_id = (uuid.uuid4().urn for _ in range(2))
    head = {"@context": CONTEXT, "id": collection_id, "type": "AnnotationCollection", "label": label}
    serialised = items(annotations, absolute)
    first = next(serialised, None)
    if first is None:  # the model: no pages when there are no annotations
        yield json.dumps(head | {"total": 0}, ensure_ascii=False, indent=1) + "\n"
        return
    yield json.dumps(head, ensure_ascii=False)[:-1]
    yield ', "first": ' + json.dumps({"id": page_id, "type": "AnnotationPage", "startIndex": 0})[:-1]
    yield ', "items": [\n' + json.dumps(first, ensure_ascii=False)
    total = 1
    for item in serialised:
        yield ",\n" + json.dumps(item, ensure_ascii=False)
        total += 1
    yield f'\n]}}, "last": {json.dumps(page_id)}, "total": {total}}}\n'
