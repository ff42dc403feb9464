"""Database steps of the load test, run by perf/loadtest/run.py in the environment it gives the server.

  db_tasks.py articles FILE --count N --seed S   write N small JSONL articles (no Django needed)
  db_tasks.py users --count N --prefix P [--role R]
                                                 create accounts P01..PN in group R (default Reviewer);
                                                 password from $LOADTEST_PASSWORD
  db_tasks.py verify --acks FILE --prefix P [--wait-for-jobs S]
                                                 compare acknowledged toggles, submits and imports with the
                                                 database (after waiting up to S seconds for the task
                                                 worker's jobs to end); prints JSON, exits 1 on any mismatch
"""
import argparse
import json
import os
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]  # the project: perf/loadtest/db_tasks.py → .

WORDS = (
    "council minister report budget harbour election court river study survey border grain market "
    "hospital school pipeline treaty witness ministry committee province energy drought railway agency "
    "factory union senator village bridge inquiry museum airport festival export archive"
).split()
VERBS = "said announced denied confirmed reported estimated claimed promised questioned argued".split()


def write_articles(path, count, seed):
    """Small, distinct articles: three one-line paragraphs of three or four sentences each."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as out:
        for number in range(1, count + 1):
            paragraphs = []
            for _ in range(3):
                sentences = []
                for _ in range(rng.randint(3, 4)):
                    subject, thing, place = rng.sample(WORDS, 3)
                    figure = rng.randint(2, 990)
                    sentences.append(
                        f"The {subject} {rng.choice(VERBS)} that {figure} {thing} projects near the {place} "
                        f"would change by {rng.randint(1, 60)} percent this year."
                    )
                paragraphs.append(" ".join(sentences))
            record = {
                "title": f"Load test article {number:03d}: the {rng.choice(WORDS)} question",
                "body": "\n".join(paragraphs),
                "outlet": f"Load Test Wire {number % 4 + 1}",
                "authors": [f"Load Writer {number % 7 + 1}"],
                "language": "en",
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def setup_django():
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dossier.settings")
    import django

    django.setup()


def create_users(count, prefix, role="Reviewer"):
    setup_django()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import transaction

    from dossier.roles import Role

    password = os.environ["LOADTEST_PASSWORD"]
    hashed = make_password(password)  # hashed once: the hasher is slow on purpose
    group = Group.objects.get(name=Role(role))
    User = get_user_model()
    with transaction.atomic():
        for number in range(1, count + 1):
            user, _ = User.objects.update_or_create(
                username=f"{prefix}{number:02d}", defaults={"password": hashed, "is_active": True}
            )
            user.groups.add(group)
    print(f"{count} {role} accounts ready ({prefix}01..{prefix}{count:02d}).")


def read_acks(path):
    entries = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                entries.append(json.loads(line))
    return entries


def wait_for_jobs(seconds):
    """Wait until the task worker has no job queued or running (or `seconds` pass); what became of them all."""
    from django_tasks_db.models import DBTaskResult

    from dossier.models import Job

    deadline = time.monotonic() + seconds
    while Job.objects.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).exists():
        if time.monotonic() > deadline:
            break
        time.sleep(0.5)
    jobs = Counter(f"{kind} {status}" for kind, status in Job.objects.values_list("kind", "status"))
    tasks = Counter(DBTaskResult.objects.values_list("status", flat=True))
    return {"jobs": dict(sorted(jobs.items())), "task_results": dict(sorted(tasks.items()))}


def verify(acks_path, prefix, wait=0):
    """For each (reviewer, article, passage, flag): the last acknowledged state must be the database's.

    A toggle without an answer (refused, failed, cut off) leaves its key uncertain: either state may
    hold, and it is counted apart (the run fails on the error anyway). The same for submits. Every
    title of an import the API accepted (202) must be an article once the worker's jobs have ended.
    """
    setup_django()
    from dossier.models import Article

    from annotations.models import Annotation, Review

    jobs = wait_for_jobs(wait)

    entries = read_acks(acks_path) if os.path.exists(acks_path) else []
    expected, uncertain = {}, set()  # key -> bool; keys whose last outcome is unknown
    submitted, submit_uncertain = set(), set()
    imported = set()
    counts = defaultdict(int)
    for entry in entries:
        if entry["type"] == "import":
            counts["imports_acknowledged" if entry["ack"] else "imports_unacknowledged"] += 1
            if entry["ack"]:
                imported.update(entry["titles"])
        elif entry["type"] == "toggle":
            key = (entry["user"], entry["article"], entry["passage"], entry["flag"])
            if entry["ack"]:
                counts["toggles_acknowledged"] += 1
                counts["toggles_on" if entry["on"] else "toggles_off"] += 1
                expected[key] = entry["on"]
                uncertain.discard(key)
            else:
                counts["toggles_unacknowledged"] += 1
                uncertain.add(key)
        elif entry["type"] == "submit":
            key = (entry["user"], entry["article"])
            if entry["ack"]:
                counts["submits_acknowledged"] += 1
                submitted.add(key)
                submit_uncertain.discard(key)
            else:
                counts["submits_unacknowledged"] += 1
                submit_uncertain.add(key)

    in_db = set(
        Annotation.objects.filter(review__reviewer__username__startswith=prefix).values_list(
            "review__reviewer__username", "review__article_id", "passage_id", "flag_id"
        )
    )
    db_submitted = set(
        Review.objects.filter(reviewer__username__startswith=prefix, status=Review.Status.SUBMITTED).values_list(
            "reviewer__username", "article_id"
        )
    )
    mismatches = []
    for key in sorted(set(expected) | in_db):
        if key in uncertain:
            continue
        want, have = expected.get(key, False), key in in_db
        if want != have:
            user, article, passage, flag = key
            mismatches.append({
                "user": user, "article": article, "passage": passage, "flag": flag,
                "acknowledged": "on" if key in expected and want else "off" if key in expected else "never",
                "database": "present" if have else "absent",
            })
    for key in sorted(submitted | db_submitted):
        if key in submit_uncertain:
            continue
        if (key in submitted) != (key in db_submitted):
            mismatches.append({
                "user": key[0], "article": key[1], "submit": True,
                "acknowledged": key in submitted, "database": key in db_submitted,
            })
    found = set(Article.objects.filter(title__in=imported).values_list("title", flat=True)) if imported else set()
    for title in sorted(imported - found):
        mismatches.append({"import": title, "acknowledged": True, "database": "absent"})
    report = {
        **{name: counts[name] for name in (
            "toggles_acknowledged", "toggles_on", "toggles_off", "toggles_unacknowledged",
            "submits_acknowledged", "submits_unacknowledged", "imports_acknowledged", "imports_unacknowledged",
        )},
        "imported_articles_expected": len(imported),
        "imported_articles_found": len(found),
        **jobs,
        "keys_checked": len((set(expected) | in_db) - uncertain),
        "keys_uncertain": len(uncertain),
        "annotations_in_database": len(in_db),
        "annotations_expected": sum(expected.values()),
        "reviews_submitted_in_database": len(db_submitted),
        "mismatches": len(mismatches),
        "mismatch_examples": mismatches[:20],
    }
    print(json.dumps(report))
    return 1 if mismatches else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    articles = commands.add_parser("articles")
    articles.add_argument("file")
    articles.add_argument("--count", type=int, default=40)
    articles.add_argument("--seed", default="7")
    users = commands.add_parser("users")
    users.add_argument("--count", type=int, required=True)
    users.add_argument("--prefix", default="load")
    users.add_argument("--role", default="Reviewer", choices=["Reviewer", "Editor", "Admin"])
    check = commands.add_parser("verify")
    check.add_argument("--acks", required=True)
    check.add_argument("--prefix", default="load")
    check.add_argument("--wait-for-jobs", type=float, default=0, help="seconds to wait for the worker's jobs")
    args = parser.parse_args()
    if args.command == "articles":
        write_articles(args.file, args.count, args.seed)
        return 0
    if args.command == "users":
        create_users(args.count, args.prefix, args.role)
        return 0
    return verify(args.acks, args.prefix, args.wait_for_jobs)


if __name__ == "__main__":
    sys.exit(main())
