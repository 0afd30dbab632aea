"""What the admin commands print: the store's results put into words for a terminal.

The store returns data (``stats.Statistics``, ``retention.PurgeResult``); the
sentences and table layout are the command line's, as a front end's pages and
screens are its own.
"""

from store.retention import PurgeResult
from store.stats import MIN_CELL, SUPPRESSED, Statistics


def plural(n: int, one: str, many: str | None = None) -> str:
    """``1 case``, ``2 cases``; ``many`` for words that do not just take an s (``entries``)."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def statistics_text(result: Statistics) -> str:
    """The committee's tables: the figures, then each table with its total, labels in one column."""
    period = f"{result.since or 'the first report'} to {result.until or 'today'}"
    lines = [f"Tellus statistics, {period}. Counts under {MIN_CELL} are shown as {SUPPRESSED}.", ""]
    labels = [label for table in result.tables for label, _value in table.rows] + [label for label, _ in result.figures]
    width = max([len(str(label)) for label in labels] + [10])
    for label, text in result.figures:
        lines.append(f"{label:<{width}}  {text}")
    for table in result.tables:
        lines += ["", table.title, "-" * len(table.title)]
        for label, value in table.rows:
            lines.append(f"{label:<{width}}  {value:>6}")
        lines.append(f"{'Total':<{width}}  {table.total:>6}")
    return "\n".join(lines) + "\n"


def purge_preview(result: PurgeResult) -> list[str]:
    """``tellus purge --dry-run``: each case that would go, then what would go with them."""
    lines = [f"Would delete {plural(len(result.cases), 'case')} (dry run, nothing deleted):"]
    lines += [f"  {case.reference}  {case.reason:<9}  since {case.since:%Y-%m-%d}" for case in result.cases]
    lines.append(f"With them: {_case_contents(result)}.")
    lines.append(f"Also: {_housekeeping(result)}.")
    return lines


def purge_done(result: PurgeResult) -> list[str]:
    """``tellus purge``: what went."""
    abandoned = len(result.cases) - result.closed
    return [
        (
            f"Purged {plural(len(result.cases), 'case')} ({result.closed} closed, {abandoned} abandoned)"
            f" with {_case_contents(result)}."
        ),
        f"Also removed: {_housekeeping(result)}.",
    ]


def _case_contents(result: PurgeResult) -> str:
    return (
        f"{plural(result.messages, 'message')}, {plural(result.notes, 'note')} and {plural(result.sessions, 'session')}"
    )


def _housekeeping(result: PurgeResult) -> str:
    return (
        f"{plural(result.audit_events, 'old audit entry', 'old audit entries')}, "
        f"{plural(result.form_tokens, 'form token')} and {plural(result.expired_sessions, 'expired session')}"
    )
