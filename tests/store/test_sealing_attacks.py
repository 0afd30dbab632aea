"""Attacks on the sealed case files, each as the attacker would run it: real database files, real keys.

A passing test is a defence that holds. A finding that is fixed has a test that failed before the fix.
A finding not fixed yet is ``xfail(strict=True)`` with the reason and what would fix it: it turns red the
day the defence exists, so the marker is removed then.

The attackers: (a) someone holding a copy of the database file, its WAL, a backup; (b) a compromised web
process (the database, public keys, the cookies of the requests it serves); (c) a non-admin adviser with
their own password and — in the deployment the README describes, through the group ``tellus`` — the
database file; (d) whoever can edit rows (PostgreSQL run by central IT, any of the above).
"""

import os
import sqlite3
import threading

import pytest

from store import advisers, casetext, keys, migrations, open_database, sealing, sessions
from store.cases import assign, open_case
from store.conversation import add_note, post_adviser_reply, post_reporter_message, thread
from store.errors import AccountDisabled, AuthenticationFailed, NotFound, PermissionDenied, TellusError
from store.keyring import unlock
from store.models import Adviser, CaseKey, Message, Report, Setting, database
from store.reports import open_conversation_by_code

from ..helpers import submit

PASSWORD = "a long adviser password"
SECRET = "Dr Mallory Quince grabbed my wrist in room B17 — شهادة — Tystiolaeth 👩‍👩‍👧"


def _team(config):
    """ada (admin), bryn and cai (advisers), each granted by ada's app."""
    ada = advisers.create_adviser("ada", PASSWORD, "Ada", is_admin=True)
    advisers.create_adviser("bryn", PASSWORD, "Bryn", keyring=ada.keyring, config=config)
    advisers.create_adviser("cai", PASSWORD, "Cai", keyring=ada.keyring, config=config)
    return ada


def _attacker_opens(private_key, report_id):
    """Every case key sealed to ``private_key`` for ``report_id`` in the database."""
    opened = []
    for row in CaseKey.select().where(CaseKey.report == report_id):
        try:
            opened.append(sealing.open_sealed(private_key, row.sealed_key))
        except sealing.Unreadable:
            pass
    return opened


def _description(report_id, key):
    return casetext.open_report(Report.get_by_id(report_id), key).description


# ---- (a) a copy of the database --------------------------------------------------------------------------


def test_an_online_backup_of_the_file_holds_no_text_and_no_key_that_opens_it(sqlite_db, sqlite_url, config, tmp_path):
    ada = _team(config)
    report = submit(config, description=SECRET, location="Quince annexe, room B17").report
    post_adviser_reply(report.id, ada, "Reply: we will speak to Dr Quince", config=config)
    add_note(report.id, ada, "Note: Quince on the rota both days", config=config)
    copy = tmp_path / "backup.db"
    with sqlite3.connect(sqlite_url) as source, sqlite3.connect(copy) as target:
        source.backup(target)  # what `sqlite3 tellus.db ".backup …"` does
    data = copy.read_bytes()
    for text in (SECRET, "Quince annexe", "speak to Dr Quince", "on the rota"):
        assert text.encode() not in data
    # Everything the copy holds that looks like key material opens nothing: the hash of a session token,
    # the code's lookup value, the salts — none is a case key.
    raw = sqlite3.connect(copy)
    candidates = [bytes(v) for (v,) in raw.execute("SELECT code_hash FROM report WHERE code_hash IS NOT NULL")]
    candidates += [bytes(v) for (v,) in raw.execute("SELECT key_salt FROM adviser")]
    candidates += [bytes(v) for (v,) in raw.execute("SELECT public_key FROM adviser")]
    raw.close()
    for candidate in candidates:
        for derived in (candidate[:32], sealing.code_unwrap_key(candidate), sealing.wrap_key_of(candidate[:32])):
            if len(derived) == 32:
                assert _description(report.id, derived) == casetext.UNREADABLE


# ---- the reporter's code -----------------------------------------------------------------------------------


def test_a_code_login_costs_one_argon2_whether_the_code_exists_or_not(sqlite_db, config, monkeypatch):
    from store import codes

    sub = submit(config)
    calls = []
    real = codes.hash_secret_raw

    def counted(**kwargs):
        calls.append(1)
        return real(**kwargs)

    monkeypatch.setattr(codes, "hash_secret_raw", counted)  # the argon2 library's function, counted, still run
    assert open_conversation_by_code(sub.code).case_key
    found = len(calls)
    with pytest.raises(NotFound):
        open_conversation_by_code("ABCD-EFGH-JKMN-PQRS")
    assert (found, len(calls) - found) == (1, 1)


def test_a_code_hash_and_code_key_moved_to_another_case_open_nothing(sqlite_db, config):
    one, two = submit(config, description="First case"), submit(config, description="Second case")
    a, b = Report.get_by_id(one.report.id), Report.get_by_id(two.report.id)
    # The attacker swaps the lookup values and sealed code keys: one's code now finds two's row.
    Report.update(code_hash=None, code_key=None).where(Report.id.in_([a.id, b.id])).execute()
    Report.update(code_hash=a.code_hash, code_key=a.code_key).where(Report.id == b.id).execute()
    Report.update(code_hash=b.code_hash, code_key=b.code_key).where(Report.id == a.id).execute()
    for sub in (one, two):
        with pytest.raises(NotFound):
            open_conversation_by_code(sub.code)


# ---- (d) sealed blobs moved between cases, fields, messages ------------------------------------------------

_COLUMNS = {
    "sealed_description": "description",
    "sealed_details": "details",
    "sealed_contact": "contact",
}


@pytest.mark.parametrize("source", list(_COLUMNS))
@pytest.mark.parametrize("target", list(_COLUMNS))
@pytest.mark.parametrize("other_case", [False, True])
def test_a_sealed_text_moved_to_another_field_or_case_does_not_open(sqlite_db, config, source, target, other_case):
    if source == target and not other_case:
        pytest.skip("not a move")
    ada = advisers.create_adviser("ada", PASSWORD, is_admin=True)
    form = {"way": "named", "name": "Aled", "email": "aled@example.ac.uk", "description": SECRET}
    victim = submit(config, **form).report
    receiver = submit(config, **form).report if other_case else victim
    blob = getattr(Report.get_by_id(victim.id), source)
    Report.update({getattr(Report, target): blob}).where(Report.id == receiver.id).execute()
    assert _COLUMNS[target] in open_case(receiver.id, ada, config).text.unreadable


# ---- (d) a case key sealed to an admin, copied into another case's row --------------------------------------


@pytest.mark.parametrize("deputy", ["an admin's app", "the recovery key"])
def test_a_case_key_copied_into_another_cases_row_is_not_granted_as_that_case(sqlite_db, config, deputy):
    """A sealed box names no case. cai (who may see unassigned cases) copies ada's sealed key of bryn's case
    into ada's row of an unassigned case, clears the wrapped copy and drops his own grant; ada's app (or a
    recovery) then "re-grants" the unassigned case to cai — with the key of bryn's case."""
    ada = _team(config)
    secret = submit(config, description=SECRET).report
    assign(secret.id, ada, "bryn", config)
    bait = submit(config, description="An ordinary unassigned case").report
    ada_id, cai_id = ada.id, Adviser.get(Adviser.username == "cai").id
    holder = (CaseKey.holder == "adviser") & (CaseKey.adviser == ada_id)
    if deputy == "the recovery key":
        holder = CaseKey.holder == "recovery"
    stolen = CaseKey.get(holder & (CaseKey.report == secret.id)).sealed_key
    CaseKey.update(sealed_key=stolen, wrapped_key=None).where(holder & (CaseKey.report == bait.id)).execute()
    CaseKey.delete().where((CaseKey.adviser == cai_id) & (CaseKey.report == bait.id)).execute()
    if deputy == "an admin's app":
        keys.share_all(advisers.sign_in("ada", PASSWORD).keyring, config)
    else:
        advisers.recover(ada.recovery_key, "ada", "ada's password after recovery", config)
    cai = advisers.sign_in("cai", PASSWORD)
    key = cai.keyring.case_key_or_none(bait.id)
    assert key is None or _description(secret.id, key) == casetext.UNREADABLE
    assert _attacker_opens(cai.keyring.private_key, secret.id) == []


# ---- (d) rows edited: messages, authors, sessions ----------------------------------------------------------


def test_a_reply_re_attributed_to_another_adviser_does_not_open(sqlite_db, config):
    ada = _team(config)
    report = submit(config).report
    post_adviser_reply(report.id, ada, "I, Ada, promise to call you on Monday", config=config)
    add_note(report.id, ada, "Ada's own note", config=config)
    bryn_id = Adviser.get(Adviser.username == "bryn").id
    Message.update(adviser=bryn_id).where(Message.author == "adviser").execute()
    from store.models import Note

    Note.update(adviser=bryn_id).execute()
    items = open_case(report.id, ada, config).items
    assert {(i.adviser_name, i.body) for i in items if i.adviser_name == "Bryn"} <= {("Bryn", casetext.UNREADABLE)}


def test_a_reporter_session_pointed_at_another_case_ends_instead_of_writing_into_it(sqlite_db, config):
    """Before the fix the session's key (case one's) was handed out for case two: the reporter's message was
    sealed into case two with case one's key, told "sent", and unreadable to every adviser."""
    ada = advisers.create_adviser("ada", PASSWORD, is_admin=True)
    one, two = submit(config), submit(config)
    token = sessions.create_session(open_conversation_by_code(one.code))
    from store.models import ReporterSession

    ReporterSession.update(report=two.report.id).execute()
    assert sessions.check_session(token) == two.report.id  # the row edit took
    with pytest.raises(NotFound, match="can no longer open its conversation"):
        post_reporter_message(two.report.id, "for case one", case_key=sessions.case_key(token))
    assert thread(two.report.id, key=ada.keyring.case_key(two.report.id)) == []


# ---- (b), (c), (d): what the sealers trust -----------------------------------------------------------------

# Found by the review: whoever wrote to the database decided whom Tellus sealed to (the web process sealed
# new reports to every active admin row's public key and to the recovery key setting; an admin's app granted
# old cases to whoever the adviser and report rows said may see them). Fixed by the signed roster
# (store/roster.py: entries and the recovery key signed with a key pinned outside the database) and sealed
# assignments (casetext.seal_assignment); these tests failed before (strict xfails then).


def _attacker_admin_row():
    pair = sealing.KeyPair.generate()
    Adviser.insert(
        username="mallory", display_name="IT", password_hash="x", is_admin=True, active=True,
        created_at=Adviser.get_by_id(1).created_at, public_key=pair.public,
    ).execute()  # fmt: skip
    return pair


def _swap_admins_public_key():
    pair = sealing.KeyPair.generate()
    Adviser.update(public_key=pair.public).where(Adviser.username == "ada").execute()
    return pair


def _swap_recovery_key():
    pair = sealing.KeyPair.generate()
    Setting.update(value=pair.public.hex()).where(Setting.key == keys.RECOVERY_SETTING).execute()
    return pair


@pytest.mark.parametrize("tamper", [_attacker_admin_row, _swap_admins_public_key, _swap_recovery_key])
def test_a_row_edit_does_not_make_the_web_process_seal_new_reports_to_the_attacker(sqlite_db, config, tamper):
    _team(config)
    attacker = tamper()
    report = submit(config, description=SECRET).report  # the web process seals it
    assert _attacker_opens(attacker.private, report.id) == []


def _self_promotion():
    Adviser.update(is_admin=True).where(Adviser.username == "cai").execute()
    return "cai"


def _self_assignment():
    Report.update(assignee=Adviser.get(Adviser.username == "cai").id).execute()
    return "cai"


def _unassignment():
    """Unassigned, every adviser may see a case (advisers_see_unassigned): a row edit that unassigns bryn's case."""
    Report.update(assignee=None).execute()
    return "cai"


def _inserted_admin():
    _attacker_admin_row()
    return "mallory"


@pytest.mark.parametrize("tamper", [_self_promotion, _self_assignment, _unassignment, _inserted_admin])
def test_a_row_edit_does_not_make_an_admins_app_grant_old_cases_to_the_attacker(sqlite_db, config, tamper):
    ada = _team(config)
    report = submit(config, description=SECRET).report
    assign(report.id, ada, "bryn", config)
    who = tamper()
    attacker = Adviser.get(Adviser.username == who)
    before = CaseKey.select().where((CaseKey.adviser == attacker.id) & (CaseKey.report == report.id)).count()
    assert before == 0  # the case is bryn's: nobody else but the admin holds its key
    keys.share_all(advisers.sign_in("ada", PASSWORD).keyring, config)  # ada's app, next time it runs
    assert not CaseKey.select().where((CaseKey.adviser == attacker.id) & (CaseKey.report == report.id)).exists()


# ---- (c) a non-admin adviser ----------------------------------------------------------------------------------


def ada_config():
    from store import Config

    return Config(advisers_see_unassigned=False)


@pytest.mark.parametrize("change", ["unassigned", "disabled", "demoted", "reset"])
def test_an_adviser_who_lost_a_case_cannot_open_it_through_tellus(sqlite_db, change):
    config = ada_config()
    ada = advisers.create_adviser("ada", PASSWORD, is_admin=True)
    advisers.create_adviser("bryn", PASSWORD, is_admin=change == "demoted", keyring=ada.keyring, config=config)
    report = submit(config, description=SECRET).report
    assign(report.id, ada, "bryn", config)
    bryn = advisers.sign_in("bryn", PASSWORD)
    assert open_case(report.id, bryn, config).text.description == SECRET
    if change == "unassigned":
        assign(report.id, ada, "ada", config)
    elif change == "disabled":
        advisers.set_active("bryn", False, by=ada)
    elif change == "demoted":
        assign(report.id, ada, "ada", config)
        advisers.set_admin("bryn", False, by=ada, config=config)
    else:
        assign(report.id, ada, "ada", config)
        advisers.change_password("bryn", "reset by the administrator", by=ada, config=config)
    assert not CaseKey.select().where((CaseKey.adviser == bryn.id) & (CaseKey.report == report.id)).exists()
    if change == "disabled":
        with pytest.raises(AccountDisabled):
            advisers.sign_in("bryn", PASSWORD)
    elif change == "reset":
        with pytest.raises(AuthenticationFailed):
            advisers.sign_in("bryn", PASSWORD)
    # The private key bryn's password still opens (disabled: it is still in the row) opens no copy left.
    adviser = Adviser.get(Adviser.username == "bryn")
    password = "reset by the administrator" if change == "reset" else PASSWORD
    ring = unlock(adviser, password)
    with pytest.raises(PermissionDenied):
        ring.case_key(report.id)
    assert _attacker_opens(ring.private_key, report.id) == []


# Found by the review (a strict xfail then): a case key never changed, so an adviser who kept a copy of their
# grant read everything written after they lost the case. Now every removal of a grant rotates the case key
# (store/rotation.py); the reporter reaches the new one through their code.
@pytest.mark.parametrize("change", ["unassigned", "disabled", "demoted"])
def test_an_adviser_who_kept_a_copy_of_their_grant_cannot_read_what_is_written_afterwards(sqlite_db, change):
    config = ada_config()
    ada = advisers.create_adviser("ada", PASSWORD, is_admin=True)
    advisers.create_adviser("bryn", PASSWORD, is_admin=change == "demoted", keyring=ada.keyring, config=config)
    sub = submit(config, description="Written while bryn had the case")
    assign(sub.report.id, ada, "bryn", config)
    bryn = advisers.sign_in("bryn", PASSWORD)
    kept = CaseKey.get((CaseKey.adviser == bryn.id) & (CaseKey.report == sub.report.id)).sealed_key
    private = bryn.keyring.private_key
    assign(sub.report.id, ada, "ada", config)
    if change == "disabled":
        advisers.set_active("bryn", False, by=ada)
    elif change == "demoted":
        advisers.set_admin("bryn", False, by=ada, config=config)
    token = sessions.create_session(open_conversation_by_code(sub.code))
    post_reporter_message(sub.report.id, "Written after bryn lost the case", case_key=sessions.case_key(token))
    key = sealing.open_sealed(private, kept)
    assert [m.body for m in thread(sub.report.id, key=key)] == [casetext.UNREADABLE]


# ---- the intake key file --------------------------------------------------------------------------------------


def test_an_intake_key_file_others_can_read_is_refused_not_reused(sqlite_db, config, intake_key_file):
    """A file left behind (a dry run, a restore) or planted, readable by others: reports sealed to it would be
    readable by whoever read it. Before the fix it was reused as it was."""
    intake_key_file.unlink(missing_ok=True)  # the session's path: another test may have left its key
    intake_key_file.write_bytes(bytes(sealing.KeyPair.generate().private))
    os.chmod(intake_key_file, 0o644)
    try:
        with pytest.raises(TellusError, match="others"):
            submit(config, description=SECRET)
        assert Report.select().count() == 0
    finally:
        intake_key_file.unlink()


def test_an_intake_key_file_left_by_a_dry_run_is_reused_only_when_private(sqlite_db, config, intake_key_file):
    intake_key_file.unlink(missing_ok=True)  # the session's path: another test may have left its key
    pair = sealing.KeyPair.generate()
    fd = os.open(intake_key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.write(fd, pair.private)
    os.close(fd)
    report = submit(config, description=SECRET).report
    assert [row.holder for row in CaseKey.select()] == ["intake"]
    assert _description(report.id, _attacker_opens(pair.private, report.id)[0]) == SECRET


def test_web_processes_racing_to_make_the_intake_key_all_get_the_same_one(tmp_path, monkeypatch):
    """Before the fix the file was created empty and written afterwards: a second process reading it in
    between called it damaged, and that reporter's report was refused."""
    failures, publics = [], set()
    for attempt in range(40):
        path = tmp_path / f"tellus{attempt}.db"
        monkeypatch.setenv("TELLUS_INTAKE_KEY", str(tmp_path / f"intake{attempt}.key"))
        open_database(str(path))
        barrier = threading.Barrier(8)

        def make(barrier=barrier):
            barrier.wait()
            try:
                publics.add(keys.intake_public_key())
            except TellusError as exc:
                failures.append(str(exc))
            finally:
                database.close()

        threads = [threading.Thread(target=make) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        database.close()
    assert failures == []
    assert len(publics) == 40


@pytest.mark.postgres
def test_on_postgresql_without_an_intake_key_path_a_report_before_any_adviser_is_refused_whole(
    postgres_url, config, tmp_path, monkeypatch
):
    """Found and fixed: the intake key used to go to the current folder of whichever process needed it first,
    where the CLI creating the first adviser never looked. Now PostgreSQL needs TELLUS_INTAKE_KEY, and
    without it the report is refused with a sentence naming it, and nothing is stored."""
    monkeypatch.delenv("TELLUS_INTAKE_KEY")
    monkeypatch.chdir(tmp_path)
    open_database(postgres_url)
    try:
        with pytest.raises(TellusError, match="TELLUS_INTAKE_KEY"):
            submit(config, description=SECRET)
        assert Report.select().count() == 0 and list(tmp_path.iterdir()) == []
    finally:
        database.close()


# ---- the migration -------------------------------------------------------------------------------------------


def test_the_migration_backup_is_never_readable_by_others_while_it_is_written(tmp_path):
    """Found and fixed: the backup (every text of an older schema, in plain) was written under the umask and
    made 0600 only afterwards. Now the empty file is created 0600 first and VACUUM INTO fills it."""
    from tests.migrations import schema1

    path = schema1.sqlite_copy(tmp_path)
    db = open_database(path, upgrading=True)
    modes = set()
    old = os.umask(0o022)

    def watch():
        for name in os.listdir(tmp_path):
            if name.endswith(".bak"):
                modes.add(os.stat(tmp_path / name).st_mode & 0o777)
        return 0

    try:
        db.connection().set_progress_handler(watch, 50)
        migrations.backup_copy(db, 1)
    finally:
        db.connection().set_progress_handler(None, 0)
        os.umask(old)
        database.close()
    assert modes and all(mode & 0o077 == 0 for mode in modes), modes
