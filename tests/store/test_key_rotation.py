"""Case keys rotate when someone loses a case (store/rotation.py): real keys, real database files.

Whoever lost the case keeps what they could read (revocation is not retroactive) and reads nothing written
afterwards; everyone who may still see the case — admins, the assignee, the recovery key and the reporter
with their code — reads all of it.
"""

import threading

import pytest

from store import advisers, casetext, keys, rotation, sealing, sessions
from store.cases import assign, open_case
from store.conversation import add_note, post_adviser_reply, post_reporter_message, thread
from store.errors import NotFound
from store.inbox import inbox
from store.models import CaseKey, Message, Report, database
from store.reports import open_conversation_by_code

from ..helpers import submit
from .test_sealing_attacks import PASSWORD, _team, ada_config


def _bodies(report_id, key):
    return [item.body for item in thread(report_id, include_notes=True, key=key)]


def _kept_by(name, report_id):
    """What an adviser who copied their grant before losing the case holds: the case key it opened then."""
    adviser = advisers.sign_in(name, PASSWORD)
    return adviser.keyring.case_key(report_id)


def _signed_in_reporter(code, config):
    report = open_conversation_by_code(code, config)
    return sessions.create_session(report)


def test_everyone_who_may_still_see_the_case_reads_all_of_it_and_the_one_who_lost_it_nothing_new(sqlite_db):
    config = ada_config()
    ada = _team(config)
    sub = submit(config, description="Written while bryn had the case")
    assign(sub.report.id, ada, "bryn", config)
    bryn_kept = _kept_by("bryn", sub.report.id)
    before = _signed_in_reporter(sub.code, config)
    assign(sub.report.id, ada, "cai", config)  # bryn loses it

    report = Report.get_by_id(sub.report.id)
    assert (report.key_generation, report.rekey_due) == (1, False)
    # The reporter's session from before holds the old key: it ends (the site says so and asks for the code).
    with pytest.raises(NotFound):
        sessions.case_key(before)
    token = _signed_in_reporter(sub.code, config)
    post_reporter_message(report.id, "Written after bryn lost the case", case_key=sessions.case_key(token))
    cai = advisers.sign_in("cai", PASSWORD)
    post_adviser_reply(report.id, cai, "Cai's reply", config=config)
    add_note(report.id, cai, "Cai's note", config=config)

    everything = ["Written after bryn lost the case", "Cai's reply", "Cai's note"]
    for reader in (ada, cai):
        assert _bodies(report.id, reader.keyring.case_key(report.id)) == everything
    recovery = keys.recovery_keys(ada.recovery_key)[report.id]
    assert _bodies(report.id, recovery) == everything
    reporter_sees = [item.body for item in thread(report.id, key=sessions.case_key(token))]
    assert reporter_sees == everything[:2]  # (notes are advisers' only)
    assert casetext.open_report(report, bryn_kept).description == "Written while bryn had the case"
    assert _bodies(report.id, bryn_kept) == [casetext.UNREADABLE] * 3
    # Nothing sealed in the database opens with what bryn kept, except what was written before.
    assert all(sealing.open_many([(bryn_kept, row.sealed_key, "")]) == [None] for row in CaseKey.select())


def test_a_message_sealed_with_a_key_from_before_the_rotation_is_refused_and_nothing_is_written(sqlite_db):
    """The race the generation check closes: a session read its key, then the case was rotated, then it wrote."""
    config = ada_config()
    ada = _team(config)
    sub = submit(config)
    old = open_conversation_by_code(sub.code, config).case_key
    assign(sub.report.id, ada, "bryn", config)
    assign(sub.report.id, ada, None, config)  # bryn loses it: rotated
    messages = Message.select().count()
    before = Report.get_by_id(sub.report.id)
    with pytest.raises(NotFound, match=sessions.SESSION_KEY_LOST):
        post_reporter_message(sub.report.id, "Sealed with the old key", case_key=old)
    after = Report.get_by_id(sub.report.id)
    assert Message.select().count() == messages
    assert (after.unread_count, after.sealed_preview) == (before.unread_count, before.sealed_preview)


def test_an_app_holding_the_key_from_before_another_app_rotated_it_seals_with_the_new_one(sqlite_db):
    config = ada_config()
    ada = _team(config)
    sub = submit(config, description="Report")
    assign(sub.report.id, ada, "cai", config)
    assign(sub.report.id, ada, "bryn", config)
    bryn_kept = _kept_by("bryn", sub.report.id)
    # Another admin's app (a second sign-in) holds the key as it was, then ada's app takes bryn off the case.
    other = advisers.sign_in("ada", PASSWORD)
    assert sealing.generation(other.keyring.case_key(sub.report.id)) == 1
    assign(sub.report.id, ada, "cai", config)
    reply = post_adviser_reply(sub.report.id, other, "From the other app", config=config)
    assert sealing.generation(other.keyring.case_key(sub.report.id)) == 2
    assert bytes(Message.get_by_id(reply.id).sealed_body)[:3] == b"\x02\x00\x02"
    assert _bodies(sub.report.id, bryn_kept) == [casetext.UNREADABLE]
    assert _bodies(sub.report.id, advisers.sign_in("cai", PASSWORD).keyring.case_key(sub.report.id)) == [
        "From the other app"
    ]
    # and its inbox shows the preview of a message written after the rotation
    token = _signed_in_reporter(sub.code, config)
    post_reporter_message(sub.report.id, "New words from the reporter", case_key=sessions.case_key(token))
    stale = advisers.sign_in("ada", PASSWORD)
    stale.keyring.remember(sub.report.id, sealing.first_key(stale.keyring.case_key(sub.report.id)))
    [row] = inbox(config, stale).rows
    assert row.preview == "New words from the reporter"


@pytest.mark.parametrize("how", ["password reset", "disabled"])
def test_a_grant_removed_without_a_key_at_hand_is_rotated_when_an_admin_signs_in(sqlite_db, how):
    from adviser_tui import gateway

    config = ada_config()
    _team(config)
    sub = submit(config)
    ada = advisers.sign_in("ada", PASSWORD)
    assign(sub.report.id, ada, "bryn", config)
    bryn_kept = _kept_by("bryn", sub.report.id)
    if how == "password reset":
        advisers.change_password("bryn", "a new password for bryn")  # `tellus advisers passwd bryn`: no keys
    else:
        advisers.set_active("bryn", False)  # `tellus advisers disable bryn` without --granted-by
    report = Report.get_by_id(sub.report.id)
    assert (report.key_generation, report.rekey_due) == (0, True)
    gateway.share_keys(advisers.sign_in("ada", PASSWORD), config)  # what the admin's app runs at sign-in
    report = Report.get_by_id(sub.report.id)
    assert (report.key_generation, report.rekey_due) == (1, False)
    token = _signed_in_reporter(sub.code, config)
    post_reporter_message(sub.report.id, "After", case_key=sessions.case_key(token))
    assert _bodies(sub.report.id, bryn_kept) == [casetext.UNREADABLE]


def test_a_case_from_before_rotation_existed_is_rotated_again_when_its_reporter_signs_in(sqlite_db):
    """Its reporter's public key is unknown until they sign in, so its first rotation leaves the new key sealed
    under the old one (which whoever lost the case holds too); their sign-in rotates it once more."""
    config = ada_config()
    ada = _team(config)
    sub = submit(config)
    Report.update(reporter_key=None).where(Report.id == sub.report.id).execute()  # as the upgrade leaves it
    assign(sub.report.id, ada, "bryn", config)
    bryn_kept = _kept_by("bryn", sub.report.id)
    assign(sub.report.id, ada, None, config)
    assert [row.holder for row in CaseKey.select().where(CaseKey.holder.startswith("reporter"))] == [
        rotation.REPORTER_LEGACY
    ]
    # bryn, holding the first key, can open the legacy grant: the gap this case has until its reporter returns
    legacy = CaseKey.get(CaseKey.holder == rotation.REPORTER_LEGACY)
    bryn_now = sealing.open_bytes(bryn_kept, legacy.sealed_key, f"{sub.report.reference}|reporter chain")
    token = _signed_in_reporter(sub.code, config)
    report = Report.get_by_id(sub.report.id)
    assert report.key_generation == 2 and report.reporter_key is not None
    assert [row.holder for row in CaseKey.select().where(CaseKey.holder.startswith("reporter"))] == [rotation.REPORTER]
    post_reporter_message(sub.report.id, "After signing in again", case_key=sessions.case_key(token))
    assert _bodies(sub.report.id, bryn_now) == [casetext.UNREADABLE]
    assert _bodies(sub.report.id, ada.keyring.current_key(report)) == ["After signing in again"]
    # a second sign-in changes nothing more
    _signed_in_reporter(sub.code, config)
    assert Report.get_by_id(sub.report.id).key_generation == 2


def test_a_planted_reporter_grant_is_not_used(sqlite_db):
    """A row writer seals a chain of their own to the reporter's public key (anyone can seal to it): it does not
    begin with the key the code opens, so it is not taken, and what the reporter writes is refused, not sealed
    to the attacker's key."""
    config = ada_config()
    ada = _team(config)
    sub = submit(config)
    assign(sub.report.id, ada, "bryn", config)
    assign(sub.report.id, ada, None, config)
    report = Report.get_by_id(sub.report.id)
    public = rotation.reporter_public_key(report, ada.keyring.current_key(report))
    planted = sealing.new_key() + sealing.new_key()
    CaseKey.update(sealed_key=sealing.seal_to(public, planted)).where(CaseKey.holder == rotation.REPORTER).execute()
    key = open_conversation_by_code(sub.code, config).case_key
    assert key == sealing.first_key(ada.keyring.case_key(sub.report.id))
    with pytest.raises(NotFound):
        post_reporter_message(sub.report.id, "Refused", case_key=key)
    assert Message.select().count() == 0


def test_advisers_who_keep_the_case_lose_nothing_and_it_is_rotated_only_when_someone_loses_it(sqlite_db):
    config = ada_config()
    ada = _team(config)
    sub = submit(config)
    assign(sub.report.id, ada, "bryn", config)  # nobody loses it (unassigned cases are admins' only here)
    assert Report.get_by_id(sub.report.id).key_generation == 0
    bryn = advisers.sign_in("bryn", PASSWORD)
    post_adviser_reply(sub.report.id, bryn, "Before", config=config)
    assign(sub.report.id, ada, "cai", config)
    assign(sub.report.id, ada, "bryn", config)  # and back: cai lost it
    assert Report.get_by_id(sub.report.id).key_generation == 2
    bryn = advisers.sign_in("bryn", PASSWORD)
    post_adviser_reply(sub.report.id, bryn, "After", config=config)
    view = open_case(sub.report.id, bryn, config)
    assert [item.body for item in view.items] == ["Before", "After"]


# Two apps rotating the same case at once: tests/store/test_rotation_attacks.py, on either engine.


def test_reporters_writing_while_the_case_is_rotated_lose_nothing_unreadable(db):
    """Reporters post from sessions while an admin takes the case from bryn: each message is either refused
    (its session ended) or sealed with a key the case's holders have — none is stored unreadable."""
    config = ada_config()
    ada = _team(config)
    sub = submit(config)
    assign(sub.report.id, ada, "bryn", config)
    keys_before = open_conversation_by_code(sub.code, config).case_key
    database.close()
    barrier, outcomes = threading.Barrier(5), []

    def reporter(n):
        try:
            barrier.wait()
            for i in range(5):
                try:
                    post_reporter_message(sub.report.id, f"message {n}.{i}", case_key=keys_before)
                    outcomes.append("stored")
                except NotFound:
                    outcomes.append("refused")
        finally:
            database.close()

    def admin():
        try:
            barrier.wait()
            assign(sub.report.id, ada, None, config)
        finally:
            database.close()

    threads = [threading.Thread(target=reporter, args=(n,)) for n in range(4)] + [threading.Thread(target=admin)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    report = Report.get_by_id(sub.report.id)
    assert report.key_generation == 1
    current = advisers.sign_in("ada", PASSWORD).keyring.current_key(report)
    texts = _bodies(sub.report.id, current)
    assert casetext.UNREADABLE not in texts
    assert len(texts) == outcomes.count("stored") and len(outcomes) == 20
