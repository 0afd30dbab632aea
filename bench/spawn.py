"""Starting a server process that prints its address on its first line.

`tellus web --port 0` (and the bench's bare servers) print one line such as
``… on http://127.0.0.1:PORT/``. Benchmarks and end-to-end tests all need to
start such a process, wait for that line within a bound, and read the port.
"""

import os
import re
import selectors
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_ADDRESS = re.compile(rb"http://127\.0\.0\.1:(\d+)/")


def tellus_web_argv(database, port=0, threads=8):
    return [
        sys.executable,
        "-m",
        "tellus",
        "web",
        "--database",
        str(database),
        "--port",
        str(port),
        "--threads",
        str(threads),
    ]


def spawn_server(argv, timeout=30, env=None):
    """Start ``argv`` (stdout+stderr piped, ``env`` added to this process's environment);
    return (process, first output, port).

    Raises RuntimeError (after stopping the process) if no address line comes
    within ``timeout`` seconds or the process exits first.
    """
    env = dict(os.environ, PYTHONUNBUFFERED="1", **(env or {}))
    env.pop("TELLUS_CONFIG", None)
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    first = b""
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    try:
        while b"\n" not in first:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                proc.wait(timeout=10)
                raise RuntimeError(f"server did not start: {first!r}")
            if sel.select(0.05):
                first += os.read(proc.stdout.fileno(), 4096)
    finally:
        sel.close()
    match = _ADDRESS.search(first)
    if match is None:
        proc.kill()
        proc.wait(timeout=10)
        raise RuntimeError(f"server printed no address: {first!r}")
    return proc, first, int(match.group(1))


def stop_process(proc, grace=10):
    """Terminate ``proc``, escalating to SIGKILL if it has not gone within ``grace`` seconds."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
