"""Schema 3 → 4: an old database gains the file tables, loses nothing, and its old cases take files."""

import pytest

from store import attachments, migrations, open_database
from store.conversation import post_reporter_message
from store.evidence import clean
from store.models import SCHEMA_VERSION, Attachment, Report, database
from store.reports import open_conversation_by_code

from ..store.evidence_samples import phone_photo
from . import schema1
from .test_upgrade import ADMIN


@pytest.fixture(params=["sqlite", "postgresql"])
def old_database(request, tmp_path):
    if request.param == "sqlite":
        url = schema1.sqlite_copy(tmp_path)
    else:
        url = request.getfixturevalue("postgres_url")
        schema1.load_postgres(url)
    yield url, schema1.FACTS[request.param]
    if database.obj is not None and not database.is_closed():
        database.close()


def test_old_cases_are_kept_and_can_take_files_after_the_upgrade(old_database):
    url, facts = old_database
    db = open_database(url, upgrading=True)
    before = schema1.row_counts(db)
    reports_before = db.execute_sql("SELECT reference, description FROM report ORDER BY id").fetchall()
    result = migrations.migrate(db, backup=False, admin=ADMIN)
    assert result.after == SCHEMA_VERSION
    assert any("attachment" in line for step, lines in result.done if step.number == 4 for line in lines)
    after = schema1.row_counts(db)
    # Step 1 drops the old counting state; step 3 (sealing) ends reporter sessions and makes case keys.
    skip = {"throttle_event", "throttle_counter", "tellus_setting", "reporter_session", "case_key"}
    assert after["attachment"] == 0 and after["attachment_chunk"] == 0
    assert {t: n for t, n in after.items() if t in before and t not in skip} == {
        t: n for t, n in before.items() if t not in skip
    }
    # The references are kept (the texts are sealed now: test_upgrade reads them back with the keys).
    assert [r for (r,) in db.execute_sql("SELECT reference FROM report ORDER BY id").fetchall()] == [
        r for r, _d in reports_before
    ]
    open_database(url)
    fact = next(f for f in facts["reports"] if f["code"])
    report = open_conversation_by_code(fact["code"])
    message = post_reporter_message(
        report.id, case_key=report.case_key, body="Dyma’r llun 📷", attachments=[clean(phone_photo(), "llun.jpg")]
    )
    (info,) = attachments.list_files(report.id, report.case_key, message_id=message.id)
    assert info.name == "llun.jpg"
    # Deleting the old case takes its new files with it (the constraint the step made).
    Report.delete().where(Report.id == report.id).execute()
    assert Attachment.select().count() == 0
