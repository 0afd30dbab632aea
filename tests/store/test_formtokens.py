"""Signed form tokens: genuine, expired, forged, and bound to a session."""

import datetime as dt

from store import formtokens
from store.clock import utcnow
from store.models import FormToken

BROWSER = "b" * 43  # a browser's BROWSER_COOKIE value
OTHER = "c" * 43


def test_a_fresh_token_checks_ok_only_for_its_purpose(db):
    token = formtokens.issue("report", BROWSER)
    assert formtokens.check(token, "report", BROWSER) == "ok"
    assert formtokens.check(token, "continue", BROWSER) == "forged"
    assert FormToken.select().count() == 0  # issuing writes nothing


def test_a_token_is_bound_to_the_browser_it_was_issued_to(db):
    token = formtokens.issue("continue", BROWSER)
    assert formtokens.check(token, "continue", OTHER) == "elsewhere"
    assert formtokens.check(token, "continue", None) == "elsewhere"  # the request carried no cookie
    assert formtokens.check(token, "continue", BROWSER) == "ok"
    # The binding is signed: moving another token's binding across makes a forgery.
    stamp, nonce, _binding, mac = token.split(".")
    other = formtokens.issue("continue", OTHER)
    assert formtokens.check(f"{stamp}.{nonce}.{other.split('.')[2]}.{mac}", "continue", OTHER) == "forged"
    # Nothing in the token names the browser: two tokens for one browser share no part.
    a, b = formtokens.issue("report", BROWSER), formtokens.issue("report", BROWSER)
    assert set(a.split(".")[1:]).isdisjoint(b.split(".")[1:]) and BROWSER not in a


def test_tampered_and_junk_tokens_are_forged(db):
    token = formtokens.issue("report", BROWSER)
    stamp, nonce, binding, mac = token.split(".")
    for bad in (
        f"{int(stamp) + 1}.{nonce}.{binding}.{mac}",
        f"{stamp}.{nonce}x.{binding}.{mac}",
        f"{stamp}.{nonce}.{mac}",
        token[:-2],
        "",
        None,
        42,
        "a.b",
        "a.b.c.d",
        "é" * 10,
        "9" * 300,
    ):
        assert formtokens.check(bad, "report", BROWSER) == "forged"


def test_old_and_future_tokens_are_expired(db):
    now = utcnow()
    old = formtokens.issue("report", BROWSER, now - formtokens.MAX_AGE - dt.timedelta(seconds=5))
    assert formtokens.check(old, "report", BROWSER, now) == "expired"
    assert (
        formtokens.check(formtokens.issue("report", BROWSER, now + dt.timedelta(hours=1)), "report", BROWSER, now)
        == "expired"
    )
    assert (
        formtokens.check(formtokens.issue("report", BROWSER, now - dt.timedelta(hours=11)), "report", BROWSER, now)
        == "ok"
    )


def test_the_key_is_shared_through_the_store(db):
    token = formtokens.issue("report", BROWSER)
    formtokens._key_cache.clear()  # as another web instance would start
    assert formtokens.check(token, "report", BROWSER) == "ok"


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
