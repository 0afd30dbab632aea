"""Permissions on every service entry point the adviser app calls (SQLite and PostgreSQL).

Advisers see and act on their own cases and (config allowing) the unassigned
queue; admins on every case; admin actions need an admin, read from the
database at the moment of the action.
"""

import dataclasses
import io

import pytest

from adviser_tui import gateway
from store import advisers, audit, cases, casewatch, closures, conversation, inbox, patterns, retention, stats
from store.errors import PermissionDenied, ValidationError
from store.models import AuditEvent, Message, Note, Report

from ..helpers import accounts_made_once, bodies, submit

PASSWORD = "a long enough password"


@pytest.fixture
def people(db):
    """ada (admin), ann and bob, on the roster; made for real once per engine (helpers.accounts_made_once)."""

    def make():
        admin = advisers.create_adviser("ada", PASSWORD, "Ada Admin", is_admin=True)
        # Made by the admin (the app, or --granted-by): on the roster at once.
        ann = advisers.create_adviser("ann", PASSWORD, "Ann Adviser", keyring=admin.keyring)
        bob = advisers.create_adviser("bob", PASSWORD, "Bob Adviser", keyring=admin.keyring)
        return admin, ann, bob

    return accounts_made_once(db, __name__, make)


@pytest.fixture
def world(config, people):
    admin, _ann, _bob = people
    mine = submit(config, location="Library").report
    theirs = submit(config, location="Library").report
    queue = submit(config, location="Library").report
    cases.assign(mine.id, admin, "ann", config)
    cases.assign(theirs.id, admin, "bob", config)
    return {"mine": mine, "theirs": theirs, "queue": queue}


# Every case entry point, as (name, call(report_id, adviser, config)).
CASE_CALLS = [
    ("open_case", lambda rid, who, cfg: cases.open_case(rid, who, cfg)),
    ("refresh_case", lambda rid, who, cfg: casewatch.refresh_case(rid, who, cfg)),
    ("case_fingerprint", lambda rid, who, cfg: casewatch.case_fingerprint(rid, who, cfg)),
    ("set_status", lambda rid, who, cfg: cases.set_status(rid, who, "waiting", cfg)),
    ("assign", lambda rid, who, cfg: cases.assign(rid, who, who.username, cfg)),
    ("reply", lambda rid, who, cfg: conversation.post_adviser_reply(rid, who, "Hello", config=cfg)),
    ("note", lambda rid, who, cfg: conversation.add_note(rid, who, "A note", config=cfg)),
    ("first_response", lambda rid, who, cfg: conversation.record_first_response(rid, who, config=cfg)),
]
# The same calls through the adviser app's gateway, which must always pass the config on.
GATEWAY_CALLS = [
    ("open_case", lambda rid, who, cfg: gateway.open_case(rid, who, cfg)),
    ("refresh_case", lambda rid, who, cfg: gateway.refresh_case(rid, who, cfg)),
    ("case_fingerprint", lambda rid, who, cfg: gateway.case_fingerprint(rid, who, cfg)),
    ("set_status", lambda rid, who, cfg: gateway.set_status(rid, who, "waiting", cfg)),
    ("assign", lambda rid, who, cfg: gateway.assign(rid, who, who.username, cfg)),
    ("reply", lambda rid, who, cfg: gateway.reply(rid, who, "Hello", cfg)),
    ("note", lambda rid, who, cfg: gateway.note(rid, who, "A note", cfg)),
]


# What each case call leaves behind when it is allowed: check(report_id, adviser, result).
def _audited(action):
    return lambda rid, who, result: (
        AuditEvent.select()
        .where((AuditEvent.report_id == rid) & (AuditEvent.action == action) & (AuditEvent.adviser_id == who.id))
        .exists()
    )


CASE_EFFECTS = {
    "open_case": lambda rid, who, result: result.report.id == rid and _audited("case_viewed")(rid, who, result),
    "refresh_case": lambda rid, who, result: result.report.id == rid,
    "case_fingerprint": lambda rid, who, result: rid in result,
    "set_status": lambda rid, who, result: (
        Report.get_by_id(rid).status == "waiting" and _audited("status")(rid, who, result)
    ),
    "assign": lambda rid, who, result: (
        Report.get_by_id(rid).assignee_id == who.id and _audited("assign")(rid, who, result)
    ),
    "reply": lambda rid, who, result: (
        Message.select().where((Message.report == rid) & (Message.adviser == who.id)).exists()
        and bodies(rid)[-1] == "Hello"
    ),
    "note": lambda rid, who, result: (
        Note.select().where((Note.report == rid) & (Note.adviser == who.id)).exists()
        and bodies(rid, notes=True)[-1] == "A note"
    ),
    "first_response": lambda rid, who, result: Report.get_by_id(rid).first_response_at is not None,
}


def _works(name, call, report_id, adviser, config):
    result = call(report_id, adviser, config)
    assert CASE_EFFECTS[name](report_id, adviser, result), f"{name} on case {report_id} had no effect"


def _snapshot(report_id):
    report = Report.get_by_id(report_id)
    return (
        report.status,
        report.assignee_id,
        report.first_response_at,
        Message.select().where(Message.report == report_id).count(),
        Note.select().where(Note.report == report_id).count(),
        AuditEvent.select().where(AuditEvent.report_id == report_id).count(),
    )


@pytest.mark.parametrize(
    "name,call",
    CASE_CALLS + [("gateway " + n, c) for n, c in GATEWAY_CALLS],
    ids=[n for n, _ in CASE_CALLS] + ["gateway-" + n for n, _ in GATEWAY_CALLS],
)
def test_an_adviser_cannot_open_or_act_on_a_colleagues_case(config, people, world, name, call):
    _admin, ann, _bob = people
    before = _snapshot(world["theirs"].id)
    with pytest.raises(PermissionDenied, match="assigned to another adviser"):
        call(world["theirs"].id, ann, config)
    assert _snapshot(world["theirs"].id) == before  # nothing written, not even an audit entry


@pytest.mark.parametrize("name,call", CASE_CALLS, ids=[n for n, _ in CASE_CALLS])
def test_an_adviser_works_on_their_own_case_and_the_unassigned_queue(config, people, world, name, call):
    _admin, ann, _bob = people
    _works(name, call, world["mine"].id, ann, config)
    _works(name, call, world["queue"].id, ann, config)


@pytest.mark.parametrize("name,call", CASE_CALLS, ids=[n for n, _ in CASE_CALLS])
def test_the_unassigned_queue_is_closed_to_advisers_when_config_says_so(config, people, world, name, call):
    _admin, ann, _bob = people
    private = dataclasses.replace(config, advisers_see_unassigned=False)
    with pytest.raises(PermissionDenied):
        call(world["queue"].id, ann, private)
    _works(name, call, world["mine"].id, ann, private)


@pytest.mark.parametrize("name,call", CASE_CALLS, ids=[n for n, _ in CASE_CALLS])
def test_an_admin_works_on_every_case(config, people, world, name, call):
    admin, _ann, _bob = people
    private = dataclasses.replace(config, advisers_see_unassigned=False)
    for report in world.values():
        _works(name, call, report.id, admin, private)


def test_lists_show_an_adviser_only_what_they_may_open(config, people, world):
    admin, ann, _bob = people
    seen = {r.id for r in inbox.inbox(config, adviser=ann).rows}
    assert seen == {world["mine"].id, world["queue"].id}
    assert inbox.inbox_counts(config, ann).total == 2
    private = dataclasses.replace(config, advisers_see_unassigned=False)
    assert {r.id for r in inbox.inbox(private, adviser=ann).rows} == {world["mine"].id}
    assert len(inbox.inbox(config, adviser=admin).rows) == 3
    # Patterns count only the cases the adviser may see (a group never leaks a colleague's case).
    library = [g for g in patterns.find_patterns(config, adviser=ann) if g.kind == "location"]
    assert [set(g.report_ids) for g in library] == [{world["mine"].id, world["queue"].id}]
    assert [g.count for g in patterns.find_patterns(config, adviser=admin) if g.kind == "location"] == [3]


def test_a_demoted_admin_loses_rights_at_once_though_still_signed_in(config, people, world):
    _admin, _ann, _bob = people
    stale = advisers.get_adviser("ada")  # the object the app holds since login
    other = advisers.create_adviser("cy", PASSWORD, "Cy", is_admin=True)
    advisers.set_admin("ada", False, by=other)
    assert stale.is_admin  # the held object still says admin …
    with pytest.raises(PermissionDenied):  # … the store does not believe it
        cases.open_case(world["theirs"].id, stale, config)
    with pytest.raises(PermissionDenied, match="Only administrators"):
        advisers.set_active("bob", False, by=stale)


def test_a_disabled_adviser_can_do_nothing_more(config, people, world):
    admin, ann, _bob = people
    advisers.set_active("ann", False, by=admin)
    with pytest.raises(PermissionDenied, match="disabled"):
        conversation.post_adviser_reply(world["mine"].id, ann, "Still here?", config=config)


ADMIN_CALLS = [
    ("create adviser", lambda who, cfg: advisers.create_adviser("dee", PASSWORD, by=who)),
    ("disable", lambda who, cfg: advisers.set_active("bob", False, by=who)),
    ("enable", lambda who, cfg: advisers.set_active("bob", True, by=who)),
    ("make admin", lambda who, cfg: advisers.set_admin("bob", True, by=who)),
    ("reset password", lambda who, cfg: advisers.change_password("bob", "another long password", by=who)),
    ("add closure", lambda who, cfg: closures.add_closure("2026-12-20", "2027-01-02", config=cfg, by=who)),
    (
        "remove closure",
        lambda who, cfg: closures.remove_closure(
            closures.add_closure("2027-04-01", "2027-04-02").id, config=cfg, by=who
        ),
    ),
    ("purge", lambda who, cfg: retention.purge(cfg, dry_run=True, by=who)),
    ("audit", lambda who, cfg: audit.events(by=who)),
    ("audit export", lambda who, cfg: audit.export_csv(io.StringIO(), by=who)),
    ("statistics", lambda who, cfg: stats.compute_statistics(cfg, adviser=who)),
    ("gateway audit", lambda who, cfg: gateway.audit_page(who, cfg, {}, 0, 10)),
    ("gateway advisers", lambda who, cfg: gateway.list_accounts(who)),
    ("gateway statistics", lambda who, cfg: gateway.statistics(cfg, who)),
    ("gateway closures", lambda who, cfg: gateway.list_closures(who)),
    ("gateway mail trouble", lambda who, cfg: gateway.delivery_problem(who)),
]


@pytest.mark.parametrize("name,call", ADMIN_CALLS, ids=[n for n, _ in ADMIN_CALLS])
def test_an_adviser_trying_an_admin_action_is_told_it_is_for_administrators(config, people, name, call):
    _admin, ann, _bob = people
    before = AuditEvent.select().count()
    with pytest.raises(PermissionDenied, match=r"^Only administrators can "):
        call(ann, config)
    if name != "remove closure":  # its setup adds a closure from the CLI
        assert AuditEvent.select().count() == before


def _exported_by(admin):
    return AuditEvent.select().where((AuditEvent.action == "export") & (AuditEvent.adviser_id == admin.id)).exists()


# What each admin call leaves behind, or answers, when an admin makes it: check(admin, result).
ADMIN_EFFECTS = {
    "create adviser": lambda admin, result: advisers.get_adviser("dee").username == "dee",
    "disable": lambda admin, result: not advisers.get_adviser("bob").active,
    "enable": lambda admin, result: (
        advisers.get_adviser("bob").active
        and AuditEvent.select()
        .where((AuditEvent.action == "adviser_enabled") & (AuditEvent.adviser_id == admin.id))
        .exists()
    ),
    "make admin": lambda admin, result: advisers.get_adviser("bob").is_admin,
    "reset password": lambda admin, result: advisers.authenticate("bob", "another long password").username == "bob",
    "add closure": lambda admin, result: (
        [(str(c.start), str(c.end)) for c in closures.list_closures()] == [("2026-12-20", "2027-01-02")]
    ),
    "remove closure": lambda admin, result: closures.list_closures() == [],
    "purge": lambda admin, result: result.dry_run and result.cases == [],
    "audit": lambda admin, result: {"ada (admin)", "ann", "bob"} <= {e.detail for e in result},
    "audit export": lambda admin, result: result >= 3 and _exported_by(admin),
    "statistics": lambda admin, result: dict(result.figures)["Reports"] == stats.SUPPRESSED,
    "gateway audit": lambda admin, result: {"ada (admin)", "ann", "bob"} <= {e.detail for e in result.events},
    "gateway advisers": lambda admin, result: [a.username for a in result] == ["ada", "ann", "bob"],
    "gateway statistics": lambda admin, result: [t.title for t in result.tables][:2] == ["By category", "By role"],
    "gateway closures": lambda admin, result: result == [],
    "gateway mail trouble": lambda admin, result: result is None,  # nothing has failed to send
}


@pytest.mark.parametrize("name,call", ADMIN_CALLS, ids=[n for n, _ in ADMIN_CALLS])
def test_an_admin_may_do_every_admin_action(config, people, name, call):
    admin, _ann, _bob = people
    result = call(admin, config)
    assert ADMIN_EFFECTS[name](admin, result), f"{name} had no effect"


def test_admin_actions_are_audited_under_the_admins_name(config, people):
    admin, _ann, _bob = people
    advisers.set_active("bob", False, by=admin)
    advisers.change_password("bob", "another long password", by=admin)
    closures.add_closure("2026-12-20", "2027-01-02", config=config, by=admin)
    recent = audit.events(limit=3, by=admin)
    assert [(e.action, e.adviser_name) for e in recent] == [
        ("closure_added", "ada"),
        ("password_changed", "ada"),
        ("adviser_disabled", "ada"),
    ]


def test_an_admin_cannot_lock_themselves_out(config, people):
    admin, _ann, _bob = people
    with pytest.raises(ValidationError, match="your own account"):
        advisers.set_active("ada", False, by=admin)
    with pytest.raises(ValidationError, match="your own account"):
        advisers.set_admin("ada", False, by=admin)
    assert advisers.get_adviser("ada").is_admin and advisers.get_adviser("ada").active


def test_an_adviser_may_change_their_own_password_only(config, people):
    _admin, ann, _bob = people
    advisers.change_password("ann", "my new long password", by=ann)
    assert advisers.authenticate("ann", "my new long password").id == ann.id
    with pytest.raises(PermissionDenied):
        advisers.change_password("bob", "my new long password", by=ann)


def test_audit_browsing_rejects_an_unknown_action(config, people):
    admin, _ann, _bob = people
    with pytest.raises(ValidationError, match="Unknown action"):
        audit.events(action="nonsense", by=admin)
