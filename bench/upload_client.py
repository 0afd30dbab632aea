"""A browser's side of uploading, over real HTTP: cookies, the form's token, a multipart body.

Used by the upload benchmark and the end-to-end tests, so both send exactly
what a browser sends: the form's fields in order, then the files.
"""

import http.client
import re
import secrets
import time
import urllib.parse

_TOKEN = re.compile(rb'name="csrf_token" value="([^"]+)"')
_CODE = re.compile(rb'id="reporter-code">([0-9A-Z-]+)<')


def multipart(fields, files, boundary=None):
    """(content type, body) of a multipart/form-data form: ``fields`` [(name, text)], then
    ``files`` [(file name, bytes)] in the field ``attachments``."""
    boundary = boundary or "----tellus" + secrets.token_hex(12)
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        parts.append(value.encode("utf-8") + b"\r\n")
    for filename, data in files:
        quoted = filename.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="{quoted}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n".encode()
        )
        parts.append(data)
        parts.append(b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)


class Browser:
    """One browser: keeps its cookies, as a reporter's does."""

    def __init__(self, port, host="127.0.0.1"):
        self.port, self.host = port, host
        self.cookies = {}

    def _headers(self, extra=None):
        headers = {"Host": f"{self.host}:{self.port}", "Sec-Fetch-Site": "same-origin"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers.update(extra or {})
        return headers

    def _keep_cookies(self, response):
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]

    def get(self, path):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        try:
            conn.request("GET", path, headers=self._headers())
            response = conn.getresponse()
            body = response.read()
            self._keep_cookies(response)
            return response.status, body
        finally:
            conn.close()

    def token(self, path):
        status, body = self.get(path)
        match = _TOKEN.search(body)
        if status != 200 or match is None:
            raise RuntimeError(f"no form at {path} ({status})")
        return match.group(1).decode()

    def post(self, path, content_type, body, piece=None, pause=0.0):
        """POST ``body``; with ``piece``, sent ``piece`` bytes at a time with ``pause`` seconds between,
        as a slow connection sends it. Returns (status, headers, body)."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=300)
        try:
            conn.putrequest("POST", path, skip_host=True)
            for name, value in self._headers({"Content-Type": content_type, "Content-Length": str(len(body))}).items():
                conn.putheader(name, value)
            conn.endheaders()
            view = memoryview(body)
            step = piece or len(body) or 1
            for start in range(0, len(body), step):
                conn.send(view[start : start + step])
                if pause:
                    time.sleep(pause)
            response = conn.getresponse()
            answer = response.read()
            self._keep_cookies(response)
            return response.status, dict(response.getheaders()), answer
        finally:
            conn.close()

    def post_form(self, path, fields):
        """POST a url-encoded form (the forms that take no files)."""
        body = urllib.parse.urlencode(fields).encode()
        return self.post(path, "application/x-www-form-urlencoded", body)


def code_in(page):
    match = _CODE.search(page)
    return match.group(1).decode() if match else None


def report_fields(token, description="Someone keeps following me after the evening seminar."):
    return [
        ("csrf_token", token),
        ("way", "anonymous"),
        ("role", "student"),
        ("category", "harassment"),
        ("description", description),
        ("two_way", "on"),
    ]
