"""Signed form tokens: genuine, expired, forged, and bound to a session."""

import datetime as dt

from store import formtokens
from store.clock import utcnow
from store.models import FormToken


def test_a_fresh_token_checks_ok_only_for_its_purpose(db):
    token = formtokens.issue("report")
    assert formtokens.check(token, "report") == "ok"
    assert formtokens.check(token, "continue") == "forged"
    assert FormToken.select().count() == 0  # issuing writes nothing


def test_tampered_and_junk_tokens_are_forged(db):
    token = formtokens.issue("report")
    stamp, nonce, mac = token.split(".")
    for bad in (f"{int(stamp) + 1}.{nonce}.{mac}", f"{stamp}.{nonce}x.{mac}", token[:-2], "", None, 42, "a.b", "é" * 10, "9" * 300):
        assert formtokens.check(bad, "report") == "forged"


def test_old_and_future_tokens_are_expired(db):
    now = utcnow()
    assert formtokens.check(formtokens.issue("report", now - formtokens.MAX_AGE - dt.timedelta(seconds=5)), "report", now) == "expired"
    assert formtokens.check(formtokens.issue("report", now + dt.timedelta(hours=1)), "report", now) == "expired"
    assert formtokens.check(formtokens.issue("report", now - dt.timedelta(hours=11)), "report", now) == "ok"


def test_the_key_is_shared_through_the_store(db):
    token = formtokens.issue("report")
    formtokens._key_cache.clear()  # as another web instance would start
    assert formtokens.check(token, "report") == "ok"


def test_session_tokens_are_bound_to_their_session(db):
    t = formtokens.for_session("session-a")
    assert formtokens.check_for_session(t, "session-a")
    assert not formtokens.check_for_session(t, "session-b")
    assert not formtokens.check_for_session("", "session-a")
    assert not formtokens.check_for_session(t, "")
    assert not formtokens.check_for_session(None, "session-a")
    assert not formtokens.check_for_session("é", "session-a")


def test_form_token_max_age_fits_within_retention():
    from store.retention import FORM_TOKEN_DAYS

    assert formtokens.MAX_AGE <= dt.timedelta(days=FORM_TOKEN_DAYS)
