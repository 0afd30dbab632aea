"""Text as people really write it, at the length limits, through the real site.

The limits are in characters (20,000 for a description or a message), and a
browser sends a form percent-encoded: a character outside ASCII is two to
four UTF-8 bytes, three body bytes each. A Welsh, Polish or Arabic text, or
one full of emoji, at its limit must still be received.
"""

import pytest

from store.models import Report
from store.reports import LIMITS, MESSAGE_LIMIT

from ..helpers import latest_message_text, opened
from .support import code_on, log_in, send_report, text_of, token_of

WELSH = "Digwyddodd hyn yn y llyfrgell ar ôl y seminar; roedd ŵyr y darlithydd yno hefyd. "
POLISH = "Zdarzyło się to w bibliotece po seminarium; żółć, gęś i źdźbło. "
ARABIC = "حدث ذلك في المكتبة بعد الندوة، وكان هناك شخص يتبعني. "
EMOJI = "😟🚶‍♀️🏴󠁧󠁢󠁷󠁬󠁳󠁿📚"


def at_limit(sample, limit):
    text = (sample * (limit // len(sample) + 1))[:limit]
    return text.rstrip() + sample[0] * (limit - len(text.rstrip()))


@pytest.mark.parametrize("sample", [WELSH, POLISH, ARABIC, "😟"], ids=["welsh", "polish", "arabic", "emoji"])
def test_a_report_with_every_text_field_at_its_limit_is_received(app, sample):
    fields = {name: at_limit(sample, LIMITS[name]) for name in ("description", "occurred", "location", "people")}
    page = send_report(app, **fields)
    assert code_on(page)
    report = opened(Report.get())
    assert len(report.description) == LIMITS["description"] and report.description == fields["description"]
    assert report.people == fields["people"]


@pytest.mark.parametrize("sample", [WELSH, ARABIC, EMOJI], ids=["welsh", "arabic", "emoji"])
def test_a_message_at_the_limit_is_sent_and_shown_whole(app, sample):
    log_in(app, code_on(send_report(app)))
    body = at_limit(sample, MESSAGE_LIMIT)
    res = app.post("/conversation", {"csrf_token": token_of(app.get("/conversation")), "body": body})
    assert res.status_int == 303, text_of(res)[:200]
    assert latest_message_text() == body
    assert body in app.get("/conversation").text
