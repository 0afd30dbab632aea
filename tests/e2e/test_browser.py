"""A real browser: headless Chromium (Debian's), JavaScript off, against `tellus web` as a process.

The whole reporter journey on a phone-sized and a desktop window, with
full-page screenshots in browser/ of the test artifacts folder
($TELLUS_TEST_ARTIFACTS or a temporary one; see tests/conftest.py), and
axe-core (from npm, node_modules/ at the repository root) checking every
reporter page at WCAG 2.2 AA. JavaScript is disabled for the pages themselves (Chrome's
content setting); WebDriver's execute_script still runs, which is how axe
is injected and run — the page's own scripts (there are none) never would.

Nothing is downloaded at run time: the browser and driver are the system's
(/usr/bin/chromium, /usr/bin/chromedriver) and Selenium Manager is kept
offline and never asked for anything.
"""

import importlib.util
import json
import os
import pathlib
import re
import tempfile

import pytest

from store import advisers, open_database
from store.conversation import post_adviser_reply
from store.models import Report, database

from ..conftest import require_tool
from .support import Site

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHROMIUM = pathlib.Path(os.environ.get("TELLUS_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = pathlib.Path(os.environ.get("TELLUS_CHROMEDRIVER", "/usr/bin/chromedriver"))
AXE = pathlib.Path(os.environ.get("TELLUS_AXE_JS", ROOT / "node_modules" / "axe-core" / "axe.min.js"))
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WINDOWS = {"phone": (360, 740, True), "desktop": (1280, 900, False)}
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def tools_missing():
    for path, what in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not path.exists():
            return f"{what} is not installed ({path}); apt-get install chromium chromium-driver"
    if not AXE.exists():
        return f"axe-core is not installed ({AXE}); run npm ci at the repository root"
    if importlib.util.find_spec("selenium") is None:
        return "selenium is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture
def browser(request, tmp_path):
    """Chromium with page JavaScript off; with param "axe", a second kind of session with it on (see below)."""
    javascript = getattr(request, "param", "off") == "axe"
    reason = tools_missing()
    if reason:
        require_tool(reason)
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never fetch anything
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(dir=tmp_path)}")
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.axe_source = AXE.read_text()
    driver.javascript = javascript
    # JavaScript really is off for pages (or on, for axe): this one's script runs only then.
    driver.get("data:text/html,<title>before</title><script>document.title='ran'</script>")
    assert driver.title == ("ran" if javascript else "before")
    yield driver
    driver.quit()


class Journey:
    """One window size: navigation, screenshots and the axe pass on every page."""

    def __init__(self, driver, site, window, shots):
        self.driver, self.site, self.window = driver, site, window
        width, height, mobile = WINDOWS[window]
        driver.set_window_size(width, height + 140)
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
        )
        self.width = width
        self.step = 0
        self.axe_results = {}
        self.axe_passes = {}
        self.shots = shots
        shots.mkdir(parents=True, exist_ok=True)

    def go(self, path):
        self.driver.get(self.site.base + path)

    def el(self, css):
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, css)

    def click_and_wait(self, css):
        """Click a link or a submit button and wait for the next page to replace this one."""
        from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
        from selenium.webdriver.support.ui import WebDriverWait

        old = self.el("html")
        self.el(css).click()

        def replaced(_driver):
            # Chromium 156's driver sometimes reports a replaced page's node as
            # "does not belong to the document" instead of a stale reference.
            try:
                old.is_enabled()
                return False
            except StaleElementReferenceException:
                return True
            except WebDriverException as exc:
                if "does not belong to the document" in str(exc):
                    return True
                raise

        WebDriverWait(self.driver, 20).until(replaced)

    def text(self):
        return " ".join(self.el("body").text.split())

    def check(self, name):
        """Screenshot, no sideways scrolling, JavaScript really off, and zero axe violations."""
        d = self.driver
        self.step += 1
        metrics = d.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
        shot = d.execute_cdp_cmd(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": self.width, "height": max(1, metrics["height"]), "scale": 1},
            },
        )
        import base64

        (self.shots / f"{self.window}-{'axe' if d.javascript else 'nojs'}-{self.step:02d}-{name}.png").write_bytes(
            base64.b64decode(shot["data"])
        )
        assert d.execute_script("return document.documentElement.scrollWidth") <= self.width, (
            f"{name}: the page scrolls sideways at {self.width}px"
        )
        assert d.execute_script("return document.scripts.length") == 0  # the site needs no script
        if not d.javascript:
            return
        d.execute_script(d.axe_source)
        result = d.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
            ".then(r => done({violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary)})), passes: r.passes.length}))"
            ".catch(e => done({error: String(e)}));",
            WCAG_AA,
        )
        assert "error" not in result, result
        self.axe_results[name] = result["violations"]
        self.axe_passes[name] = result["passes"]
        assert result["violations"] == [], f"axe on {name} ({self.window}): {result['violations']}"


def set_value(driver, css, value):
    """Change a form value as a forger would, without the page's own JavaScript.

    WebDriver's script channel still works when the page may not run
    JavaScript; the element's value attribute is rewritten from outside.
    """
    driver.execute_script("document.querySelector(arguments[0]).setAttribute('value', arguments[1])", css, value)
    assert driver.find_element("css selector", css).get_attribute("value") == value


@pytest.fixture
def site(tmp_path):
    database_path = tmp_path / "browser.db"
    s = Site(database_path)
    s.database = database_path
    yield s
    s.stop()


@pytest.mark.parametrize("browser", ["off", "axe"], indirect=True, ids=["javascript-off", "axe"])
@pytest.mark.parametrize("window", list(WINDOWS))
def test_reporter_journey(browser, site, window, artifacts):
    """The journey with page JavaScript off (screenshots), then again with it on to run axe on every page.

    axe-core needs the page's timers, which Chrome stops when JavaScript is off for
    the page (axe.run never settles there), so the accessibility pass is a second
    session over the same journey; our pages carry no script either way (CSP
    default-src 'none', and document.scripts is checked empty on every page)."""
    from selenium.webdriver.support.ui import Select

    j = Journey(browser, site, window, artifacts / "browser")

    # Start page: the two ways to report, without any script.
    j.go("/")
    assert browser.execute_script("return document.title").startswith("Tell us what happened")
    j.check("start")
    j.click_and_wait("a[href='/report?way=anonymous']")
    assert browser.current_url.endswith("/report?way=anonymous")
    assert j.el("#way-anonymous").is_selected()
    j.check("report")

    # Sent empty: the error summary, and the page still passes axe.
    j.click_and_wait("#send")
    assert "There is a problem" in j.text()
    assert browser.title.startswith("Error:")
    j.check("report-errors")

    # A real report, two-way.
    Select(j.el("#category")).select_by_visible_text("Harassment")
    j.el("#description").send_keys("Someone keeps following me after the evening seminar.")
    j.el("#location").send_keys("Library")
    if not j.el("#two_way").is_selected():
        j.el("label[for='two_way']").click()
    j.click_and_wait("#send")
    code = j.el("#reporter-code").text
    # The code fits on one line, even on a phone: a code broken mid-group is easy to copy wrongly.
    assert browser.execute_script(
        "const e = document.getElementById('reporter-code');"
        "return e.getBoundingClientRect().height < 1.5 * parseFloat(getComputedStyle(e).lineHeight)"
    ), "code wraps"
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code), code
    j.check("code")

    # A second, one-way report for the thank-you page.
    j.go("/report?way=anonymous")
    Select(j.el("#category")).select_by_visible_text("Bullying")
    j.el("#description").send_keys("It happens in the lab every week.")
    j.click_and_wait("#send")
    assert "Thank you, your report was sent" in j.text()
    j.check("thanks")

    # Continue: a wrong code first, then the right one, typed loosely.
    j.go("/continue")
    j.check("continue")
    j.el("#code").send_keys("0000-0000-0000-0000")
    j.click_and_wait("button[type='submit']")
    assert "does not match" in j.text()
    j.check("continue-error")
    code_box = j.el("#code")
    code_box.clear()
    code_box.send_keys(code.lower().replace("-", " "))
    j.click_and_wait("button[type='submit']")
    assert browser.current_url.endswith("/conversation")
    assert "Your conversation" in j.text() and "No messages yet." in j.text()
    j.check("conversation")

    # The reporter writes; the page confirms.
    j.el("#body").send_keys("Are you there? It happened again today.")
    j.click_and_wait("form[action='/conversation'] button")
    assert "Your message was sent." in j.text()
    j.check("conversation-sent")

    # An adviser replies through the store (as the adviser app would).
    db = open_database(str(site.database))
    try:
        report = Report.get(Report.two_way == True)  # noqa: E712 — peewee makes SQL of ==; `is True` would be plain Python
        adviser = advisers.create_adviser("robin", "a long enough passphrase 2")
        post_adviser_reply(report.id, adviser, "Yes, we are here to help. Are you safe now?")
    finally:
        if not database.is_closed():
            database.close()
        db.close()
    j.go("/conversation")
    reply = j.el("ol.thread li.theirs")
    assert "Yes, we are here to help." in reply.text and "New" in reply.text
    j.check("conversation-new-reply")
    j.go("/conversation")
    assert "New" not in j.el("ol.thread li.theirs").text  # seen now

    # A forged form (its token changed through DevTools, no page script) gets the 403 page.
    set_value(browser, "form[action='/logout'] input[name='csrf_token']", "forged")
    j.click_and_wait("form[action='/logout'] button")
    assert "This form has expired" in j.text()
    j.check("403")

    # Log out for real: back at the start, and the conversation is closed to this browser.
    j.go("/conversation")
    j.click_and_wait("form[action='/logout'] button")
    assert browser.current_url.rstrip("/") == site.base
    j.go("/conversation")
    assert browser.current_url.endswith("/continue")

    j.go("/no-such-page")
    assert "Page not found" in j.text()
    j.check("404")

    if not browser.javascript:
        return
    assert sorted(j.axe_results) == sorted(
        [
            "start",
            "report",
            "report-errors",
            "code",
            "thanks",
            "continue",
            "continue-error",
            "conversation",
            "conversation-sent",
            "conversation-new-reply",
            "403",
            "404",
        ]
    )
    assert all(v == [] for v in j.axe_results.values())
    assert all(n >= 5 for n in j.axe_passes.values()), j.axe_passes  # axe really checked something
    (j.shots / f"axe-{window}.json").write_text(
        json.dumps(
            {
                page: {"violations": len(j.axe_results[page]), "rules passed": j.axe_passes[page]}
                for page in j.axe_results
            },
            indent=2,
        )
        + "\n"
    )


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
    "report",
    "message",
    "code",
    "send",
    "please",
    "what",
    "who",
}


def assert_welsh(j, name):
    """The page is in Welsh: it says so, and no English word is left outside the parts marked as English."""
    d = j.driver
    assert d.execute_script("return document.documentElement.lang") == "cy", name
    text = d.execute_script(
        "const c = document.body.cloneNode(true);"
        "c.querySelectorAll('[lang]:not([lang=cy])').forEach(e => e.remove());"
        "return document.title + ' ' + c.innerText;"
    )
    english = {w.lower() for w in re.findall(r"[A-Za-z']+", text)} & ENGLISH_WORDS
    assert not english, f"{name}: {english} in {text!r}"


@pytest.mark.parametrize("browser", ["off", "axe"], indirect=True, ids=["javascript-off", "axe"])
def test_reporter_journey_in_welsh_on_a_phone(browser, site, artifacts):
    """The whole journey in Welsh at phone width: chosen with the header link, kept for the visit, a half-filled
    form switched to English and back without losing a word, the code page in both languages, the conversation."""
    from selenium.webdriver.support.ui import Select

    j = Journey(browser, site, "phone", artifacts / "browser-cy")
    j.go("/")
    assert browser.execute_script("return document.documentElement.lang") == "en"
    j.click_and_wait("a[hreflang='cy']")
    assert_welsh(j, "start")
    j.check("cy-start")
    j.click_and_wait("a[href='/report?way=anonymous']")
    assert_welsh(j, "report")
    j.check("cy-report")

    j.click_and_wait("#send")
    assert "Mae problem" in j.text() and browser.title.startswith("Gwall:")
    assert_welsh(j, "report-errors")
    j.check("cy-report-errors")

    # Half the form, then English and back: nothing typed is lost, nothing is sent.
    description = "Mae rhywun yn fy nilyn ar ôl y seminar gyda'r nos. 😟 " + "Digwyddodd eto heddiw. " * 40
    Select(j.el("#category")).select_by_visible_text("Aflonyddu")
    j.el("#description").send_keys(description)
    j.el("#location").send_keys("Llyfrgell")
    j.el("label[for='two_way']").click()
    j.click_and_wait("#report-form button[name='lang'][value='en']")
    assert browser.execute_script("return document.documentElement.lang") == "en"
    assert j.el("#description").get_attribute("value") == description.strip()
    assert Select(j.el("#category")).first_selected_option.text == "Harassment"
    assert j.el("#two_way").is_selected() and j.el("#location").get_attribute("value") == "Llyfrgell"
    j.check("en-switched-form")
    j.click_and_wait("#report-form button[name='lang'][value='cy']")
    assert_welsh(j, "report-switched-back")
    assert j.el("#description").get_attribute("value") == description.strip()
    j.click_and_wait("#send")
    code = j.el("#reporter-code").text
    assert "Mae eich adroddiad wedi'i anfon" in j.text() and re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)
    assert_welsh(j, "code")
    j.check("cy-code")
    # The code page in English and back: the same code, not a second report.
    j.click_and_wait("form.languages button[value='en']")
    assert j.el("#reporter-code").text == code and "Your report was sent" in j.text()
    j.click_and_wait("form.languages button[value='cy']")
    assert j.el("#reporter-code").text == code
    assert_welsh(j, "code-again")

    j.click_and_wait("#continue-form button")
    assert browser.current_url.endswith("/conversation")
    assert "Eich sgwrs" in j.text() and "Dim negeseuon eto." in j.text()
    assert_welsh(j, "conversation")
    j.check("cy-conversation")
    j.el("#body").send_keys("Ydych chi yna? Digwyddodd eto heddiw.")
    j.click_and_wait("form[action='/conversation'] button")
    assert "Mae eich neges wedi'i hanfon." in j.text()
    assert_welsh(j, "conversation-sent")
    j.check("cy-conversation-sent")

    j.go("/no-such-page")
    assert "Heb ddod o hyd i'r dudalen" in j.text()
    assert_welsh(j, "404")
    j.check("cy-404")

    db = open_database(str(site.database))
    try:
        assert [r.language for r in Report.select()] == ["cy"]
    finally:
        db.close()
    if browser.javascript:
        assert all(v == [] for v in j.axe_results.values()) and len(j.axe_results) == 8
