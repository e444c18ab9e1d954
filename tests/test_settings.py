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


def readme_deploy_block() -> str:
    """The shell block the README's production section gives for a clean `check --deploy`."""
    readme = (ROOT / "README.md").read_text()
    after = readme.split("<!-- deploy-environment: tests/test_settings.py runs this block -->", 1)[1]
    return after.split("```sh\n", 1)[1].split("```", 1)[0]


def run_shell(script: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_readme_s_production_environment_passes_check_deploy_with_no_warnings():
    block = readme_deploy_block()
    assert "manage.py check --deploy --fail-level WARNING" in block
    result = run_shell(block.replace(".venv/bin/python", sys.executable))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_without_the_production_environment_check_deploy_warns_about_hsts_and_the_redirect():
    result = run_shell(
        f"{sys.executable} manage.py check --deploy",
        DJANGO_SECRET_KEY="k" * 20 + "-an-example-key-long-enough-and-varied-0123456789",
        DJANGO_ALLOWED_HOSTS="ties.example",
    )
    assert "security.W004" in result.stderr and "security.W008" in result.stderr


SHOW_SECURITY = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, getattr(s, 'SECURE_PROXY_SSL_HEADER', None), "
    "s.CSRF_TRUSTED_ORIGINS)"
)


def security_with(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "-c", SHOW_SECURITY],
        cwd=ROOT,
        env=clean | {"DJANGO_SETTINGS_MODULE": "ties_cms.settings", "DJANGO_SECRET_KEY": "k"} | env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_https_settings_are_off_by_default_and_read_from_the_environment():
    assert security_with().stdout.strip() == "0 False None []"
    result = security_with(
        DJANGO_HSTS_SECONDS="300",
        DJANGO_SSL_REDIRECT="1",
        DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://ties.example, https://www.ties.example",
    )
    assert result.stdout.strip() == (
        "300 True ('HTTP_X_FORWARDED_PROTO', 'https') ['https://ties.example', 'https://www.ties.example']"
    )


def test_bad_security_settings_stop_the_start_with_one_line_naming_the_variable():
    for name, value in (
        ("DJANGO_HSTS_SECONDS", "a year"),
        ("DJANGO_SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto: https"),
        ("DJANGO_CSRF_TRUSTED_ORIGINS", "ties.example"),
    ):
        result = security_with(**{name: value})
        assert result.returncode != 0
        last_line = result.stderr.strip().splitlines()[-1]
        assert last_line.startswith(f"django.core.exceptions.ImproperlyConfigured: {name}")
