"""Two editors opening one campaign at once assign once: each on its own connection, on SQLite and PostgreSQL."""
import sqlite3
import threading
from contextlib import closing

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import load_backend
from factories import make_article

from campaigns.models import Assignment, Campaign

# Transactional: each thread sees only what is committed. Serialized rollback puts back the groups and
# flags data migrations made.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _connect(settings_dict):
    return load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, DEFAULT_DB_ALIAS)


@pytest.fixture
def shared_database(tmp_path):
    """Settings every thread can connect with: an in-memory SQLite test database is copied to a file
    (threads cannot share it), which the test itself then uses too."""
    test_connection = connections[DEFAULT_DB_ALIAS]
    if test_connection.vendor != "sqlite" or not test_connection.is_in_memory_db():
        yield test_connection.settings_dict
        return
    database = {**test_connection.settings_dict, "NAME": str(tmp_path / "race.sqlite3")}
    test_connection.ensure_connection()
    with closing(sqlite3.connect(database["NAME"])) as copy:
        test_connection.connection.backup(copy)
    connections[DEFAULT_DB_ALIAS] = _connect(database)
    try:
        yield database
    finally:
        connections[DEFAULT_DB_ALIAS].close()
        connections[DEFAULT_DB_ALIAS] = test_connection


def test_two_editors_opening_the_same_campaign_at_once_assign_it_once(pool, shared_database):
    campaign = Campaign.objects.plan("Race", [make_article().pk for _ in range(20)], pool, per_article=2, seed=1)
    barrier, results, errors = threading.Barrier(2), [], []

    def editor():
        connections[DEFAULT_DB_ALIAS] = _connect(shared_database)
        try:
            mine = Campaign.objects.get(pk=campaign.pk)
            barrier.wait()
            results.append(mine.open())
        except Exception as error:  # reported below with the others
            errors.append(error)
        finally:
            connections[DEFAULT_DB_ALIAS].close()

    threads = [threading.Thread(target=editor) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert sorted(results) == [False, True]
    assert Assignment.objects.count() == 40
    assert Campaign.objects.get(pk=campaign.pk).state == Campaign.State.OPEN
