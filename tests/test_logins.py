"""Guessing is bounded: the admin login locks out after a few failures, failed API tokens are throttled."""

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from .factories import make_staff

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "a-long-test-passphrase"  # noqa: S105 - a throwaway account in the test database
# The defaults the README documents: failed logins before a lockout, failed tokens a minute per address.
FAILURES = 5
TOKEN_FAILURES = 10


@pytest.fixture(autouse=True)
def quick_hashing(settings):
    # Each login attempt hashes a password; the production hasher takes a good fraction of a second on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def desk():
    return make_staff("desk", editor=True, password=PASSWORD)


def log_in(client, username: str, password: str, address: str = "127.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client) -> bool:
    return client.get("/admin/", REMOTE_ADDR="203.0.113.99").status_code == 200


def test_after_five_wrong_passwords_the_right_one_is_refused_with_a_429(client, settings, desk):
    codes = [log_in(client, "desk", "wrong").status_code for _ in range(FAILURES)]
    # The form again with its error, until the failure that locks the account out.
    assert codes == [200] * (FAILURES - 1) + [429]
    response = log_in(client, "desk", PASSWORD)
    assert response.status_code == 429
    assert "too many" in response.text.lower()
    assert not signed_in(client)


def test_an_address_guessing_many_accounts_is_locked_out(client, settings, desk):
    for n in range(FAILURES):
        log_in(client, f"someone-{n}", "wrong", address="198.51.100.7")
    assert log_in(client, "desk", PASSWORD, address="198.51.100.7").status_code == 429


def test_an_account_guessed_from_many_addresses_is_locked_out(client, settings, desk):
    for n in range(FAILURES):
        log_in(client, "desk", "wrong", address=f"198.51.100.{n + 1}")
    assert log_in(client, "desk", PASSWORD, address="192.0.2.50").status_code == 429


def test_a_few_mistakes_then_the_right_password_signs_in_and_clears_the_count(client, settings, desk):
    for _ in range(FAILURES - 1):
        log_in(client, "desk", "wrong")
    assert log_in(client, "desk", PASSWORD).status_code == 302
    client.logout()
    for _ in range(FAILURES - 1):
        log_in(client, "desk", "wrong")
    assert log_in(client, "desk", PASSWORD).status_code == 302


def test_the_operator_unlocks_an_account_with_axes_reset_username(client, settings, desk):
    for _ in range(FAILURES):
        log_in(client, "desk", "wrong", address="198.51.100.7")
    assert log_in(client, "desk", PASSWORD, address="198.51.100.7").status_code == 429
    call_command("axes_reset_username", "desk", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("axes_reset_ip", "198.51.100.7", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert log_in(client, "desk", PASSWORD, address="198.51.100.7").status_code == 302


# API tokens


def with_token(key: str, address: str = "127.0.0.1") -> int:
    api = APIClient(REMOTE_ADDR=address)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.get("/api/articles/")


def test_wrong_tokens_past_the_limit_are_answered_429_with_retry_after(settings, desk):
    codes = [with_token(f"{n:040x}").status_code for n in range(100)]
    allowed = TOKEN_FAILURES
    assert codes == [401] * allowed + [429] * (100 - allowed)
    response = with_token("0" * 40)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60


def test_while_throttled_even_a_right_token_from_that_address_waits_but_other_addresses_go_on(settings, desk):
    key = Token.objects.create(user=desk).key
    allowed = TOKEN_FAILURES
    for n in range(allowed):
        with_token(f"{n:040x}")
    # Checking it would tell a guesser that this one is right.
    assert with_token(key).status_code == 429
    assert with_token(key, address="192.0.2.50").status_code == 200


def test_right_tokens_are_never_counted(settings, desk):
    key = Token.objects.create(user=desk).key
    allowed = TOKEN_FAILURES
    assert {with_token(key).status_code for _ in range(allowed + 5)} == {200}
    assert with_token("f" * 40).status_code == 401
