"""Lists only administrators may read, checked in the store (``by=``), and the closure periods' state.

The adviser app passes the signed-in adviser as ``by``; the command line
passes nothing (whoever runs it holds the server). Rights are read from the
database at the moment of the call, so an admin demoted meanwhile is refused.
"""

import datetime as dt

import pytest

from store import Config, advisers, closures, notify
from store.errors import PermissionDenied
from store.models import Notification

from ..helpers import accounts_made_once

PASSWORD = "a long enough password"


@pytest.fixture
def people(db):
    """ada (admin), ann, and cy (disabled); made for real once per engine (helpers.accounts_made_once)."""

    def make():
        admin = advisers.create_adviser("ada", PASSWORD, "Ada Admin", is_admin=True)
        ann = advisers.create_adviser("ann", PASSWORD, "Ann Adviser")
        gone = advisers.create_adviser("cy", PASSWORD, "Cy Gone")
        advisers.set_active("cy", False)
        return admin, ann, gone

    return accounts_made_once(db, __name__, make)


@pytest.fixture
def failing_mail(db):
    now = dt.datetime(2026, 3, 2, 9, 0)
    Notification.create(
        event="new:1",
        kind="new",
        report_id=1,
        created_at=now,
        attempts=2,
        next_attempt_at=now,
        last_error="The mail server cannot be reached.",
    )


LISTS = [
    ("adviser accounts", lambda by: advisers.list_advisers(by=by), "manage adviser accounts"),
    ("closure periods", lambda by: closures.list_closures(by=by), "manage closure periods"),
    ("mail trouble", lambda by: notify.delivery_problem(by=by), "see notification problems"),
]


@pytest.mark.parametrize("call,what", [(c, w) for _, c, w in LISTS], ids=[n for n, _, _ in LISTS])
def test_an_adviser_is_told_the_list_is_for_administrators(people, failing_mail, call, what):
    _admin, ann, _gone = people
    with pytest.raises(PermissionDenied) as refused:
        call(ann)
    assert str(refused.value) == f"Only administrators can {what}."


@pytest.mark.parametrize("call", [c for _, c, _ in LISTS], ids=[n for n, _, _ in LISTS])
def test_a_demoted_admin_is_refused_at_once(people, failing_mail, call):
    admin, _ann, _gone = people
    other = advisers.create_adviser("dee", PASSWORD, "Dee", is_admin=True)
    advisers.set_admin("ada", False, by=other)
    with pytest.raises(PermissionDenied, match=r"^Only administrators can "):
        call(admin)  # the object the app still holds says admin


def test_admins_and_the_command_line_get_the_lists(people, failing_mail):
    admin, _ann, _gone = people
    closures.add_closure("2026-12-19", "2027-01-04", "Winter break")
    for by in (admin, None):
        assert [a.username for a in advisers.list_advisers(by=by)] == ["ada", "ann", "cy"]
        assert [c.note for c in closures.list_closures(by=by)] == ["Winter break"]
        assert notify.delivery_problem(by=by) == (
            "E-mail notifications are failing: The mail server cannot be reached. Tellus keeps retrying."
        )


def test_any_adviser_may_list_who_can_take_a_case(people):
    """Assigning is every adviser's work: the picker lists the active accounts, disabled ones left out."""
    assert [a.username for a in advisers.active_advisers()] == ["ada", "ann"]


@pytest.mark.parametrize(
    "now,state",
    [
        (dt.datetime(2026, 6, 30, 22, 59), "now"),  # 23:59 on its last day in London
        (dt.datetime(2026, 6, 30, 23, 1), "past"),  # 00:01 the day after: the UTC date still says 30 June
        (dt.datetime(2026, 6, 19, 22, 59), "coming"),  # 23:59 the day before it starts
        (dt.datetime(2026, 6, 19, 23, 1), "now"),  # 00:01 on its first day
    ],
)
def test_a_closure_is_past_in_force_or_coming_by_the_organisations_date(db, now, state):
    closure = closures.add_closure("2026-06-20", "2026-06-30", "Summer shutdown")
    assert closures.state(closure, Config(), now) == state
