from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.models import Token


class Command(BaseCommand):
    help = "Make an API token for a user and print it (shown only this once; only its hash is kept)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--scope", action="append", choices=Token.Scope.values, required=True,
                            help="read, annotate or import; repeat for more than one.")
        parser.add_argument("--name", default="command line", help="What the token is for.")

    def handle(self, username, scope, name, **options):
        try:
            user = get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user “{username}”.") from None
        _token, secret = Token.objects.issue(user, name, scope)
        self.stdout.write(secret)
