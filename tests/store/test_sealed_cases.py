"""Sealed case files: what people write is readable by the advisers who may see the case and by
the reporter — nobody else, and not from the database alone."""

import subprocess

import pytest

from store import advisers, casetext, keys, sessions, stats
from store.cases import assign, open_case
from store.conversation import add_note, post_adviser_reply, thread
from store.errors import AuthenticationFailed, NotFound, PermissionDenied, ValidationError
from store.inbox import inbox
from store.models import Adviser, CaseKey, Message, Report, database
from store.reporter_view import conversation_view
from store.reports import open_conversation_by_code

from ..helpers import reporter_message, sqlite_file_bytes, submit

PASSWORD = "a long adviser password"
SECRETS = {
    "description": "Dr Mallory Quince grabbed my wrist in room B17",
    "location": "Quince laboratory annexe",
    "people": "Mallory Quince and a technician called Ffion",
    "name": "Aled Prydderch-Jones",
    "email": "aled.prydderch@example.ac.uk",
    "phone": "+44 7700 900555",
    "message": "He was there again this morning; zażółć 👩‍👩‍👧",
    "reply": "Thank you for telling us, Aled; we will act on Quince's conduct.",
    "note": "Checked the annexe rota: Quince on duty both days",
}


def _journey(config):
    ada = advisers.create_adviser("ada", PASSWORD, "Ada", is_admin=True)
    named = submit(
        config,
        way="named",
        description=SECRETS["description"],
        location=SECRETS["location"],
        people=SECRETS["people"],
        name=SECRETS["name"],
        email=SECRETS["email"],
        phone=SECRETS["phone"],
    )
    anonymous = submit(config, description="An anonymous account of the Quince annexe", two_way="on")
    report = open_conversation_by_code(anonymous.code)
    token = sessions.create_session(report)
    from store.conversation import post_reporter_message

    post_reporter_message(report.id, SECRETS["message"], case_key=sessions.case_key(token))
    post_adviser_reply(report.id, ada, SECRETS["reply"], config=config)
    add_note(named.report.id, ada, SECRETS["note"], config=config)
    return ada, named, anonymous, token


def _leaks(data):
    return [name for name, text in SECRETS.items() if text.encode() in data]


def test_after_a_full_journey_no_text_is_in_the_sqlite_file_wal_or_shm(sqlite_db, sqlite_url, config):
    ada, named, anonymous, _token = _journey(config)
    assert _leaks(sqlite_file_bytes(sqlite_url)) == []
    # The texts are all there for the adviser who may read them.
    view = open_case(named.report.id, ada, config)
    assert (view.text.description, view.text.location, view.text.contact_email) == (
        SECRETS["description"],
        SECRETS["location"],
        SECRETS["email"],
    )
    assert [i.body for i in view.items] == [SECRETS["note"]]
    assert [i.body for i in open_case(anonymous.report.id, ada, config).items] == [SECRETS["message"], SECRETS["reply"]]


@pytest.mark.postgres
def test_after_a_full_journey_no_text_is_in_a_pg_dump(postgres_url, config):
    from store import open_database

    open_database(postgres_url)
    _journey(config)
    base, _, options = postgres_url.partition("?")
    schema = options.split("search_path%3D", 1)[1]
    dump = subprocess.run(
        ["pg_dump", "--no-owner", "--schema", schema, "--dbname", base], capture_output=True, check=True
    ).stdout
    assert b"CREATE TABLE" in dump and b"case_key" in dump  # the dump holds the tables
    assert _leaks(dump) == []
    database.close()


def test_the_web_process_cannot_open_a_case_once_the_reporters_session_ends(sqlite_db, config):
    _ada, _named, anonymous, token = _journey(config)
    report_id = anonymous.report.id
    shown = conversation_view(report_id, config, key=sessions.case_key(token)).messages
    assert shown[0].body == SECRETS["message"]
    sessions.end_session(token)
    with pytest.raises(NotFound):
        sessions.case_key(token)
    # What the web process holds is the database and public keys; nothing in it opens the case key.
    assert all(row.holder in ("adviser", "recovery") for row in CaseKey.select().where(CaseKey.report == report_id))
    texts = [m.body for m in conversation_view(report_id, config, key=None).messages]
    assert texts and set(texts) == {casetext.UNREADABLE}


def test_a_non_admin_cannot_open_a_case_assigned_to_someone_else(sqlite_db, config):
    ada = advisers.create_adviser("ada", PASSWORD, is_admin=True)
    advisers.create_adviser("bryn", PASSWORD, keyring=ada.keyring, config=config)
    advisers.create_adviser("cai", PASSWORD, keyring=ada.keyring, config=config)
    report = submit(config, description=SECRETS["description"]).report
    cai = advisers.sign_in("cai", PASSWORD)
    assert cai.keyring.case_key(report.id)  # unassigned: everyone may see it
    assign(report.id, ada, "bryn", config)
    cai = advisers.sign_in("cai", PASSWORD)  # a fresh app: no key cached
    with pytest.raises(PermissionDenied):
        cai.keyring.case_key(report.id)
    # Not even with every sealed copy of that case's key and cai's private key.
    from store import sealing

    for row in CaseKey.select().where(CaseKey.report == report.id):
        with pytest.raises(sealing.Unreadable):
            sealing.open_sealed(cai.keyring.private_key, row.sealed_key)
    bryn = advisers.sign_in("bryn", PASSWORD)
    assert open_case(report.id, bryn, config).text.description == SECRETS["description"]


def test_a_wrong_password_gives_no_key_and_the_generic_message(sqlite_db):
    advisers.create_adviser("ada", PASSWORD, is_admin=True)
    with pytest.raises(AuthenticationFailed, match=r"^Wrong username or password\.$"):
        advisers.sign_in("ada", PASSWORD + "!")
    adviser = Adviser.get(Adviser.username == "ada")
    with pytest.raises(AuthenticationFailed, match=r"^Wrong username or password\.$"):
        from store.keyring import unlock

        unlock(adviser, "another long password")


@pytest.mark.parametrize("column", ["sealed_description", "sealed_details", "sealed_contact", "sealed_preview"])
def test_tampered_bytes_read_as_cannot_be_opened_never_as_garbage(sqlite_db, config, column):
    ada = advisers.create_adviser("ada", PASSWORD, is_admin=True)
    report = submit(config, way="named", name="Jo", email="jo@example.ac.uk", description="Words").report
    blob = bytearray(getattr(Report.get_by_id(report.id), column))
    blob[-5] ^= 0x01
    Report.update({getattr(Report, column): bytes(blob)}).where(Report.id == report.id).execute()
    view = open_case(report.id, ada, config)
    row = inbox(config, ada).rows[0]
    if column == "sealed_preview":
        assert row.preview == casetext.UNREADABLE
    else:
        assert column.removeprefix("sealed_") in view.text.unreadable
        assert row.preview == "Words"


def test_a_message_moved_to_another_case_or_author_does_not_open(sqlite_db, config):
    ada = advisers.create_adviser("ada", PASSWORD, is_admin=True)
    report = submit(config).report
    reporter_message(report.id, "first")
    reporter_message(report.id, "second")
    first, second = Message.select().order_by(Message.id)
    Message.update(sealed_body=first.sealed_body).where(Message.id == second.id).execute()  # a swap by id
    Message.update(author="adviser").where(Message.id == first.id).execute()  # a change of author
    assert [i.body for i in open_case(report.id, ada, config).items] == [casetext.UNREADABLE] * 2


def test_a_disabled_advisers_grants_are_gone(sqlite_db, config):
    ada = advisers.create_adviser("ada", PASSWORD, is_admin=True)
    bryn = advisers.create_adviser("bryn", PASSWORD, keyring=ada.keyring, config=config)
    submit(config)
    assert CaseKey.select().where(CaseKey.adviser == bryn.id).count() == 1
    advisers.set_active("bryn", False)
    assert CaseKey.select().where(CaseKey.adviser == bryn.id).count() == 0


def test_a_copy_without_keys_shows_counts_but_no_text(sqlite_db, config):
    _journey(config)
    page = inbox(config)  # no adviser, no keys
    assert page.total == 2 and {r.preview for r in page.rows} == {""}
    view = open_case(page.rows[0].id, None, None)
    assert view.text.description == casetext.UNREADABLE
    assert {i.body for i in view.items} <= {casetext.UNREADABLE}
    assert stats.compute_statistics(config).tables  # statistics need no keys


def test_reports_received_before_any_adviser_become_readable_when_the_first_is_created(
    sqlite_db, config, intake_key_file
):
    report = submit(config, description=SECRETS["description"]).report
    assert intake_key_file.exists() and oct(intake_key_file.stat().st_mode)[-3:] == "600"
    assert {r.holder for r in CaseKey.select()} == {"intake"}
    ada = advisers.create_adviser("ada", PASSWORD, is_admin=True)
    assert ada.recovery_key  # the first admin brings the recovery key, shown once
    assert open_case(report.id, ada, config).text.description == SECRETS["description"]
    assert {r.holder for r in CaseKey.select()} == {"adviser", "recovery"}
    assert not intake_key_file.exists()


def test_an_own_password_change_keeps_the_keys_and_a_reset_regrants(sqlite_db, config):
    ada = advisers.create_adviser("ada", PASSWORD, is_admin=True)
    advisers.create_adviser("bryn", PASSWORD, keyring=ada.keyring, config=config)
    report = submit(config, description="Kept through a password change").report
    bryn = advisers.sign_in("bryn", PASSWORD)
    advisers.change_password("bryn", "bryn's brand new password", by=bryn)
    bryn = advisers.sign_in("bryn", "bryn's brand new password")
    assert open_case(report.id, bryn, config).text.description == "Kept through a password change"
    # A reset by an admin: a new key pair, the old grants gone, and the admin's keys grant them again.
    advisers.change_password("bryn", "reset by the administrator", by=ada)
    bryn = advisers.sign_in("bryn", "reset by the administrator")
    assert open_case(report.id, bryn, config).text.description == "Kept through a password change"
    # A reset from the command line (no admin's keys): a new key pair nobody vouched for, so no grant, not
    # even from an admin's app, until an admin confirms it (the roster; store/roster.py).
    advisers.change_password("bryn", "reset from the command line")
    bryn = advisers.sign_in("bryn", "reset from the command line")
    assert open_case(report.id, bryn, config).text.description == casetext.UNREADABLE
    ada = advisers.sign_in("ada", PASSWORD)
    assert keys.share_all(ada.keyring, config) == 0
    advisers.confirm(["bryn"], ada, config)
    assert open_case(report.id, advisers.sign_in("bryn", "reset from the command line"), config).text.description


def test_the_recovery_key_gives_an_admin_every_case_back(sqlite_db, config):
    ada = advisers.create_adviser("ada", PASSWORD, is_admin=True)
    reports = [submit(config, description=f"Report {n}").report for n in range(3)]
    with pytest.raises(ValidationError):
        advisers.recover("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH", "ada", "a password nobody forgot")
    assert advisers.recover(ada.recovery_key, "ada", "ada's password after recovery") == 3
    ada = advisers.sign_in("ada", "ada's password after recovery")
    assert [open_case(r.id, ada, config).text.description for r in reports] == ["Report 0", "Report 1", "Report 2"]


def test_a_reporter_session_outlives_advisers_key_changes(sqlite_db, config):
    ada = advisers.create_adviser("ada", PASSWORD, is_admin=True)
    sub = submit(config)
    token = sessions.create_session(open_conversation_by_code(sub.code))
    advisers.change_password("ada", "every adviser key is new now")
    reporter_message(sub.report.id, "still here")
    assert [m.body for m in conversation_view(sub.report.id, config, key=sessions.case_key(token)).messages] == [
        "still here"
    ]
    assert ada.id


def test_search_and_patterns_open_texts_in_memory_only(sqlite_db, config):
    ada = advisers.create_adviser("ada", PASSWORD, is_admin=True)
    wanted = submit(config, description="The Quince annexe again", location="Quince annexe").report
    submit(config, description="Something else entirely", location="Somewhere else")
    assert [r.id for r in inbox(config, ada, search="quince").rows] == [wanted.id]
    assert inbox(config, None, search="quince").rows == []  # without keys, only a reference matches
    assert [r.id for r in inbox(config, None, search=wanted.reference).rows] == [wanted.id]
    assert len(thread(wanted.id)) == 0
