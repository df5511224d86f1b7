"""A web server on 127.0.0.1 for the probe and link-checker tests: each path answers as the test says."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class LocalServer:
    """routes: {path: (status, body, delay, allow_head, headers)}: `delay` seconds before the answer, or between
    each of its characters when `trickle` is set (a server that keeps every single read within a timeout)."""

    def __init__(self):
        self.routes = {}
        self.requests = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path):
        return self.base_url + path

    def route(self, path, status=200, body="<html><body>ok</body></html>", delay=0.0, allow_head=True, **headers):
        self.routes[path] = (status, body, delay, allow_head, headers)

    def trickle(self, path, body, delay):
        self.routes[path] = (200, body, delay, True, {"trickle": "1"})

    def _handler(self):
        local = self

        class Handler(BaseHTTPRequestHandler):
            def answer(self, with_body):
                with local.lock:
                    local.requests.append((self.command, self.path))
                self.respond(with_body)

            def respond(self, with_body):
                status, body, delay, allow_head, headers = local.routes.get(self.path, (404, "missing", 0, True, {}))
                trickle = headers.get("trickle")
                if delay and not trickle:
                    time.sleep(delay)
                if self.command == "HEAD" and not allow_head:
                    status, body = 405, ""
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name.replace("_", "-"), value)
                self.end_headers()
                if with_body and trickle:
                    for byte in data:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(delay)
                elif with_body:
                    self.wfile.write(data)

            def do_GET(self):
                self.answer(True)

            def do_HEAD(self):
                self.answer(False)

            def log_message(self, *args):
                pass

        return Handler


@pytest.fixture
def local_server():
    server = LocalServer()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()
