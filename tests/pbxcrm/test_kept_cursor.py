"""The cursor the hot statements keep (pbxcrm/kept_cursor.py) behaves as Django's own."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from pbxcrm.kept_cursor import kept_cursor
from pbxcrm.pbx.models import CallEvent

pytestmark = pytest.mark.django_db


def table() -> str:
    return connection.ops.quote_name(CallEvent._meta.db_table)


def test_a_statement_runs_and_its_rows_are_read():
    CallEvent.objects.create(pbx_call_id="1700000000.1", type=30011, raw="{}")
    with kept_cursor() as cursor:
        cursor.execute(f"SELECT pbx_call_id, raw FROM {table()} WHERE type = %s", [30011])
        assert cursor.fetchall() == [("1700000000.1", "{}")]
        cursor.execute(f"UPDATE {table()} SET raw = %s WHERE pbx_call_id = %s", ["[]", "1700000000.1"])
        assert cursor.rowcount == 1
    assert CallEvent.objects.get(pbx_call_id="1700000000.1").raw == "[]"


def test_a_database_error_is_raised_as_djangos():
    CallEvent.objects.create(pbx_call_id="1700000000.1", type=30011, raw="{}")
    with pytest.raises(IntegrityError), transaction.atomic(), kept_cursor() as cursor:
        # The row again, its id with it.
        cursor.execute(f"INSERT INTO {table()} SELECT * FROM {table()} WHERE pbx_call_id = %s", ["1700000000.1"])


def test_after_an_error_that_broke_the_transaction_the_next_statement_is_refused_as_django_refuses_it():
    with transaction.atomic():
        with pytest.raises(DatabaseError), transaction.atomic(savepoint=False), kept_cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")
        with pytest.raises(TransactionManagementError), kept_cursor() as cursor:
            cursor.execute("SELECT 1")


def test_the_connections_execute_wrappers_see_its_statements():
    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append((sql, params, many, context["connection"].alias))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper), kept_cursor() as cursor:
        cursor.execute("SELECT %s", [7])
        assert cursor.fetchone()[0] in (7, "7")
    assert seen == [("SELECT %s", [7], False, "default")]


def test_statements_are_recorded_when_queries_are_counted():
    with CaptureQueriesContext(connection) as captured, kept_cursor() as cursor:
        cursor.execute("SELECT %s", [1])
    assert len(captured) == 1 and "SELECT" in captured[0]["sql"]


@pytest.mark.django_db(transaction=True)
def test_a_statement_runs_on_a_new_connection_after_the_old_one_was_closed():
    with kept_cursor() as cursor:
        cursor.execute("SELECT 1")
    connection.close()
    with kept_cursor() as cursor:
        cursor.execute("SELECT 2")
        assert cursor.fetchone()[0] == 2
