"""manage.py campaign create|open|close|status: the campaign pages' rules, for scripted set-ups."""
import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.http import QueryDict

from annotations.filters import filtered_articles

from campaigns.forms import usernames
from campaigns.models import Campaign, CampaignError
from campaigns.status import status


def _date(text):
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--due: “{text}” is not a date as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Create, open, close a review campaign, or print its status."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Plan a campaign (a draft: open it to assign the work).")
        create.add_argument("name")
        create.add_argument("--per-article", type=int, default=2, help="Reviewers per article (N, default 2).")
        create.add_argument("--reliability-share", type=float, default=0.0,
                            help="Share of the articles in the reliability sample, e.g. 0.2.")
        create.add_argument("--reliability-reviewers", type=int, default=3,
                            help="Reviewers per article in the reliability sample (M, at least 3).")
        create.add_argument("--due", type=_date, help="Due date, YYYY-MM-DD.")
        create.add_argument("--reviewers", default="", help="Usernames of the pool, comma-separated.")
        create.add_argument("--article-filter", default="",
                            help="The articles table's filter as a query string, e.g. 'outlet=Dawn&language=en'; "
                            "empty for every article.")
        create.add_argument("--seed", type=int, help="Seed for the reliability sample and tie-breaks.")
        create.add_argument("--brief", default="", help="Instructions for reviewers (Markdown).")
        create.add_argument("--allow-unassigned", action="store_true",
                            help="Let its reviewers also review articles not assigned to them.")
        for name, text in (("open", "Assign the work and open the campaign."), ("close", "Close the campaign.")):
            actions.add_parser(name, help=text).add_argument("name")
        show = actions.add_parser("status", help="Progress, agreement and disputes.")
        show.add_argument("name")
        show.add_argument("--json", action="store_true", help="As JSON.")

    def handle(self, *args, action, name, **options):
        try:
            getattr(self, f"_{action}")(name, **options)
        except CampaignError as error:
            raise CommandError(str(error)) from None

    def _campaign(self, name):
        try:
            return Campaign.objects.with_codebooks().get(name=name)
        except Campaign.DoesNotExist:
            raise CommandError(f"No campaign named “{name}”.") from None

    def _create(self, name, **options):
        try:
            articles = filtered_articles(QueryDict(options["article_filter"]))
        except Exception as error:  # the filter's ValidationError names each bad parameter
            raise CommandError(f"--article-filter: {error}") from None
        with transaction.atomic():
            campaign = Campaign.objects.plan(
                name, articles, usernames(options["reviewers"]), per_article=options["per_article"],
                reliability_share=options["reliability_share"],
                reliability_reviewers=options["reliability_reviewers"], due=options["due"], seed=options["seed"],
                brief=options["brief"], allow_unassigned=options["allow_unassigned"],
            )
        links = campaign.article_links
        self.stdout.write(f"Campaign “{campaign.name}” planned: {links.count()} articles "
                          f"({links.filter(in_sample=True).count()} in the reliability sample), "
                          f"{campaign.memberships.count()} reviewers, seed {campaign.seed}. Open it to assign.")

    def _open(self, name, **options):
        campaign = self._campaign(name)
        if not campaign.open():
            raise CommandError(f"Campaign “{name}” is {campaign.state}, not a draft: nothing assigned.")
        self.stdout.write(f"Campaign “{name}” opened: {campaign.assignments.count()} assignments.")

    def _close(self, name, **options):
        campaign = self._campaign(name)
        if not campaign.close():
            raise CommandError(f"Campaign “{name}” is {campaign.state}, not open.")
        self.stdout.write(f"Campaign “{name}” closed.")

    def _status(self, name, json=False, **options):
        data = status(self._campaign(name))
        if json:
            self.stdout.write(_json.dumps(data, indent=2, ensure_ascii=False))
            return
        self.stdout.write(f"{data['name']} ({data['state']}): alpha {data['alpha']} {data['alpha_ci']}, "
                          f"{data['disputed']} disputed, {data['ruled']} ruled; "
                          f"scored with codebook version {data['codebook_version']}")
        if data["codebook_moved_on"]:
            self.stdout.write(f"  The live codebook is now version {data['live_codebook_version']}: this campaign's "
                              f"figures still count each flag as version {data['codebook_version']} had it.")
        for reviewer in data["reviewers"]:
            self.stdout.write(f"  {reviewer['username']}: {reviewer['done']}/{reviewer['load']} done")


_json = json
