"""Store calls in thread workers: the one way screens and widgets reach the database.

``run_store_call(node, call, *args, then=…, group=…)`` runs
``gateway.attempt(call, *args)`` in a thread worker, so a query never holds up
the event loop (and gets its own connection: peewee's are per thread). The app
hears how the database answered (``AdviserApp.report_database``: one toast when
it stops answering, one when it is back), and ``then(outcome)`` runs afterwards
on ``node``'s own message queue, like any handler of ``node``. With
``exclusive`` (the default) a newer call in the same group cancels an older
one, whose outcome is then dropped unseen: a reload supersedes the last one.
"""

from textual.worker import get_current_worker

from . import gateway


def run_store_call(node, call, *args, then, group, exclusive=True, **kwargs):
    """Run ``call(*args, **kwargs)`` off the event loop; ``then(outcome)`` gets its ``gateway.Outcome``."""
    app = node.app

    def work():
        outcome = gateway.attempt(call, *args, **kwargs)
        if get_current_worker().is_cancelled:
            return
        app.report_database(outcome, node)
        node.call_later(then, outcome)

    return node.run_worker(work, name=group, group=group, thread=True, exclusive=exclusive)
