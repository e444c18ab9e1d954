"""Small factories for tests: plain functions, sensible defaults, every field overridable."""

import datetime
import itertools

from articles.models import Agreement, Article, Country, Official, Status

_numbers = itertools.count(1)


def make_article(**fields) -> Article:
    n = next(_numbers)
    defaults = {
        "headline": f"Story number {n}",
        "slug": f"story-{n}",
        "body": f"Body of story {n}.\n\nSecond paragraph.",
        "published_on": datetime.date(2025, 1, 1) + datetime.timedelta(days=n % 300),
        "status": Status.PUBLISHED,
        "raw_text": f"Body of story {n}.",
        "content_key": f"key-{n}",
    }
    return Article.objects.create(**(defaults | fields))


def country(code: str) -> Country:
    return Country.objects.get(iso_code=code)


def make_official(name: str, **fields) -> Official:
    return Official.objects.create(name=name, **fields)


def make_agreement(name: str, parties: str = "", **fields) -> Agreement:
    """An agreement; `parties` written out ("India; Morocco") as an editor would name them."""
    agreement = Agreement.objects.create(name=name, **fields)
    if parties:
        agreement.set_parties(parties.split(";"))
    return agreement


def tagged_articles(count: int, **fields) -> list[Article]:
    """`count` stories, each with two countries, an official and an agreement."""
    india, morocco = country("IN"), country("MA")
    official = Official.objects.first()
    agreement = Agreement.objects.first()
    articles = []
    for _ in range(count):
        article = make_article(**fields)
        article.countries.add(india, morocco)
        article.officials.add(official)
        article.agreements.add(agreement)
        articles.append(article)
    return articles


def make_user(username: str, *, groups: tuple[str, ...] = (), permissions: tuple[str, ...] = ()):
    """A user in the named groups (e.g. "Editors"), plus permissions given as "articles.codename"."""
    from django.contrib.auth.models import Group, Permission, User

    # No password: hashing one costs more than half a second, and the tests sign in without it.
    user = User.objects.create_user(username=username)
    user.groups.add(*Group.objects.filter(name__in=groups))
    codenames = [permission.split(".", 1)[1] for permission in permissions]
    articles_permissions = Permission.objects.filter(content_type__app_label="articles")
    user.user_permissions.add(*articles_permissions.filter(codename__in=codenames))
    return user


def make_staff(username: str, *, editor: bool = False, superuser: bool = False, password: str = ""):
    """A staff user (able to log in to the admin); `editor=True` adds them to the Editors group."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username, password=password or None, is_staff=True, is_superuser=superuser)
    if editor:
        user.groups.add(Group.objects.get(name="Editors"))
    return user


def import_bytes(importer, data: bytes, filename: str):
    """Import one file's bytes as the command would, without a file."""
    from articles.ingest.parsing import parse_article

    return importer.import_parsed(parse_article(data), filename)
