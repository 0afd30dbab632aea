"""``tellus``: serve the site, run the adviser app, and admin jobs.

Every command takes ``--database`` (else $TELLUS_DATABASE, else ./tellus.db)
and ``--config`` (else $TELLUS_CONFIG, else built-in defaults). Errors are
one sentence on stderr and exit status 1 (2 for usage); never a traceback.
"""

import argparse
import getpass
import os
import signal
import sys
import time

from store import TellusError, load_config, open_database
from store.db import database_url, is_sqlite


def _common(parser):
    parser.add_argument(
        "--database",
        default=argparse.SUPPRESS,
        metavar="URL_OR_PATH",
        help="SQLite path, sqlite:///path or postgresql://… (default: $TELLUS_DATABASE or ./tellus.db)",
    )
    parser.add_argument(
        "--config",
        default=argparse.SUPPRESS,
        metavar="FILE",
        help="TOML settings file (default: $TELLUS_CONFIG or built-in defaults)",
    )


def build_parser():
    parser = argparse.ArgumentParser(prog="tellus", description="Anonymous reporting with two-way messaging.")
    _common(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    def command(name, help_text):
        p = sub.add_parser(name, help=help_text, description=help_text)
        _common(p)
        return p

    web = command("web", "serve the reporter site with waitress")
    web.add_argument("--host", default="127.0.0.1")
    web.add_argument("--port", type=int, default=8080)
    web.add_argument("--https", action="store_true", help="the site is served over HTTPS (Secure cookies)")
    web.add_argument("--threads", type=int, default=8)
    web.add_argument(
        "--trusted-proxy",
        metavar="ADDRESS",
        help="the reverse proxy's address; its X-Forwarded-For names the client for throttling (never stored)",
    )

    command("adviser", "the adviser terminal app (starts at a login screen)")
    demo = command("demo", "sample data, the site in the background and the adviser app")
    demo.add_argument("--port", type=int, default=8080)

    advisers = command("advisers", "manage adviser accounts")
    asub = advisers.add_subparsers(dest="action", metavar="ACTION")
    asub.required = True
    add = asub.add_parser("add", help="create an adviser")
    _common(add)
    add.add_argument("name")
    add.add_argument("--admin", action="store_true")
    add.add_argument("--display-name")
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password(s) from standard input, one a line"
    )
    add.add_argument(
        "--granted-by",
        metavar="ADMIN",
        help="an admin whose password (asked next) unlocks the keys to grant the new adviser their cases now",
    )
    _common(asub.add_parser("list", help="list advisers"))
    for verb in ("disable", "enable"):
        p = asub.add_parser(verb, help=f"{verb} an adviser")
        _common(p)
        p.add_argument("name")
        p.add_argument("--password-stdin", action="store_true", help="read the admin's password from standard input")
        p.add_argument("--granted-by", metavar="ADMIN", help="an admin whose password signs the change into the roster")
    confirm = asub.add_parser(
        "confirm", help="sign advisers into the roster (who may receive case keys) as they are listed now"
    )
    _common(confirm)
    confirm.add_argument(
        "names", nargs="*", metavar="NAME", help="the advisers to sign as listed now (none: only to make the roster)"
    )
    confirm.add_argument("--granted-by", required=True, metavar="ADMIN", help="the administrator who signs")
    confirm.add_argument("--password-stdin", action="store_true", help="read that password from standard input")
    pw_parser = asub.add_parser("passwd", help="set an adviser's password")
    _common(pw_parser)
    pw_parser.add_argument("name")
    pw_parser.add_argument("--password-stdin", action="store_true")
    pw_parser.add_argument(
        "--granted-by", metavar="ADMIN", help="an admin whose password re-grants the adviser's cases now (a reset)"
    )

    export = command("export", "write a case bundle (report, thread with notes marked, files, SHA-256 manifest)")
    export.add_argument("reference", metavar="REF", help="the case reference, e.g. TL-ABC123")
    export.add_argument("--to", required=True, metavar="DIR", help="a new or empty folder")
    export.add_argument("--admin", required=True, metavar="NAME", help="the administrator whose keys open the case")
    export.add_argument("--password-stdin", action="store_true", help="read that password from standard input")

    recover = command("recover", "give an admin a new password and every case, with the recovery key")
    recover.add_argument(
        "--admin",
        required=True,
        metavar="NAME",
        help="the administrator to give the cases to (with --check: the administrator who signs)",
    )
    recover.add_argument(
        "--check",
        action="store_true",
        help="only prove the recovery key, so that the roster trusts it again (asks for NAME's password, changes "
        "no password)",
    )
    recover.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the recovery key, then the new password (with --check: NAME's password), from standard input",
    )

    closures = command("closures", "closure periods that do not count as working days")
    csub = closures.add_subparsers(dest="action", metavar="ACTION")
    csub.required = True
    cadd = csub.add_parser("add", help="add a closure (dates as YYYY-MM-DD, inclusive)")
    _common(cadd)
    cadd.add_argument("start")
    cadd.add_argument("end")
    cadd.add_argument("--note", default="", help="shown on the start page (English)")
    cadd.add_argument(
        "--note-in",
        nargs=2,
        action="append",
        default=[],
        metavar=("LANG", "TEXT"),
        help='the note in another language the site offers, e.g. --note-in cy "Gwyliau\'r gaeaf"',
    )
    _common(csub.add_parser("list", help="list closures"))
    crm = csub.add_parser("remove", help="remove a closure")
    _common(crm)
    crm.add_argument("id", type=int)

    config_parser = command("config", "check the configuration")
    config_sub = config_parser.add_subparsers(dest="action", metavar="ACTION")
    config_sub.required = True
    _common(
        config_sub.add_parser("check", help="is it valid, and is every text there in every language the site offers")
    )

    purge = command("purge", "apply the retention policy")
    purge.add_argument("--dry-run", action="store_true", help="list what would be deleted, delete nothing")
    stats = command("stats", "anonymised counts for committees")
    stats.add_argument("--csv", action="store_true", help="CSV instead of a table")
    stats.add_argument("--since", metavar="DATE", help="reports received on or after DATE (YYYY-MM-DD)")
    stats.add_argument("--until", metavar="DATE", help="reports received on or before DATE")

    audit_parser = command("audit", "export the audit trail")
    audit_parser.add_argument("--csv", action="store_true", help="write CSV (the export format)")
    audit_parser.add_argument("--output", "-o", metavar="PATH", help="write to PATH instead of standard output")
    audit_parser.add_argument("--since", metavar="DATE", help="entries on or after DATE (local date, YYYY-MM-DD)")
    audit_parser.add_argument("--until", metavar="DATE", help="entries on or before DATE (local date)")
    audit_parser.add_argument("--adviser", metavar="NAME", help="only this adviser's entries")
    audit_parser.add_argument("--action", metavar="ACTION", help="only this action (login, reply, export, …)")

    migrate = command("migrate", "upgrade the database's schema (backs up an SQLite file first)")
    migrate.add_argument("--dry-run", action="store_true", help="apply every step and roll it back: change nothing")
    migrate.add_argument("--no-backup", action="store_true", help="do not copy the SQLite file first")
    migrate.add_argument(
        "--admin",
        metavar="NAME",
        help="the administrator to seal existing reports to, whose keys re-seal old replies and notes naming "
        "their advisers (asks for their password)",
    )
    migrate.add_argument("--password-stdin", action="store_true", help="read that password from standard input")

    notify = command("notify", "e-mail advisers about new and overdue cases (settings: [smtp])")
    notify.add_argument("--once", action="store_true", help="one round, for a timer (cron, systemd)")
    notify.add_argument(
        "--interval", type=int, default=60, metavar="SECONDS", help="seconds between rounds, 10 to 3600 (default 60)"
    )
    return parser


def _read_password(args, prompt="Password: "):
    if args.password_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise TellusError("No terminal to ask for the password; use --password-stdin.")
    first = getpass.getpass(prompt)
    if getpass.getpass("Again: ") != first:
        raise TellusError("The two passwords do not match.")
    return first


def _read_existing(args, prompt):
    """A password that exists already (asked once, not twice)."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise TellusError("No terminal to ask for the password; use --password-stdin.")
    return getpass.getpass(prompt)


def _granting_admin(args):
    """The admin named by --granted-by, signed in with their password (their keys unlocked), or None."""
    from store import advisers

    if not getattr(args, "granted_by", None):
        return None
    admin = advisers.sign_in(args.granted_by, _read_existing(args, f"Password of {args.granted_by}: "))
    if not admin.is_admin:
        raise TellusError(f"{admin.username} is not an administrator, so cannot grant cases.")
    return admin


def _show_recovery_key(adviser):
    if getattr(adviser, "recovery_key", None):
        print(
            "\nThis installation's RECOVERY KEY (shown only now; write it down and keep it offline):\n\n"
            f"    {adviser.recovery_key}\n\n"
            "With it, `tellus recover` gives an administrator every case again if all passwords are lost.\n"
            "Without it and without any adviser's password, the reports cannot be read by anyone."
        )


def _say_if_unconfirmed(adviser):
    from store import roster

    if roster.unconfirmed([adviser]):
        print(f"{adviser.username} is {roster.NOT_CONFIRMED}.")
        print(
            f"Their key's fingerprint is {roster.fingerprint(adviser.public_key)}: confirm them only if the "
            "confirmation shows this one (a different one means the database was changed)."
        )


def cmd_advisers(args, config):
    from store import advisers, roster

    if args.action == "add":
        password = _read_password(args)
        admin = _granting_admin(args)
        a = advisers.create_adviser(
            args.name,
            password,
            display_name=args.display_name,
            is_admin=args.admin,
            keyring=admin.keyring if admin else None,
            config=config,
        )
        print(f"Created adviser {a.username}{' (admin)' if a.is_admin else ''}.")
        _say_if_unconfirmed(a)
        if not roster.has_roster():
            others = [o.username for o in advisers.list_advisers() if o.id != a.id and o.public_key is not None]
            print(
                "This installation has no roster yet, so case keys go to whoever the database lists"
                + (f" (also: {', '.join(others)})" if others else "")
                + ". An administrator makes it with: tellus advisers confirm --granted-by NAME"
            )
        else:
            waiting = [o.username for o in roster.unconfirmed(advisers.list_advisers()) if o.id != a.id]
            if waiting:
                print(
                    f"Not confirmed, so nothing is sealed to them until an administrator confirms them: {', '.join(waiting)}."
                )
        _say_recovery_problem()
        _show_recovery_key(a)
    elif args.action == "list":
        rows = advisers.list_advisers()
        if not rows:
            print("No advisers yet. Add one with: tellus advisers add NAME")
        waiting = {a.id for a in roster.unconfirmed(rows)}
        for a in rows:
            flags = ", ".join(
                f
                for f in (
                    "admin" if a.is_admin else "",
                    "" if a.active else "disabled",
                    f"not confirmed, key {roster.fingerprint(a.public_key)}" if a.id in waiting else "",
                )
                if f
            )
            print(f"{a.username:<20} {a.display_name:<30} {flags}".rstrip())
        _say_recovery_problem()
    elif args.action in ("disable", "enable"):
        advisers.get_adviser(args.name)  # fail before asking for a password
        admin = _granting_admin(args)
        a = advisers.set_active(
            args.name, args.action == "enable", keyring=admin.keyring if admin else None, config=config
        )
        print(f"{a.username} is now {'enabled' if a.active else 'disabled'}.")
        if a.active:
            _say_if_unconfirmed(a)
    elif args.action == "confirm":
        admin = _granting_admin(args)
        signed = advisers.confirm(args.names, admin, config)
        if not signed:
            print("Every active adviser is confirmed already.")
        for a in signed:
            print(
                f"Confirmed {a.username}{' (admin)' if a.is_admin else ''} with the key "
                f"{roster.fingerprint(a.public_key)}: case keys may be sealed to them."
            )
        _say_recovery_problem()
    elif args.action == "passwd":
        advisers.get_adviser(args.name)  # fail before asking for a password
        password = _read_password(args, "New password: ")
        admin = _granting_admin(args)
        a = advisers.change_password(args.name, password, keyring=admin.keyring if admin else None, config=config)
        print(f"Password changed for {a.username}; they have a new key pair.")
        _say_if_unconfirmed(a)


def cmd_export(args, config):
    from store import advisers
    from store.export import export_case

    admin = advisers.sign_in(args.admin, _read_existing(args, f"Password of {args.admin}: "))
    bundle = export_case(args.reference, args.to, admin, config)
    print(f"Exported {args.reference.upper()} to {bundle.folder}: {len(bundle.files)} files, MANIFEST.txt (SHA-256).")


def _say_recovery_problem():
    """For admins' commands: a recovery key that new reports are not sealed to (upgraded and not yet proved, or
    its signature broken) is said, since nothing else would show it until it is needed."""
    from store import roster

    problem = roster.recovery_problem()
    if problem:
        print(problem)


def cmd_recover(args, config):
    from store import advisers, keys

    if args.check:
        secret = _read_existing(args, "Recovery key: ")
        keys.recovery_pair(secret)  # a key that is not this installation's is refused before any password is asked
        admin = advisers.sign_in(args.admin, _read_existing(args, f"Password of {args.admin}: "))
        signed, cases = advisers.check_recovery(secret, admin, config)
        print(
            ("The recovery key is proved and signed: " if signed else "The recovery key is trusted already: ")
            + f"new reports are sealed to it, and so are the {cases} case{'' if cases == 1 else 's'} "
            f"{admin.username} holds."
        )
        return
    secret = _read_existing(args, "Recovery key: ")
    password = _read_password(args, f"New password for {args.admin}: ")
    cases = advisers.recover(secret, args.admin, password, config)
    print(f"{args.admin} has a new password and holds {cases} case{'' if cases == 1 else 's'} again.")


def cmd_closures(args, config):
    from store import closures

    if args.action == "add":
        translations = dict(args.note_in)
        unknown = sorted(set(translations) - set(config.languages) - {"en"})
        if unknown:
            raise TellusError(
                f"--note-in {unknown[0]}: the site offers {', '.join(config.languages)} (setting languages)."
            )
        c = closures.add_closure(args.start, args.end, args.note, config=config, translations=translations)
        print(f"Added closure {c.id}: {c.start} to {c.end}.")
    elif args.action == "list":
        rows = closures.list_closures()
        if not rows:
            print("No closures.")
        for c in rows:
            print(f"{c.id:>4}  {c.start}  {c.end}  {c.note}".rstrip())
    elif args.action == "remove":
        closures.remove_closure(args.id, config=config)
        print(f"Removed closure {args.id}.")


def cmd_config(args, config):
    """``tellus config check``: the file loaded (or this command would have said why not); now what is missing."""
    from reporter_web import i18n
    from store.export import export_folder_problem

    i18n.check_catalogues(config)
    missing = i18n.missing_texts(config)
    status = 0
    if missing:
        print(f"Missing in a language the site offers ({len(missing)}); the English is shown there instead:")
        for line in missing:
            print(f"  {line}")
        status = 1
    else:
        print(f"The configuration is complete in {', '.join(config.languages)}.")
    # Asked as the account running this: run it as an administrator's account to know what the app will find.
    problem = export_folder_problem(config) if config.export_folder else None
    if problem:
        print(f"export_folder: {problem}")
        status = 1
    elif config.export_folder:
        print(f"Administrators' case bundles from the app go into {config.export_folder}.")
    else:
        print("export_folder is not set: the app does not export cases (tellus export still does).")
    return status


def cmd_web(args, config):
    from reporter_web.serve import serve

    serve(
        config,
        database_url(getattr(args, "database", None)),
        host=args.host,
        port=args.port,
        https=args.https or config.https,
        threads=args.threads,
        trusted_proxy=args.trusted_proxy or config.trusted_proxy or None,
    )


def cmd_adviser(args, config):
    from adviser_tui.app import run

    run(config, database_url(getattr(args, "database", None)))


def cmd_demo(args, config):
    from tellus.demo import run_demo

    run_demo(config, getattr(args, "database", None), port=args.port)


def cmd_purge(args, config):
    from store import retention

    from .render import purge_done, purge_preview

    result = retention.purge(config, dry_run=args.dry_run)
    print("\n".join(purge_preview(result) if args.dry_run else purge_done(result)))
    if args.dry_run:
        return
    if result.space_reclaimed:
        print("Space reclaimed (WAL checkpointed, database vacuumed).")
    elif is_sqlite():
        print("The database is busy, so the WAL could not be truncated yet; run purge again later.", file=sys.stderr)


def _date_option(value, name):
    from store.closures import parse_date

    return parse_date(value, name) if value else None


def cmd_stats(args, config):
    from store import stats

    from .render import statistics_text

    try:
        stats.export_statistics(
            config,
            sys.stdout,
            render=None if args.csv else statistics_text,
            since=_date_option(args.since, "since"),
            until=_date_option(args.until, "until"),
        )
    except BrokenPipeError:
        raise  # the reader stopped early: main() ends quietly
    except OSError as exc:
        _discard_stdout()
        raise TellusError(f"Writing the statistics failed: {exc.strerror}.") from None


def cmd_audit(args, config):
    from store import audit

    if not args.csv:
        raise TellusError("The audit trail is exported as CSV: use tellus audit --csv [--output PATH].")
    filters = dict(since=args.since, until=args.until, adviser_name=args.adviser, action=args.action, config=config)
    if not args.output:
        try:
            audit.export_csv(sys.stdout, **filters)
        except BrokenPipeError:
            raise  # the reader stopped early: main() ends quietly
        except OSError as exc:
            _discard_stdout()
            raise TellusError(f"Writing the export failed: {exc.strerror}.") from None
        return
    try:
        out = open(args.output, "x", encoding="utf-8", newline="")
    except FileExistsError:
        raise TellusError(f"{args.output} already exists; choose a new file name.") from None
    except OSError as exc:
        raise TellusError(f"Cannot write to {args.output}: {exc.strerror}.") from None
    try:
        with out:
            count = audit.export_csv(out, **filters)
    except OSError as exc:  # a full disk, say: the export is audited as stopped
        raise TellusError(f"Writing {args.output} failed: {exc.strerror}; the file is incomplete.") from None
    print(f"Wrote {count} audit entries to {args.output}.", file=sys.stderr)


def _discard_stdout():
    """Output that can no longer be written is dropped, so the flush at exit cannot print a traceback."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def cmd_notify(args, config):
    import logging

    from store import notify

    # This command prints each failure itself; the worker's log line would repeat it.
    logging.getLogger("tellus.notify").addHandler(logging.NullHandler())

    if not notify.MIN_INTERVAL <= args.interval <= notify.MAX_INTERVAL:
        raise TellusError(f"--interval must be between {notify.MIN_INTERVAL} and {notify.MAX_INTERVAL} seconds.")

    def report(result):
        if result.error:
            print(f"tellus: {result.error} Will retry.", file=sys.stderr, flush=True)
        elif result.emails:
            print(f"Sent a notification covering {result.sent} event{'' if result.sent == 1 else 's'}.", flush=True)

    result = notify.run_worker(config, once=args.once, interval=args.interval, on_result=report)
    return 1 if args.once and result.error else 0


def cmd_migrate(args, config):
    from store import migrations
    from store.models import database

    open_database(getattr(args, "database", None), upgrading=True)
    admin = (args.admin, _read_existing(args, f"Password of {args.admin}: ")) if args.admin else None
    result = migrations.migrate(
        database.obj,
        dry_run=args.dry_run,
        backup=not args.no_backup,
        progress=lambda line: print(line, flush=True),
        config=config,
        admin=admin,
    )
    if admin is not None and not args.dry_run:
        _establish_roster(admin, config)
    if not result.done:
        print(f"The database is at schema {result.after}, the newest; nothing to do.")
    elif args.dry_run:
        print(f"Dry run: the database is still at schema {result.before}; nothing was changed.")
    else:
        print(f"The database is now at schema {result.after}.")
    if not args.dry_run:
        _bind_authors(admin)


def _bind_authors(admin):
    """With --admin: re-seal replies and notes from before each named its adviser (idempotent)."""
    from store import advisers
    from store.conversation import AUTHORS_BOUND_SETTING, bind_authors
    from store.db import get_setting
    from store.models import Message, Note

    if admin is None:
        written = Message.select().where(Message.author == "adviser").exists() or Note.select().exists()
        if written and get_setting(AUTHORS_BOUND_SETTING) is None:
            print(
                "Replies and notes written before this release are re-sealed naming their advisers when an "
                "administrator's app next runs, or now with `tellus migrate --admin NAME`."
            )
        return
    adviser = advisers.sign_in(*admin)
    if not adviser.is_admin:
        raise TellusError(f"{adviser.username} is not an administrator, so does not hold every case.")
    done = bind_authors(adviser.keyring, force=True)
    print(f"Replies and notes re-sealed naming their advisers: {done.resealed}.")
    if done.no_key:
        print(f"{done.no_key} in cases {adviser.username} holds no key to were left as they were.")
    if done.unreadable:
        print(f"{done.unreadable} that do not open (changed or damaged) were left as they were.")


def _establish_roster(admin, config):
    """After an upgrade with --admin: the admin signs the advisers as they are listed into a new roster."""
    from store import advisers, roster

    if roster.has_roster():
        return
    try:
        signed = advisers.confirm([], advisers.sign_in(*admin), config)
    except TellusError:
        # Another `tellus migrate --admin` making it at the same moment: its pin file is written a moment
        # before its transaction commits.
        for _wait in range(50):
            if roster.has_roster():
                print("Another tellus migrate made the roster of who may receive case keys at the same moment.")
                return
            time.sleep(0.1)
        raise
    print(f"Made the roster of who may receive case keys, signed by {admin[0]}, as the advisers are listed now:")
    for a in signed:
        print(f"  {a.username}{' (admin)' if a.is_admin else ''}")
    print("Check that list: anyone on it who should not be, disable them now (tellus advisers disable NAME).")
    _say_recovery_problem()


COMMANDS = {
    "advisers": cmd_advisers,
    "closures": cmd_closures,
    "config": cmd_config,
    "web": cmd_web,
    "adviser": cmd_adviser,
    "demo": cmd_demo,
    "purge": cmd_purge,
    "stats": cmd_stats,
    "audit": cmd_audit,
    "notify": cmd_notify,
    "migrate": cmd_migrate,
    "recover": cmd_recover,
    "export": cmd_export,
}

# Commands that open the database here; the front ends open it themselves.
_OPENS_DATABASE = {"advisers", "closures", "purge", "stats", "audit", "notify", "recover", "export"}


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        config = load_config(getattr(args, "config", None))
        if args.command in _OPENS_DATABASE:
            open_database(getattr(args, "database", None))
        status = COMMANDS[args.command](args, config)
    except TellusError as exc:
        print(f"tellus: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("tellus: interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader stopped early (`tellus audit --csv | head`): end quietly, as
        # a command killed by SIGPIPE would.
        _discard_stdout()
        return 128 + signal.SIGPIPE
    except ImportError as exc:
        print(
            f"tellus: '{args.command}' is not available in this installation ({exc.name} is missing).", file=sys.stderr
        )
        return 1
    return status or 0
