"""Uploading 20 MiB in 5 files through the real report form, as a ratio to a bare waitress upload.

    python bench/upload_bench.py [--repeat 3]

Two servers run side by side in this one run, each its own process:

* the reporter site (`reporter_web.serve.build_server`, real waitress, an
  SQLite file), sent the report form with five files: two 12-megapixel phone
  photos with EXIF GPS, a PDF with an author, a Word file and a text file,
  20 MiB together (what a reporter sends at the limit). Timed from the first
  byte of the POST to the whole answer (the code page listing the files):
  reading, parsing, cleaning every file, sealing, storing.
* a bare waitress app with the same body settings (kept in memory), which
  reads the same bytes and answers "ok": what receiving them costs at all.

The cleaning of the same files alone (store.evidence.clean_submission, in this
process) is timed too, so the upload path's own cost (reading, parsing,
sealing, storing, answering) shows apart from it. Time is the median of
--repeat uploads each; memory is each server's peak
resident size (VmHWM) above its resident size once started and warmed with
one small request. Prints the figures and the ratios.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from bench.spawn import spawn_server, stop_process
from bench.upload_client import Browser, code_in, multipart, report_fields

MIB = 1024 * 1024

SITE = """
import sys
from store import Config
from reporter_web.site import Throttles
from reporter_web.serve import build_server
server = build_server(Config(), sys.argv[1], port=0, threads=4, throttles=Throttles.unlimited())
print(f'http://127.0.0.1:{server.effective_port}/', flush=True)
server.run()
"""

BARE = """
from waitress.server import create_server
from reporter_web.multipart import discard_cap
cap = discard_cap(5, 20 * 1024 * 1024)

def app(environ, start_response):
    length = int(environ.get('CONTENT_LENGTH') or 0)
    body = environ['wsgi.input'].read(length)
    answer = b'ok %d' % len(body)
    start_response('200 OK', [('Content-Type', 'text/plain'), ('Content-Length', str(len(answer)))])
    return [answer]

server = create_server(app, host='127.0.0.1', port=0, threads=4, ident='', max_request_body_size=cap,
                       inbuf_overflow=cap + 1)
print(f'http://127.0.0.1:{server.effective_port}/', flush=True)
server.run()
"""


def _status_kb(pid, field):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(field)


def evidence(total=20 * MIB):
    """Five files a reporter might send, padded (the text file) to exactly ``total`` bytes."""
    from bench.evidence_bench import _pdf_with_photos, _photo
    from tests.store import evidence_samples as samples

    files = [
        ("IMG_20260314_092653.jpg", _photo(4000, 3000, 6)),
        ("IMG_20260314_092701.jpg", _photo(4000, 3000, 1)),
        ("Complaint letter.pdf", _pdf_with_photos(3 * MIB)),
        ("Timeline.docx", samples.office_file("docx")),
    ]
    used = sum(len(data) for _name, data in files)
    if used >= total:
        raise RuntimeError(f"the four files already hold {used} bytes")
    line = "Dydd Llun: fe ddilynodd fi eto ar ôl y seminar — تبعني مرة أخرى بعد الندوة.\n".encode()
    text = line * ((total - used) // len(line))
    text += b"." * (total - used - len(text))  # whole lines, then dots to the exact size
    files.append(("notes.txt", text))
    assert sum(len(d) for _n, d in files) == total
    return files


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = evidence()
    with tempfile.TemporaryDirectory() as folder:
        site, _, site_port = spawn_server([sys.executable, "-c", SITE, os.path.join(folder, "bench.db")], timeout=60)
        bare, _, bare_port = spawn_server([sys.executable, "-c", BARE], timeout=60)
        try:
            browser = Browser(site_port)
            browser.get("/healthz")
            Browser(bare_port).post("/", "text/plain", b"warm")
            base = {p.pid: _status_kb(p.pid, "VmRSS") for p in (site, bare)}
            bodies = []

            def site_upload():
                token = browser.token("/report")
                ctype, body = multipart(report_fields(token), files)
                bodies.append(len(body))
                status, _h, page = browser.post("/report", ctype, body)
                if status != 200 or not code_in(page) or page.count(b'class="file-name"') != 5:
                    raise RuntimeError(f"the upload was not taken ({status}): {page[:300]!r}")

            def bare_upload():
                ctype, body = multipart(report_fields("x" * 90), files)
                status, _h, answer = Browser(bare_port).post("/", ctype, body)
                if status != 200 or not answer.startswith(b"ok "):
                    raise RuntimeError("the bare server did not take the body")

            from store.evidence import clean_submission

            # The cleaning alone, in this process, on the same files: what of the site's time is not the
            # upload path. The three are interleaved, so a busy moment of the machine falls on all of them.
            timed = {"site": [], "bare": [], "clean": []}
            for _ in range(args.repeat):
                for name, work in (
                    ("clean", lambda: clean_submission([(d, n) for n, d in files])),
                    ("site", site_upload),
                    ("bare", bare_upload),
                ):
                    started = time.perf_counter()
                    work()
                    timed[name].append(time.perf_counter() - started)
            site_time, bare_time, clean_time = (statistics.median(timed[k]) for k in ("site", "bare", "clean"))
            site_times, bare_times = timed["site"], timed["bare"]
            peaks = {p.pid: _status_kb(p.pid, "VmHWM") - base[p.pid] for p in (site, bare)}
        finally:
            for proc in (site, bare):
                stop_process(proc)
                proc.stdout.close()
    print(f"upload: {len(files)} files, {sum(len(d) for _n, d in files):,} bytes of files, body {bodies[0]:,} bytes")
    print(
        f"  site  (form, clean, seal, store): median {site_time * 1000:,.0f} ms  {[round(t * 1000) for t in site_times]}"
    )
    print(
        f"  bare waitress (read the body):    median {bare_time * 1000:,.0f} ms  {[round(t * 1000) for t in bare_times]}"
    )
    print(
        f"  cleaning the same files alone:    median {clean_time * 1000:,.0f} ms  {[round(t * 1000) for t in timed['clean']]}"
    )
    print(f"  time ratio site / bare: {site_time / bare_time:.1f}x")
    rest = site_time - clean_time
    print(f"  the upload path without cleaning (site - cleaning): {rest * 1000:,.0f} ms, {rest / bare_time:.1f}x bare")
    site_peak, bare_peak = peaks[site.pid] / 1024, peaks[bare.pid] / 1024
    print(f"  peak memory above idle: site {site_peak:,.0f} MiB, bare {bare_peak:,.0f} MiB")
    print(f"  memory ratio site / bare: {site_peak / max(bare_peak, 1):.1f}x")


if __name__ == "__main__":
    main()
