"""A greeting service. A fixture for cleanroom's tests: depends on hello-cli."""
import argparse
import http.server

import hello_cli

__version__ = "1.0.0"


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = ("Hello from greet-svc %s (hello-cli %s)\n" % (__version__, hello_cli.__version__)).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="greet-svc")
    parser.add_argument("--version", action="store_true")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args(argv)
    if args.version:
        print("greet-svc %s" % __version__)
        return 0
    http.server.HTTPServer(("127.0.0.1", args.port), Handler).serve_forever()
    return 0
