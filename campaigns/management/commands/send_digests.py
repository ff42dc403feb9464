from django.core.management.base import BaseCommand

from campaigns.digests import DAYS_AHEAD, send_digests


class Command(BaseCommand):
    help = f"E-mail each reviewer their unfinished work due in the next {DAYS_AHEAD} days (run daily)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=DAYS_AHEAD, help="How many days ahead to look.")

    def handle(self, *args, days, **options):
        sent = send_digests(days=days)
        self.stdout.write(f"{sent} digest e-mails sent.")
