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


def drop_sqlite(using: str, *, table_prefix: str) -> None:
    """Drop every SQLite trigger on the tables whose names begin with `table_prefix` (nothing elsewhere)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND substr(tbl_name, 1, %s) = %s",
            [len(table_prefix), table_prefix],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f"DROP TRIGGER IF EXISTS {connection.ops.quote_name(name)}")
