"""The start page and the report form: every flow and every bad input."""

import datetime as dt

import pytest

from store import Config
from store.closures import add_closure
from store.codes import format_code, normalise_code
from store.deadlines import today
from store.formtokens import issue
from store.models import FormToken, Report

from ..helpers import opened
from .support import CODE_SHAPE, browser_of, code_on, report_fields, send_report, text_of, token_of, web


def test_start_page_offers_both_ways_continue_and_emergency_contacts(app, config):
    page = app.get("/")
    links = {a["href"] for a in page.html.find_all("a")}
    assert {"/report?way=anonymous", "/report?way=named", "/continue"} <= links
    assert config.emergency_contacts in text_of(page)
    assert "not monitored" not in text_of(page)
    assert "cannot investigate" in text_of(page) or "may not be able to investigate" in text_of(page)


def test_start_page_shows_a_closure_in_force(app, config):
    day = today(config)
    add_closure(day - dt.timedelta(days=1), day + dt.timedelta(days=3), note="Winter break", config=config)
    text = text_of(app.get("/"))
    assert "Reports are not monitored between" in text
    assert "Winter break" in text
    assert config.emergency_contacts in text


def test_every_form_control_has_a_label_and_locations_are_offered(sqlite_db):
    config = Config(locations=("Library", "Sports centre"))
    page = web(config).get("/report")
    labels = {label["for"] for label in page.html.find_all("label")}
    controls = [c for c in page.html.find_all(["input", "select", "textarea"]) if c.get("type") != "hidden"]
    assert controls and all(c["id"] in labels for c in controls)
    assert [o["value"] for o in page.html.find(id="locations").find_all("option")] == ["Library", "Sports centre"]
    assert page.html.find(id="location")["list"] == "locations"
    assert page.html.find("html")["lang"] == "en"
    assert page.html.find("a", class_="skip")["href"] == "#main"


def test_the_way_chosen_on_the_start_page_is_preselected(app):
    page = app.get("/report?way=named")
    assert page.html.find(id="way-named").has_attr("checked")
    assert not page.html.find(id="way-anonymous").has_attr("checked")


def test_two_way_report_shows_the_code_once_grouped_and_uncached(app):
    page = send_report(app)
    code = code_on(page)
    assert CODE_SHAPE.match(code)
    assert page.headers["Cache-Control"] == "no-store"
    assert "shown only now" in text_of(page)
    report = opened(Report.get())
    assert report.two_way and report.way == "anonymous" and report.contact_email == ""
    # The code is not kept: only its hash is, and the code leads back to it.
    assert code.encode() not in (report.code_hash or b"")
    from store.reports import open_conversation_by_code

    assert open_conversation_by_code(code).id == report.id


def test_the_code_page_can_continue_straight_to_the_conversation(app):
    page = send_report(app)
    form = page.forms["continue-form"]
    assert form.action == "/continue" and form.method.upper() == "POST"
    reply = form.submit(status=303)
    assert reply.headers["Location"].endswith("/conversation")
    assert "Your conversation" in text_of(app.get("/conversation"))


def test_the_form_can_be_filled_like_a_browser_would(app):
    form = app.get("/report?way=anonymous").forms["report-form"]
    form["category"].select(text="Bullying")
    form["description"] = "It keeps happening in the lab."
    form["two_way"] = True
    page = form.submit("send", status=200)
    assert CODE_SHAPE.match(code_on(page))
    assert Report.get().category == "bullying"  # its key: a Welsh report of bullying counts with it


def test_without_two_way_a_thank_you_page_says_we_cannot_reply(app):
    page = send_report(app, two_way=None)
    text = text_of(page)
    assert "we cannot contact you back" in text
    assert page.html.find(id="reporter-code") is None
    assert Report.get().code_hash is None


def test_named_report_keeps_contact_details(app):
    page = send_report(app, way="named", two_way=None, name="Sam", email="sam@example.org")
    assert "contact you" in text_of(page)
    report = opened(Report.get())
    assert (report.way, report.contact_name, report.contact_email) == ("named", "Sam", "sam@example.org")


def test_anonymous_report_drops_contact_details_sent_anyway(app):
    send_report(app, name="Sam", email="sam@example.org")
    assert opened(Report.get()).contact_email == ""


def test_resubmitting_the_same_form_shows_the_same_code_and_stores_once(app):
    token = token_of(app.get("/report"))
    first = app.post("/report", {"csrf_token": token, **report_fields()})
    second = app.post("/report", {"csrf_token": token, **report_fields()})
    assert code_on(second) == code_on(first)
    assert "already received this report" in text_of(second)
    assert Report.select().count() == 1


def test_resubmitting_a_one_way_report_says_already_received(app):
    token = token_of(app.get("/report"))
    app.post("/report", {"csrf_token": token, **report_fields(two_way=None)})
    second = app.post("/report", {"csrf_token": token, **report_fields(two_way=None)})
    assert "already received" in text_of(second) and second.html.find(id="reporter-code") is None
    assert Report.select().count() == 1


def test_showing_the_form_writes_nothing(app):
    for _ in range(3):
        app.get("/report")
    assert FormToken.select().count() == 0


def assert_error_summary_links(page, *anchors):
    summary = page.html.find(class_="error-summary")
    assert summary is not None, "no error summary"
    hrefs = [a["href"] for a in summary.find_all("a")]
    assert hrefs == [f"#{a}" for a in anchors]
    for anchor in anchors:
        assert page.html.find(id=anchor) is not None
    assert page.html.find("title").get_text().startswith("Error:")


def test_missing_description_is_summarised_linked_and_input_kept(app):
    page = send_report(app, status=400, description="   ", occurred="Yesterday at noon", category="Bullying")
    assert_error_summary_links(page, "description")
    assert "Tell us what happened." in text_of(page)
    assert page.html.find(id="occurred")["value"] == "Yesterday at noon"
    assert page.html.find(id="category").find("option", selected=True).get_text() == "Bullying"
    assert page.html.find(id="two_way").has_attr("checked")
    assert Report.select().count() == 0


def test_an_empty_form_gets_every_error_in_form_order(app):
    token = token_of(app.get("/report"))
    page = app.post("/report", {"csrf_token": token}, status=400)
    assert_error_summary_links(page, "way-anonymous", "category", "description")
    assert Report.select().count() == 0


@pytest.mark.parametrize(
    "field, value, anchor",
    [
        ("category", "Parking", "category"),
        ("role", "dean", "role"),
        ("way", "telepathy", "way-anonymous"),
        ("description", "x" * 20001, "description"),
        ("occurred", "y" * 201, "occurred"),
        ("location", "z" * 201, "location"),
        ("people", "p" * 1001, "people"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_stored(app, field, value, anchor):
    page = send_report(app, status=400, **{field: value})
    assert_error_summary_links(page, anchor)
    assert Report.select().count() == 0


def test_a_named_report_needs_some_contact(app):
    page = send_report(app, status=400, way="named", name="Sam")
    assert_error_summary_links(page, "email")
    assert "email address or a phone number" in text_of(page)
    assert page.html.find(id="name")["value"] == "Sam"
    page = send_report(app, status=400, way="named", email="not-an-address")
    assert_error_summary_links(page, "email")
    assert Report.select().count() == 0


def test_markup_and_control_characters_arrive_as_plain_text(app):
    nasty = "<script>alert(1)</script>\x00\x1b[31mred\x1b[0m\u202eevil <b>bold</b>"
    page = send_report(app, description=nasty)
    report = opened(Report.get())
    assert "\x00" not in report.description and "\x1b" not in report.description and "\u202e" not in report.description
    assert "<script>alert(1)</script>" in report.description  # kept as text...
    from .support import log_in

    log_in(app, code_on(page))
    conversation = app.get("/conversation")
    assert "<script>" not in conversation.text  # ...and never rendered as markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in conversation.text
    assert conversation.html.find("script") is None and conversation.html.find("b") is None


def test_markup_in_a_refused_form_is_echoed_as_text(app):
    page = send_report(app, status=400, description="", occurred='"><script>alert(1)</script>')
    assert page.html.find("script") is None
    assert page.html.find(id="occurred")["value"] == '"><script>alert(1)</script>'


def test_invalid_utf8_gets_a_clear_answer_not_a_crash(app):
    token = token_of(app.get("/report"))
    body = (
        f"csrf_token={token}&way=anonymous&role=student&category=Harassment&two_way=on&description=caf%C3%A9+".encode()
        + b"\xff\xfe%FF%C3"
    )
    page = app.post("/report", body, content_type="application/x-www-form-urlencoded", status=400)
    assert_error_summary_links(page, "description")
    assert "could not be read" in text_of(page)
    assert "café" in page.html.find(id="description").get_text()
    assert Report.select().count() == 0


def test_invalid_utf8_in_a_field_name_is_ignored(app):
    token = token_of(app.get("/report"))
    body = f"csrf_token={token}&way=anonymous&category=Harassment&description=ok&%FF%FE=1".encode()
    page = app.post("/report", body, content_type="application/x-www-form-urlencoded")
    assert "Thank you" in text_of(page) or page.html.find(id="reporter-code") is not None


@pytest.mark.parametrize("token", [None, "", "forged", "1700000000.abc.def"])
def test_missing_or_forged_form_tokens_get_403_with_a_way_back(app, token):
    fields = report_fields()
    if token is not None:
        fields["csrf_token"] = token
    page = app.post("/report", fields, status=403)
    assert page.html.find("a", href="/report") is not None
    assert page.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert Report.select().count() == 0


def test_a_token_for_another_form_is_refused(app):
    fields = report_fields(csrf_token=issue("continue", browser_of(app)))
    app.post("/report", fields, status=403)
    assert Report.select().count() == 0


def test_an_expired_form_is_shown_again_with_the_answers_kept(app):
    old = issue("report", browser_of(app), dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(hours=13))
    page = app.post("/report", {"csrf_token": old, **report_fields(description="Kept text")}, status=400)
    assert "12 hours" in text_of(page)
    assert page.html.find(id="description").get_text() == "Kept text"
    assert token_of(page) != old
    assert Report.select().count() == 0
    # ...and the fresh token works.
    again = app.post("/report", {"csrf_token": token_of(page), **report_fields()})
    assert again.html.find(id="reporter-code") is not None


def test_a_cross_site_post_is_refused(app):
    token = token_of(app.get("/report"))
    app.post("/report", {"csrf_token": token, **report_fields()}, headers={"Sec-Fetch-Site": "cross-site"}, status=403)
    assert Report.select().count() == 0


def test_the_report_form_takes_multipart_and_a_form_without_files_does_not(app):
    token = token_of(app.get("/report"))
    app.post("/report", {"csrf_token": token, **report_fields()}, content_type="multipart/form-data", status=200)
    assert Report.select().count() == 1
    # Entering a code takes no files: a multipart body there is not a form it reads.
    page = app.post("/continue", {"csrf_token": "x", "code": "x"}, content_type="multipart/form-data", status=400)
    assert "could not read" in text_of(page)


def test_the_code_normalisation_used_by_the_site_accepts_what_the_page_shows(app):
    code = code_on(send_report(app))
    assert format_code(normalise_code(code)) == code


def test_every_form_gets_its_own_token(app):
    tokens = {token_of(app.get("/report")) for _ in range(3)} | {token_of(app.get("/report?way=named"))}
    assert len(tokens) == 4
