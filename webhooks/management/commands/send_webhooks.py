from django.core.management.base import BaseCommand

from webhooks.tasks import send_due


class Command(BaseCommand):
    help = (
        "Attempt every webhook delivery that is due now. The task worker does this by itself with the "
        "database backend; run this from cron with a backend that cannot defer tasks, or to catch up."
    )

    def handle(self, *args, **options):
        attempted = send_due()
        self.stdout.write(f"{attempted} deliver{'y' if attempted == 1 else 'ies'} attempted.")
