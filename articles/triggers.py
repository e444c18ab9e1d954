"""What the two sets of database triggers (articles/caching.py, articles/counting.py) share."""

from django.db import connections


def run(using: str, statements: list[str]) -> None:
    with connections[using].cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def drop(using: str, *, suffix: str, functions: list[str]) -> None:
    """Drop the SQLite triggers named ...`suffix`, or the PostgreSQL `functions` and the triggers calling them."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            for (name,) in cursor.fetchall():
                if name.endswith(suffix):
                    cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")
        elif connection.vendor == "postgresql":
            for function in functions:
                cursor.execute(f"DROP FUNCTION IF EXISTS {function}() CASCADE")
