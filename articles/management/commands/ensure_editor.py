"""Make sure a local editor account exists, so `make run` ends with a way into the admin.

The password is generated, never fixed; it is kept in .local/editor-password (git-ignored, readable by the
owner only) so that later runs can print it again. `--reset` makes a new one.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create (or report) the local editor account and print how to log in."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="editor")
        parser.add_argument("--reset", action="store_true", help="Set a new generated password.")
        parser.add_argument(
            "--host",
            default="127.0.0.1:8000",
            help="Where the site is served, for the login line (make run passes its HOST).",
        )

    def handle(self, *args, username: str, reset: bool, host: str, **options):
        password_file = Path(settings.BASE_DIR) / ".local" / "editor-password"
        user, created = get_user_model().objects.get_or_create(username=username, defaults={"is_staff": True})
        password = password_file.read_text().strip() if password_file.exists() else ""
        if created or reset or not password or not user.check_password(password):
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.is_staff = True
            user.save()
            password_file.parent.mkdir(exist_ok=True)
            password_file.touch(mode=0o600)
            password_file.write_text(password + "\n")
        editors = Group.objects.filter(name="Editors").first()
        if editors:
            user.groups.add(editors)
        self.stdout.write(
            self.style.SUCCESS(f"Editor login: http://{host}/admin/  user {username}  password {password}")
        )
