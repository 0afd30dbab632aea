import datetime as dt
import pathlib

import pytest

from store import codes
from store.errors import AlreadySubmitted, NotFound, ValidationError
from store.models import Report
from store.reports import (
    RESEND_WINDOW,
    Resent,
    issue_form_token,
    open_conversation_by_code,
    resent_submission,
    submit_report,
)

from ..helpers import case_text, preview, report_form, submit


def test_a_two_way_report_gets_a_code_that_opens_it(db, config):
    result = submit(config)
    assert result.code and len(result.code) == 16
    found = open_conversation_by_code(codes.format_code(result.code).lower())
    assert found.id == result.report.id
    assert found.reference.startswith("TL-")
    assert result.code not in found.reference


def test_a_one_way_report_has_no_code(db, config):
    result = submit(config, two_way=None)
    assert result.code is None
    assert Report.get_by_id(result.report.id).code_hash is None


def test_an_unknown_code_is_refused_with_one_generic_message(db, config):
    submit(config)
    with pytest.raises(NotFound) as info:
        open_conversation_by_code(codes.generate_code())
    assert "does not match" in str(info.value)


def test_a_malformed_code_is_refused_before_any_lookup(db, config):
    with pytest.raises(ValidationError):
        open_conversation_by_code("ABCD-EFGH-JKMN-PQRU")


def test_fields_are_cleaned_on_the_way_in(db, config):
    result = submit(
        config,
        description="Line one\x1b[2J\r\nLine two \u202eevil\x00",
        location="Library\n\tsecond floor",
    )
    text = case_text(result.report.id)
    assert text.description == "Line one\nLine two evil"
    assert text.location == "Library second floor"
    assert preview(result.report.id) == "Line one Line two evil"


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"description": "   "}, "description"),
        ({"description": None}, "description"),
        ({"description": "x" * 20001}, "description"),
        ({"location": "x" * 201}, "location"),
        ({"people": "x" * 5000}, "people"),
        ({"category": "Parking"}, "category"),
        ({"role": "dean"}, "role"),
        ({"way": "carrier pigeon"}, "way"),
        ({"way": "named"}, "email"),
        ({"way": "named", "name": "Sam", "email": "not an email"}, "email"),
        ({"way": "named", "phone": "call me maybe"}, "phone"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(db, config, overrides, field):
    with pytest.raises(ValidationError) as info:
        submit(config, **overrides)
    assert field in info.value.errors
    assert info.value.errors[field].endswith(".")
    assert Report.select().count() == 0


def test_all_errors_are_reported_together(db, config):
    with pytest.raises(ValidationError) as info:
        submit(config, description="", category="nope", role="nope")
    assert {"description", "category", "role"} <= set(info.value.errors)


def test_named_reports_keep_contact_details_and_anonymous_ones_never_do(db, config):
    named = submit(config, way="named", name="Sam Lee", email="sam@example.ac.uk", phone="+44 1206 873333")
    sneaky = submit(config, way="anonymous", name="Sam Lee", email="sam@example.ac.uk", phone="01206 873333")
    named, sneaky = case_text(named.report.id), case_text(sneaky.report.id)
    assert (named.contact_name, named.contact_email, named.contact_phone) == (
        "Sam Lee",
        "sam@example.ac.uk",
        "+44 1206 873333",
    )
    assert (sneaky.contact_name, sneaky.contact_email, sneaky.contact_phone) == ("", "", "")


def test_a_named_report_with_only_a_phone_is_fine(db, config):
    result = submit(config, way="named", phone="07700 900123")
    assert result.report.way == "named"


def test_role_may_be_left_out(db, config):
    result = submit(config, role=None)
    assert result.report.role == "prefer_not_to_say"


BROWSER, OTHER = "b" * 43, "c" * 43


def test_a_form_token_is_spent_once_and_its_resend_gets_the_same_code(db, config):
    token = issue_form_token(BROWSER)
    first = submit_report(report_form(), config, form_token=token, browser=BROWSER)
    with pytest.raises(Resent) as resent:  # an AlreadySubmitted that carries the first answer
        submit_report(report_form(), config, form_token=token, browser=BROWSER)
    again = resent.value.submission
    assert (again.report.id, again.code, again.again) == (first.report.id, first.code, True)
    assert not first.again and Report.select().count() == 1
    assert open_conversation_by_code(again.code).id == first.report.id


def test_a_resend_is_refused_after_the_window_or_from_another_browser(db, config):
    sent_at = dt.datetime(2026, 11, 23, 10, 0, 40)
    token = issue_form_token(BROWSER, now=sent_at)
    submit_report(report_form(), config, form_token=token, browser=BROWSER, now=sent_at)
    with pytest.raises(Resent):
        resent_submission(report_form(), token, BROWSER, now=sent_at + RESEND_WINDOW)
    with pytest.raises(AlreadySubmitted) as late:
        resent_submission(report_form(), token, BROWSER, now=sent_at + RESEND_WINDOW + dt.timedelta(minutes=1))
    assert not isinstance(late.value, Resent)
    for browser in (OTHER, None):
        with pytest.raises(AlreadySubmitted) as refused:
            resent_submission(report_form(), token, browser, now=sent_at)
        assert not isinstance(refused.value, Resent)
    with pytest.raises(ValidationError):  # a token carried to another browser is not spent again either
        submit_report(report_form(), config, form_token=token, browser=OTHER, now=sent_at)
    with pytest.raises(AlreadySubmitted) as one_way:  # nor is a one-way form's
        resent_submission(report_form(two_way=None), token, BROWSER, now=sent_at)
    assert not isinstance(one_way.value, Resent)
    assert Report.select().count() == 1


def test_without_a_browser_cookie_the_code_is_random_and_shown_once(db, config):
    token = issue_form_token(BROWSER)
    first = submit_report(report_form(), config, form_token=token, browser=None)
    assert first.code
    with pytest.raises(AlreadySubmitted) as refused:
        submit_report(report_form(), config, form_token=token, browser=None)
    assert not isinstance(refused.value, Resent)
    assert resent_submission(report_form(), issue_form_token(BROWSER), BROWSER) is None  # never spent


def test_each_form_and_browser_gets_its_own_code(db, config):
    a, b = issue_form_token(BROWSER), issue_form_token(BROWSER)
    codes_ = {submit_report(report_form(), config, form_token=t, browser=BROWSER).code for t in (a, b)}
    codes_.add(submit_report(report_form(), config, form_token=issue_form_token(OTHER), browser=OTHER).code)
    assert len(codes_) == 3 and all(len(c) == 16 and set(c) <= set(codes.ALPHABET) for c in codes_)


def test_an_unknown_form_token_is_refused(db, config):
    with pytest.raises(ValidationError) as info:
        submit_report(report_form(), config, form_token="forged")
    assert "csrf_token" in info.value.errors
    assert Report.select().count() == 0


def test_new_reports_are_due_five_working_days_later(db, config):
    monday = dt.datetime(2026, 11, 23, 10, 0)
    result = submit(config, now=monday)
    assert result.report.due_on == dt.date(2026, 11, 30)


def test_the_code_never_reaches_the_database_file(sqlite_db, config, sqlite_url):
    description = "Distinctive description 7QX plain text marker"
    result = submit(config, description=description)
    # A form sent twice from its browser (whose code is derived, so shown again).
    token = issue_form_token(BROWSER)
    bound = submit_report(report_form(), config, form_token=token, browser=BROWSER)
    with pytest.raises(Resent) as resent:
        submit_report(report_form(), config, form_token=token, browser=BROWSER)
    assert resent.value.submission.code == bound.code
    sqlite_db.close()  # make sure everything written is on disk (WAL included)
    blob = b"".join(p.read_bytes() for p in pathlib.Path(sqlite_url).parent.glob("tellus.db*"))
    # The scan does see what is stored in clear (the case reference); the words are sealed…
    assert result.report.reference.encode() in blob and description.encode() not in blob
    # …but no code appears in any form: raw, grouped, lower case, or UTF-16; nor the form's token.
    for code in (result.code, bound.code):
        for form in (code, codes.format_code(code), code.lower(), codes.format_code(code).lower()):
            assert form.encode() not in blob
            assert form.encode("utf-16-le") not in blob
    for part in token.split("."):
        assert part.encode() not in blob
