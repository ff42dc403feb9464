"""Who reviews which article: greedy by current load, a seeded tie-break, conflicts never assigned.

ORM-free: plain ids in, plain pairs out (campaigns.models feeds it and saves what it returns).
"""
import random


class Unassignable(ValueError):
    """An article has fewer eligible reviewers than it needs: nothing is assigned."""


def tie_break(reviewers, seed):
    """{reviewer: rank}: the campaign's fixed order among reviewers with the same load."""
    order = sorted(reviewers)
    random.Random(seed).shuffle(order)
    return {reviewer: rank for rank, reviewer in enumerate(order)}


def assign(needs, reviewers, excluded, loads, seed):
    """[(article, reviewer)]: each article in `needs` ({article: how many more reviewers}) gets that many
    distinct reviewers from `reviewers`, never one in excluded[article] (conflicts, or already assigned),
    each time the least loaded ones (`loads`: {reviewer: articles so far}, updated in place).

    Without exclusions no reviewer ends more than one article above the mean load. Raises Unassignable
    (naming the article) before anything is returned when an article has too few eligible reviewers.
    """
    rank = tie_break(reviewers, seed)
    for reviewer in reviewers:
        loads.setdefault(reviewer, 0)
    for article, count in needs.items():
        eligible = len([r for r in reviewers if r not in excluded.get(article, ())])
        if eligible < count:
            raise Unassignable(
                f"Article {article} needs {count} reviewers but only {eligible} in the pool may review it "
                "(the others are its authors or have a conflict with its outlet)."
            )
    pairs = []
    # Articles with the fewest eligible reviewers first, so that they are not left with only busy ones.
    for article in sorted(needs, key=lambda a: (-len(excluded.get(a, ())), a)):
        blocked = excluded.get(article, ())
        chosen = sorted((r for r in reviewers if r not in blocked), key=lambda r: (loads[r], rank[r]))[
            : needs[article]
        ]
        for reviewer in chosen:
            loads[reviewer] += 1
            pairs.append((article, reviewer))
    return pairs


def reliability_sample(articles, share, seed):
    """The articles (a set) of the reliability sample: round(share x count), drawn with the seed."""
    articles = sorted(articles)
    size = round(share * len(articles))
    return set(random.Random(seed).sample(articles, size)) if size else set()
