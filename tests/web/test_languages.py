"""The site in Welsh and English: every page in each, nothing of the other language on it, and the choice kept.

Pages are read as a person reads them: the visible text (and the title),
leaving out what is deliberately in another language (elements with their
own ``lang``, such as the link to the other language).
"""

import datetime as dt
import re
import socket
import threading

import pytest
from bs4 import BeautifulSoup

from reporter_web import serve as web_serve
from reporter_web.i18n import LANGUAGE_COOKIE, catalogue_path, language
from reporter_web.site import Throttles
from store import advisers, cases, closures, formtokens
from store.config import Config, config_from_mapping
from store.conversation import post_adviser_reply
from store.models import Report, database
from store.throttle import StoredThrottle

from .support import browser_of, code_on, log_in, report_fields, token_of, web

WELSH = {"Accept-Language": "cy"}
ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}
# Words that are common in every English sentence the site writes and in no Welsh one, and the other way round.
ENGLISH_WORDS = {
    "the",
    "you",
    "your",
    "and",
    "to",
    "is",
    "not",
    "of",
    "we",
    "this",
    "with",
    "can",
    "will",
    "be",
    "for",
    "it",
    "or",
    "that",
    "are",
    "have",
    "what",
    "who",
    "when",
    "where",
    "please",
    "send",
    "report",
    "message",
    "code",
    "adviser",
    "again",
    "try",
    "page",
    "wait",
    "minutes",
    "minute",
}
WELSH_WORDS = {
    "eich",
    "mae",
    "yw",
    "ddim",
    "chi",
    "gwybod",
    "adroddiad",
    "cynghorydd",
    "neges",
    "sgwrs",
    "yn",
    "ein",
    "rhowch",
    "gallwch",
    "anfon",
    "cod",
    "ffurflen",
    "dudalen",
    "arhoswch",
    "munud",
    "funud",
    "diolch",
}
WELSH_TEXT = "Digwyddodd yn y llyfrgell ddydd Mawrth 🙂"  # what a Welsh reporter writes
ENGLISH_TEXT = "It happened in the library on Tuesday 🙂"


def readable(page):
    """What a reader of the page's language reads: its title and visible text, without the parts
    marked as another language."""
    soup = BeautifulSoup(page.text, "html.parser")  # a copy: parts are taken out below
    own = soup.html.get("lang")
    for other in soup.find_all(lambda tag: tag.has_attr("lang") and tag["lang"] != own and tag.name != "html"):
        other.decompose()
    for hidden in soup.find_all(["script", "style"]):
        hidden.decompose()
    return " ".join(soup.get_text(" ").split())


def words(text):
    return {w.lower() for w in re.findall(r"[A-Za-zÀ-ÿŵŷŴŶ']+", text)}


def assert_all_welsh(page, allowed=()):
    assert page.html.html["lang"] == "cy"
    text = readable(page)
    for keep in allowed:
        text = text.replace(keep, " ")
    english = words(text) & ENGLISH_WORDS
    assert not english, (english, text)
    for fragment in english_fragments():
        assert fragment not in text, fragment


def assert_all_english(page, allowed=()):
    assert page.html.html["lang"] == "en"
    text = readable(page)
    for keep in allowed:
        text = text.replace(keep, " ")
    welsh = words(text) & WELSH_WORDS
    assert not welsh, (welsh, text)


_fragments = []


def english_fragments():
    """Every run of three or more words of a catalogue message that Welsh translates differently: none may
    appear on a Welsh page (a template string that escaped translation would)."""
    if not _fragments:
        from babel.messages.pofile import read_po

        with catalogue_path("cy").open("rb") as po:
            for message in read_po(po):
                for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
                    plain = re.sub(r"<[^>]+>", " ", msgid)
                    for piece in re.split(r"\{\w+\}|[“”‘’\"]", plain):
                        piece = " ".join(piece.split()).strip(" .,:;()")
                        if len(piece.split()) >= 3:
                            _fragments.append(piece)
    return _fragments


@pytest.fixture
def both(sqlite_db, config):
    """A Welsh and an English browser on the same site."""
    app = web(config)
    return app


def cy(app, path, **kwargs):
    return app.get(path, headers=WELSH, **kwargs)


# ----- every page, in each language ---------------------------------------------------------------------------


def every_page(app, headers, text, throttled_app):
    """(name, response) for each page a reporter can meet, as the browser with ``headers`` meets it."""
    pages = []

    def get(name, path, status=200, **kwargs):
        pages.append((name, app.get(path, headers=headers, status=status, **kwargs)))
        return pages[-1][1]

    def post(name, path, fields, status=200, extra=None, client=app):
        res = client.post(path, fields, headers={**headers, **(extra or {})}, status=status)
        pages.append((name, res))
        return res

    get("start", "/")
    form = get("report form", "/report?way=anonymous")
    get("report form (named)", "/report?way=named")
    token = token_of(form)
    post(
        "report, every field refused",
        "/report",
        {
            "csrf_token": token,
            "way": "named",
            "role": "king",
            "category": "nonsense",
            "description": " ",
            "email": "not-an-address",
            "phone": "call me",
            "occurred": "x" * 201,
        },
        status=400,
    )
    post(
        "report, badly encoded",
        "/report",
        "csrf_token=" + token + "&way=anonymous&category=bullying&description=%ff%fe",
        status=400,
        extra={"Content-Type": "application/x-www-form-urlencoded"},
    )
    old = formtokens.issue("report", browser_of(app), dt.datetime.utcnow() - dt.timedelta(hours=13))
    post("report, form expired", "/report", {"csrf_token": old, **report_fields(description=text)}, status=400)
    code_page = post("code page", "/report", {"csrf_token": token, **report_fields(description=text)})
    post(
        "thanks (anonymous)",
        "/report",
        {"csrf_token": token_of(app.get("/report")), **report_fields(description=text, two_way=None)},
    )
    named = token_of(app.get("/report"))
    post(
        "thanks (named)",
        "/report",
        {"csrf_token": named, **report_fields(way="named", email="a@example.com", description=text, two_way=None)},
    )
    post("already received", "/report", {"csrf_token": named, **report_fields(description=text, two_way=None)})
    throttled_app.post("/report", {"csrf_token": token_of(throttled_app.get("/report")), **report_fields()})
    post(
        "report, too many from this client",
        "/report",
        {"csrf_token": token_of(throttled_app.get("/report")), **report_fields(description=text)},
        status=429,
        client=throttled_app,
    )
    get("continue", "/continue")
    get("continue, session ended", "/continue?ended=1")
    post(
        "continue, malformed code",
        "/continue",
        {"csrf_token": token_of(app.get("/continue")), "code": "abc"},
        status=400,
    )
    post(
        "continue, unknown code",
        "/continue",
        {"csrf_token": token_of(app.get("/continue")), "code": "0000-0000-0000-0000"},
        status=400,
    )
    code = code_on(code_page)
    log_in(app, code)
    adviser = advisers.create_adviser("ann", "a long enough password", is_admin=True)
    report = Report.get(Report.code_hash.is_null(False))
    post_adviser_reply(report.id, adviser, text)
    get("conversation", "/conversation")
    csrf = token_of(app.get("/conversation"))
    post("conversation, empty message", "/conversation", {"csrf_token": csrf, "body": "  "}, status=400)
    post("conversation, too long", "/conversation", {"csrf_token": csrf, "body": "y" * 20001}, status=400)
    get("conversation, sent", "/conversation?sent=1")
    cases.set_status(report.id, adviser, "closed")
    post("conversation, closed", "/conversation", {"csrf_token": csrf, "body": text}, status=409)
    post("logout", "/logout", {"csrf_token": csrf}, status=303)
    post("conversation, session ended", "/conversation", {"csrf_token": csrf, "body": text}, status=401)
    get("not found", "/nowhere", status=404)
    pages.append(("method not allowed", app.put("/report", headers=headers, status=405)))
    post("too large", "/report", {"description": "z" * 400_000}, status=413)
    post("from another site", "/report", {"csrf_token": token}, status=403, extra={"Sec-Fetch-Site": "cross-site"})
    post("unreadable body", "/report", "x", status=400, extra={"Content-Type": "text/plain"})
    for _ in range(3):
        guess = throttled_app.post(
            "/continue",
            {"csrf_token": token_of(throttled_app.get("/continue")), "code": "0000-0000-0000-0000"},
            headers=headers,
            expect_errors=True,
        )
    pages.append(("too many codes", guess))
    assert guess.status_int == 429
    return pages


@pytest.fixture
def sites(sqlite_db):
    config = Config()
    today = dt.date.today()
    closures.add_closure(
        today, today + dt.timedelta(days=3), "Winter break", config=config, translations={"cy": "Gwyliau'r gaeaf"}
    )
    throttles = Throttles(
        code_per_client=StoredThrottle("code", 1, 900), reports_per_client=StoredThrottle("report", 1, 3600)
    )
    return config, throttles


def test_every_page_in_welsh_has_no_english(sites):
    config, throttles = sites
    app, limited = web(config), web(config, throttles=throttles, remote_addr="192.0.2.77")
    pages = every_page(app, WELSH, WELSH_TEXT, limited)
    for name, page in pages:
        if page.status_int in (301, 302, 303):
            continue
        try:
            assert_all_welsh(page, allowed=["IP", "0000-0000-0000-0000", "enw@example.com", "a@example.com"])
        except AssertionError as failure:
            raise AssertionError(f"{name}: {failure}") from None
    start = readable(pages[0][1])
    assert "Gwyliau'r gaeaf" in start and "Nid yw adroddiadau'n cael eu monitro rhwng dydd" in start


def test_every_page_in_english_has_no_welsh(sites):
    config, throttles = sites
    app, limited = web(config), web(config, throttles=throttles, remote_addr="192.0.2.78")
    for name, page in every_page(app, ENGLISH, ENGLISH_TEXT, limited):
        if page.status_int in (301, 302, 303):
            continue
        try:
            assert_all_english(page)
        except AssertionError as failure:
            raise AssertionError(f"{name}: {failure}") from None


def test_the_500_page_is_in_the_readers_language(sqlite_db, config):
    app = web(config)
    database.execute_sql("DROP TABLE closure")  # the start page can no longer be made
    page = cy(app, "/", status=500, expect_errors=True)
    assert_all_welsh(page)
    assert "Aeth rhywbeth o'i le" in readable(page)


def test_waitress_answers_in_the_readers_language(sqlite_url, config):
    server = web_serve.build_server(config, sqlite_url, port=0, threads=1)
    threading.Thread(target=server.run, daemon=True).start()
    try:
        answers = {}
        for lang, header in (("cy", "Accept-Language: cy-GB,cy;q=0.9,en;q=0.5"), ("en", "Accept-Language: en")):
            with socket.create_connection(("127.0.0.1", server.effective_port), timeout=10) as sock:
                # A body larger than waitress's own cap: waitress answers before the site sees it.
                sock.sendall(
                    f"POST /report HTTP/1.1\r\nHost: x\r\n{header}\r\nContent-Length: 999999999\r\n\r\n".encode()
                )
                data = b""
                while chunk := sock.recv(65536):
                    data += chunk
            answers[lang] = data.decode("utf-8")
        assert answers["cy"].startswith("HTTP/1.1 413") and "Content-Language: cy" in answers["cy"]
        assert "Roedd hynny'n rhy hir" in answers["cy"] and "too long" not in answers["cy"]
        assert "That was too long" in answers["en"]
    finally:
        server.close()


# ----- choosing a language ---------------------------------------------------------------------------------------


def test_accept_language_decides_until_the_reporter_chooses(both):
    app = both
    assert app.get("/").html.html["lang"] == "en"  # no preference: the first configured language
    assert cy(app, "/").html.html["lang"] == "cy"
    assert app.get("/", headers={"Accept-Language": "fr, cy;q=0.8, en;q=0.5"}).html.html["lang"] == "cy"
    assert app.get("/", headers={"Accept-Language": "en;q=0.9, cy;q=0.1"}).html.html["lang"] == "en"
    assert app.get("/", headers={"Accept-Language": "cy;q=0, en;q=0.1"}).html.html["lang"] == "en"
    assert app.get("/", headers={"Accept-Language": ";;;,,," * 500}).html.html["lang"] == "en"
    assert LANGUAGE_COOKIE not in app.cookies  # nothing chosen, nothing kept


def test_every_page_links_to_itself_in_the_other_language(both):
    page = both.get("/report?way=named&utm=x")
    link = page.html.find("a", hreflang="cy")
    assert link["href"] == "/report?way=named&lang=cy" and link["lang"] == "cy" and link.get_text() == "Cymraeg"
    welsh = both.get(link["href"])
    assert welsh.html.html["lang"] == "cy" and welsh.headers["Content-Language"] == "cy"
    back = welsh.html.find("a", hreflang="en")
    assert back["href"] == "/report?way=named&lang=en" and back.get_text() == "English"
    assert both.get("/continue?ended=1").html.find("a", hreflang="en")["href"] == "/continue?ended=1&lang=en"
    assert both.get("/nowhere/%C3%B8", status=404).html.find("a", hreflang="en")["href"] == "/nowhere/%C3%B8?lang=en"


def test_the_choice_is_kept_for_the_visit_in_a_cookie_naming_only_the_language(both):
    app = both
    res = app.get("/?lang=cy", headers=ENGLISH)
    cookie = next(v for k, v in res.headerlist if k == "Set-Cookie" and v.startswith(LANGUAGE_COOKIE))
    assert cookie.split(";")[0] == f"{LANGUAGE_COOKIE}=cy"
    assert "max-age" not in cookie.lower() and "expires" not in cookie.lower()  # gone when the browser closes
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # Later pages, whatever the browser prefers, stay Welsh, until English is chosen.
    assert app.get("/report", headers=ENGLISH).html.html["lang"] == "cy"
    assert app.get("/nowhere", headers=ENGLISH, status=404).html.html["lang"] == "cy"
    assert app.get("/continue?lang=en", headers=WELSH).html.html["lang"] == "en"
    assert app.get("/", headers=WELSH).html.html["lang"] == "en"
    assert app.get("/?lang=xx").html.html["lang"] == "en"  # not a language the site offers: ignored


def test_https_sites_keep_the_choice_in_a_secure_cookie(sqlite_db, config):
    app = web(config, https=True)
    res = app.get("/?lang=cy")
    assert any(v.startswith(f"{LANGUAGE_COOKIE}=cy") and "Secure" in v for k, v in res.headerlist if k == "Set-Cookie")


def test_the_blank_form_is_kept_per_language(both):
    for _ in range(2):  # the second time from the cache
        welsh, english = cy(both, "/report?way=anonymous"), both.get("/report?way=anonymous", headers=ENGLISH)
        assert welsh.html.html["lang"] == "cy" and "Dywedwch wrthym beth ddigwyddodd" in readable(welsh)
        assert english.html.html["lang"] == "en" and "Tell us what happened" in readable(english)
        assert token_of(welsh) != token_of(english)
        assert welsh.html.find("a", hreflang="en")["href"] == "/report?way=anonymous&lang=en"


# ----- switching with a half-filled form --------------------------------------------------------------------------


def test_switching_language_keeps_a_half_filled_report_and_sends_nothing(both):
    form = both.get("/report?way=named", headers=ENGLISH)
    fields = {
        "csrf_token": token_of(form),
        "way": "named",
        "category": "harassment",
        "description": "A" * 20000,
        "location": "Llyfrgell 📚",
        "people": "\u202ereversed\u202c name",
        "email": "me@example.com",
        "lang": "cy",
    }
    welsh = both.post("/report", fields, headers=ENGLISH)
    assert welsh.status_int == 200 and welsh.html.html["lang"] == "cy"
    assert Report.select().count() == 0
    assert welsh.html.find(id="description").get_text() == "A" * 20000
    assert welsh.html.find(id="location")["value"] == "Llyfrgell 📚"
    assert welsh.html.find(id="people").get_text() == "reversed name"  # cleaned as it would be stored
    assert welsh.html.find(id="email")["value"] == "me@example.com"
    assert welsh.html.find(id="way-named").has_attr("checked")
    assert welsh.html.find(id="category").find("option", selected=True).get_text() == "Aflonyddu"
    assert not welsh.html.find(class_="error-summary")  # nothing was checked
    # The same token still sends it, now from the Welsh page, and the report remembers its language.
    sent = both.post("/report", {**fields, "lang": None, "two_way": "on"} | {"lang": ""}, headers=ENGLISH)
    assert sent.html.html["lang"] == "cy" and code_on(sent)
    report = Report.get()
    assert report.language == "cy" and report.category == "harassment"


def test_the_language_buttons_sit_after_the_send_button(both):
    """Enter in a text box presses a form's first button: it must send, not switch."""
    form = both.get("/report").html.find(id="report-form")
    buttons = form.find_all("button")
    assert buttons[0]["id"] == "send" and buttons[1]["name"] == "lang" and buttons[1]["value"] == "cy"
    assert buttons[1]["lang"] == "cy" and "Gymraeg" in buttons[1].get_text()


def test_switching_on_the_code_page_shows_the_same_code_in_welsh_and_stores_nothing_twice(both):
    page = both.post("/report", {"csrf_token": token_of(both.get("/report")), **report_fields()}, headers=ENGLISH)
    code = code_on(page)
    switch = page.html.find("form", class_="languages")
    fields = {i["name"]: i["value"] for i in switch.find_all("input")}
    button = switch.find("button")
    welsh = both.post(switch["action"], {**fields, button["name"]: button["value"]}, headers=ENGLISH)
    assert welsh.html.html["lang"] == "cy" and code_on(welsh) == code
    assert "Mae eich adroddiad wedi'i anfon" in readable(welsh)
    assert "eisoes" not in readable(welsh)  # not "we had already received this": it was a language switch
    assert Report.select().count() == 1
    log_in(both, code)


def test_switching_on_the_thanks_page_keeps_it_a_thanks_page(both):
    token = token_of(both.get("/report"))
    page = both.post(
        "/report",
        {"csrf_token": token, **report_fields(two_way=None, way="named", email="me@example.com")},
        headers=ENGLISH,
    )
    switch = page.html.find("form", class_="languages")
    fields = {i["name"]: i["value"] for i in switch.find_all("input")}
    welsh = both.post("/report", {**fields, "lang": "cy"})
    assert "Diolch, mae eich adroddiad wedi'i anfon" in readable(welsh)
    assert "drwy'r manylion a roesoch" in readable(welsh)  # the named report's words
    assert Report.select().count() == 1
    # Another browser cannot bring the answer back with the token: it is only "already received".
    other = web(Config())
    assert "Mae'r adroddiad hwn gennym eisoes" in readable(
        other.post("/report", {**fields, "lang": "cy"}, headers={"Cookie": "tellus_browser=" + "x" * 43})
    )


def test_switching_keeps_a_typed_code_and_tries_nothing(both):
    res = both.post("/continue", {"csrf_token": token_of(both.get("/continue")), "code": "7k3m q9tz", "lang": "cy"})
    assert res.status_int == 200 and res.html.find(id="code")["value"] == "7k3m q9tz"
    assert not res.html.find(class_="error-summary")


def test_switching_keeps_a_half_written_message_and_sends_nothing(both):
    page = both.post("/report", {"csrf_token": token_of(both.get("/report")), **report_fields()})
    log_in(both, code_on(page))
    csrf = token_of(both.get("/conversation"))
    body = "Hanner neges 🙂\n" + "x" * 19_000
    res = both.post("/conversation", {"csrf_token": csrf, "body": body, "lang": "cy"})
    assert res.status_int == 200 and res.html.html["lang"] == "cy"
    assert res.html.find(id="body").get_text() == body
    assert "Dim negeseuon eto." in readable(res)  # nothing was sent
    assert both.get("/conversation").html.html["lang"] == "cy"


# ----- words: dates, plurals, numbers, institution texts ------------------------------------------------------------


def test_dates_read_as_welsh_sentences_say_them():
    welsh = language("cy")
    assert welsh.long_date(dt.date(2026, 12, 4), dt.date(2026, 11, 30)) == "dydd Gwener 4 Rhagfyr"
    assert welsh.long_date(dt.date(2027, 1, 4), dt.date(2026, 12, 30)) == "dydd Llun 4 Ionawr 2027"
    assert welsh.date_and_time(dt.datetime(2026, 11, 30, 14, 5)) == "30 Tachwedd 2026, 14:05"
    assert language("en").long_date(dt.date(2026, 12, 4), dt.date(2026, 1, 1)) == "Friday 4 December"


def test_welsh_plurals_use_all_six_forms():
    welsh = language("cy")
    # zero, one, two (soft mutation: "funud"), few, many, other
    assert [welsh.minutes(60 * n) for n in (1, 2, 3, 6, 11)] == ["1 munud", "2 funud", "3 munud", "6 munud", "11 munud"]
    days = welsh.ngettext(
        "An adviser aims to read reports within {count} working day.",
        "An adviser aims to read reports within {count} working days.",
        2,
    )
    assert "{count} ddiwrnod gwaith" in days
    assert [language("en").minutes(s) for s in (1, 60, 61)] == ["1 minute", "1 minute", "2 minutes"]


def test_store_sentences_are_translated_with_numbers_written_the_readers_way(both):
    page = both.post(
        "/report",
        {"csrf_token": token_of(both.get("/report")), **report_fields(description="d" * 20001)},
        headers=WELSH,
        status=400,
    )
    assert "Rhaid i hyn fod yn 20,000 nod neu lai (mae ganddo 20,001)." in readable(page)


def test_institution_texts_come_from_the_configuration_in_each_language(sqlite_db):
    config = config_from_mapping(
        {
            "organisation": "Example University",
            "emergency_contacts": "Call 999. Security: 01234 567890.",
            "categories": {"bullying": "Bullying", "parking": "Parking problems"},
            "locations": ["Main Library", "Sports Hall"],
            "texts": {
                "cy": {
                    "organisation": "Prifysgol Enghraifft",
                    "emergency_contacts": "Ffoniwch 999. Diogelwch: 01234 567890.",
                    "categories": {"parking": "Problemau parcio"},
                    "locations": {"Main Library": "Prif Lyfrgell"},
                }
            },
        }
    )
    app = web(config)
    start, form = cy(app, "/"), cy(app, "/report")
    assert "Prifysgol Enghraifft" in readable(start) and "Ffoniwch 999" in readable(start)
    options = [o.get_text() for o in form.html.find(id="category").find_all("option")]
    assert options[1:] == ["Bwlio", "Problemau parcio"]  # a built-in label's Welsh comes from the catalogue
    places = [o["value"] for o in form.html.find(id="locations").find_all("option")]
    assert places == ["Prif Lyfrgell", "Sports Hall"]  # English where Welsh was not given
    assert config.missing_texts("cy", lambda text: language("cy").gettext(text) != text) == [
        "locations: no cy name for 'Sports Hall'"
    ]
