"""Crash safety: the load of bench/load.py while the web server is SIGKILLed.

    python bench/crash.py [--seconds 30] [--clients 50] [--kills 3]
    python bench/crash.py --postgres postgresql://127.0.0.1:5432/test

The server is killed with SIGKILL ``--kills`` times, evenly through the run,
and started again on the same port at once. Requests in flight when it dies
fail on the client (connection refused or reset); they were never
acknowledged, so they are not in the ledger, and the clients carry on. Pass:
every acknowledged report, message, reply, note and status change is in the
database exactly once, ``PRAGMA integrity_check`` is ok, no 5xx and no
"database is locked", and each restart serves /healthz within 2 s of spawning
the process. Exit status 1 on failure.
"""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from bench.load import main

if __name__ == "__main__":
    argv = sys.argv[1:]
    kills = 3
    if "--kills" in argv:
        at = argv.index("--kills")
        kills = int(argv[at + 1])
        del argv[at : at + 2]
    sys.exit(main(argv, kills=kills, description=__doc__, seconds=30))
