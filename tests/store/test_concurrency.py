"""Several processes writing one SQLite file: no "database is locked", no lost row."""

import multiprocessing

from store.models import Message, Report

from ..helpers import bodies, reporter_key, submit

WRITERS = 4
WRITES = 200


def _writer(url, report_id, key, worker, queue):
    from store import open_database
    from store.conversation import post_reporter_message

    try:
        open_database(url)
        for i in range(WRITES):  # as the reporter's session would: with the case key it holds
            post_reporter_message(report_id, f"worker {worker} message {i}", case_key=key)
        queue.put((worker, None))
    except Exception as exc:  # reported to the parent, which fails the test
        queue.put((worker, repr(exc)))


def test_four_processes_write_two_hundred_messages_each(db, config):
    report = submit(config).report
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [
        ctx.Process(target=_writer, args=(db.url, report.id, reporter_key(report.id), w, queue)) for w in range(WRITERS)
    ]
    for p in procs:
        p.start()
    results = [queue.get(timeout=180) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    assert [err for _, err in results if err] == []
    texts = bodies(report.id)
    assert len(texts) == WRITERS * WRITES == len(set(texts)) == Message.select().count()
    assert Report.get_by_id(report.id).unread_count == 1 + WRITERS * WRITES
