"""Issue 12's brute-force check: wrong passwords at the admin login and wrong API tokens, then the right ones.

Run it against a site you serve yourself on 127.0.0.1 (it refuses any other host), with an account whose password
you know, e.g. after `make setup`:

    .venv/bin/python manage.py runserver 127.0.0.1:8011 &
    .venv/bin/python -m bench.brute_force --url http://127.0.0.1:8011 --username editor \
        --password "$(cat .local/editor-password)"

It prints how each attempt was answered. With the guard in place the wrong passwords are refused and then locked
out (django-axes answers 429), the right password no longer logs in while the lockout lasts, and failed tokens
are throttled to 429. `manage.py axes_reset` lifts the lockout afterwards.
"""

from __future__ import annotations

import argparse
import collections
import http.cookiejar
import re
import time
import urllib.error
import urllib.parse
import urllib.request

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _opener():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 after a login is the answer we count


def _status(opener, request) -> int:
    try:
        with opener.open(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def login(url: str, username: str, password: str) -> int:
    """One admin login attempt in a fresh session: 302 is a login, 200 the form again, 429 locked out."""
    opener = _opener()
    with opener.open(f"{url}/admin/login/", timeout=10) as response:
        token = CSRF.search(response.read().decode())[1]
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": "/admin/"}
    ).encode()
    request = urllib.request.Request(f"{url}/admin/login/", data=data, headers={"Referer": f"{url}/admin/login/"})
    return _status(opener, request)


def token(url: str, value: str) -> int:
    request = urllib.request.Request(f"{url}/api/articles/", headers={"Authorization": f"Token {value}"})
    return _status(_opener(), request)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--passwords", type=int, default=30, help="wrong passwords to try (default 30)")
    parser.add_argument("--tokens", type=int, default=100, help="wrong tokens to try (default 100)")
    args = parser.parse_args(argv)
    if urllib.parse.urlsplit(args.url).hostname not in {"127.0.0.1", "localhost"}:
        parser.error("only a site served on this machine (127.0.0.1) may be probed")

    started = time.monotonic()
    wrong = collections.Counter(login(args.url, args.username, f"wrong-{n}") for n in range(args.passwords))
    right = login(args.url, args.username, args.password)
    print(f"{args.passwords} wrong passwords in {time.monotonic() - started:.1f} s: {dict(sorted(wrong.items()))}")
    print(f"then the right password: {right} ({'logged in' if right == 302 else 'refused'})")

    started = time.monotonic()
    tokens = collections.Counter(token(args.url, f"{n:040x}") for n in range(args.tokens))
    print(f"{args.tokens} wrong tokens in {time.monotonic() - started:.1f} s: {dict(sorted(tokens.items()))}")


if __name__ == "__main__":
    main()
