import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dossier import localenv
from dossier.ingest import import_paths, load_manifest
from dossier.roles import Role

from annotations.samples import BadSample, load_sample_reviews

FIXTURES = Path(settings.BASE_DIR) / "fixtures"

# username, role, superuser?
DEMO_USERS = [
    ("admin", Role.ADMIN, True),
    ("editor", Role.EDITOR, False),
    ("reviewer1", Role.REVIEWER, False),
    ("reviewer2", Role.REVIEWER, False),
]


class Command(BaseCommand):
    help = (
        "Set up a demo: migrate, import the sample corpus, create demo users (passwords printed once) and load "
        "two reviewers' sample reviews, "
        "then serve on http://127.0.0.1:8000. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="Set up, then print how to serve instead.")
        parser.add_argument("--addrport", default="127.0.0.1:8000", help="Where to serve (default 127.0.0.1:8000).")
        parser.add_argument(
            "--reset-passwords", action="store_true", help="Give the demo users new passwords and print them."
        )

    def handle(self, *args, **options):
        self.write_local_settings()
        self.stdout.write("Migrating the database…")
        call_command("migrate", interactive=False, verbosity=0)

        self.stdout.write("Importing the sample corpus…")
        report = import_paths(
            [FIXTURES / "seeds"], manifest=load_manifest(FIXTURES / "manifest.json"), progress=self.show
        )
        self.stdout.write(f"Sample corpus: {report.summary()}.")
        if report.failed:
            raise CommandError("The sample corpus did not import; see the reasons above.")

        users = self.create_users(options["reset_passwords"])
        self.load_sample_reviews(users)
        url = f"http://{options['addrport']}/"
        if options["no_serve"]:
            python = os.path.relpath(sys.executable) if sys.executable.startswith(os.getcwd()) else sys.executable
            self.stdout.write(f"Ready. Serve it with:  DEBUG=1 {python} manage.py runserver {options['addrport']}")
            self.stdout.write(f"and run background jobs beside it with:  {python} manage.py db_worker")
            return
        if not settings.DEBUG:
            self.stdout.write(self.style.WARNING("DEBUG is off: static files are served only after collectstatic."))
        # Imports of several files or addresses and feed polls run as background tasks: a worker serves them.
        worker = subprocess.Popen([sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "db_worker",
                                   "--no-reload"])
        self.stdout.write(self.style.SUCCESS(f"Serving on {url}, with a task worker — press Ctrl+C to stop."))
        try:
            call_command("runserver", options["addrport"], use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=10)

    def write_local_settings(self):
        """The local .env (DEBUG=1, a new SECRET_KEY) that the other commands read: written once, never replaced."""
        if not settings.ENV_FILE:
            return
        path = Path(settings.ENV_FILE)
        shown = path.relative_to(settings.BASE_DIR) if path.is_relative_to(settings.BASE_DIR) else path
        localenv.write_local(path)
        if str(path) in localenv.written:  # by this command, or by settings a moment ago (DEBUG=1, no key)
            self.stdout.write(f"Wrote {shown} (DEBUG=1 and a new SECRET_KEY, git-ignored, mode 0600): "
                              "the other manage.py commands read it.")
        else:
            self.stdout.write(f"Local settings: {shown}, kept as it is (the environment wins over it).")

    def show(self, result):
        if result.failed:
            self.stderr.write(self.style.ERROR(result.summary()))

    def load_sample_reviews(self, users):
        try:
            created = load_sample_reviews(FIXTURES / "sample_reviews.json", users)
        except BadSample as error:
            raise CommandError(str(error)) from None
        if created:
            self.stdout.write(f"Sample reviews: {created} submitted reviews by reviewer1 and reviewer2 loaded.")

    @transaction.atomic
    def create_users(self, reset):
        """Create the demo users (or give them new passwords); returns them by username."""
        User = get_user_model()
        created, users = [], {}
        for username, role, superuser in DEMO_USERS:
            user, is_new = User.objects.get_or_create(
                username=username, defaults={"is_staff": superuser, "is_superuser": superuser}
            )
            user.groups.add(Group.objects.get(name=role))
            users[username] = user
            if is_new or reset:
                password = secrets.token_urlsafe(9)
                user.set_password(password)
                user.save()
                created.append((username, role.label, password))
        if not created:
            self.stdout.write(
                "Demo users exist already (admin, editor, reviewer1, reviewer2); their passwords were printed "
                "when they were created. Run with --reset-passwords for new ones."
            )
            return users
        self.stdout.write(self.style.SUCCESS("Demo users — these passwords are shown only now:"))
        for username, role, password in created:
            self.stdout.write(f"  {username:<10} {role:<9} {password}")
        return users
