"""Settings come from the environment, with safe defaults."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOW = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.ALLOWED_HOSTS)"
)


def settings_with(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env=clean | {"DJANGO_SETTINGS_MODULE": "ties_cms.settings"} | env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = settings_with()
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_debug_is_off_unless_asked_for():
    assert settings_with(DJANGO_SECRET_KEY="k").stdout.startswith("False ")


def test_debug_runs_with_a_development_key_and_local_hosts():
    result = settings_with(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split(" ", 1)[0] == "True"
    assert "127.0.0.1" in result.stdout


def test_an_empty_database_url_falls_back_to_sqlite():
    result = settings_with(DJANGO_SECRET_KEY="k", DATABASE_URL="")
    assert "django.db.backends.sqlite3" in result.stdout


def test_database_url_selects_postgresql():
    result = settings_with(DJANGO_SECRET_KEY="k", DATABASE_URL="postgres://u@db.example:5432/ties")
    assert "django.db.backends.postgresql" in result.stdout


def test_allowed_hosts_are_read_from_a_comma_separated_list():
    result = settings_with(DJANGO_SECRET_KEY="k", DJANGO_ALLOWED_HOSTS="ties.example, www.ties.example")
    assert "['ties.example', 'www.ties.example']" in result.stdout
