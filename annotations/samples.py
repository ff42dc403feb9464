"""The demo's sample reviews: submitted reviews of the seed articles, read from a JSON fixture."""
import json

from django.db import transaction

from dossier.models import Article

from .models import Flag, Review


class BadSample(Exception):
    """The fixture does not match the imported articles (the segmenter or the seeds changed)."""


@transaction.atomic
def load_sample_reviews(path, users):
    """Create and submit each review in the fixture unless its reviewer already has one of that article.

    `users` maps the fixture's reviewer names to users. Returns how many reviews were created.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    flags = {flag.name: flag for flag in Flag.objects.all()}
    created = 0
    for entry in data["reviews"]:
        article = Article.objects.filter(source_name=entry["article"]).order_by("pk").first()
        if article is None:
            raise BadSample(f"{path.name}: no imported article from {entry['article']}.")
        review, is_new = Review.objects.get_or_create(article=article, reviewer=users[entry["reviewer"]])
        if not is_new:
            continue
        passages = {(p.paragraph, p.sentence): p for group in article.paragraphs() for p in group}
        for mark in entry["flags"]:
            passage = passages.get(tuple(mark["passage"]))
            if passage is None or not passage.text.startswith(mark["starts"]):
                raise BadSample(
                    f"{path.name}: {entry['article']} has no passage {mark['passage']} starting “{mark['starts']}”."
                )
            if mark["flag"] not in flags:
                raise BadSample(f"{path.name}: there is no flag named “{mark['flag']}”.")
            details = {key: mark[key] for key in ("note", "evidence_url") if key in mark}
            review.set_flag(passage, flags[mark["flag"]], True, **details)
        review.submit()
        created += 1
    return created
