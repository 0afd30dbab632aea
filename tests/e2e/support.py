"""Builders for the end-to-end tests: a real `tellus web` process, spoken to over HTTP."""

import http.cookiejar
import urllib.error
import urllib.parse
import urllib.request

from bench.spawn import spawn_server, stop_process, tellus_web_argv

# What every request claims about its sender: none of it may be kept or printed.
ADDRESS, AGENT = "203.0.113.199", "E2EProbe/4.2 distinctive-agent-77321"
REFERER = "https://leak.example/distinctive-referrer-4410"


class Site:
    """A running `tellus web`; everything it prints is collected."""

    def __init__(self, database):
        self.proc, self.output, self.port = spawn_server(tellus_web_argv(database, threads=4))
        self.base = f"http://127.0.0.1:{self.port}"
        jar = http.cookiejar.CookieJar()
        self.jar = jar
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def request(self, path, fields=None):
        data = urllib.parse.urlencode(fields).encode() if fields is not None else None
        req = urllib.request.Request(
            self.base + path,
            data=data,
            headers={
                "User-Agent": AGENT,
                "Referer": REFERER,
                "X-Forwarded-For": ADDRESS,
                "Forwarded": f"for={ADDRESS}",
            },
        )
        try:
            with self.opener.open(req, timeout=30) as res:
                return res.status, res.geturl(), res.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.geturl(), err.read().decode()

    def stop(self):
        stop_process(self.proc)
        if not self.proc.stdout.closed:
            self.output += self.proc.stdout.read() or b""
            self.proc.stdout.close()
        return self.output
