"""Traffic for the nginx part of make_logs.sh: a flaky upstream and a client mix.

  python3 http_traffic.py backend PORT          # upstream that is sometimes slow, sometimes errors
  python3 http_traffic.py client URL SECONDS SEED  # requests over a mix of paths, methods, agents

Both stop by themselves (the client after SECONDS, the backend when killed); all traffic is to loopback.
"""
import random, sys, time, threading, urllib.request, urllib.error
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

AGENTS = ["curl/7.88.1", "Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0",
          "python-requests/2.31.0", "Go-http-client/1.1", "kube-probe/1.29", "Prometheus/2.45.0",
          "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36",
          "okhttp/4.12.0", "Apache-HttpClient/4.5.14 (Java/17.0.9)"]
STATIC = ["/", "/index.html", "/static/app.js", "/static/style.css", "/docs/guide.html", "/favicon.ico",
          "/images/logo.png", "/robots.txt"]
MISSING = ["/wp-login.php", "/.env", "/admin/config.php", "/static/old.js", "/cgi-bin/test.cgi",
           "/api/../../etc/passwd", "/phpmyadmin/", "/docs/missing.html"]


class Backend(BaseHTTPRequestHandler):
    def _reply(self):
        r = random.random()
        if "/slow" in self.path or r < 0.03:
            time.sleep(random.choice([0.5, 1.5, 3.5]))   # past nginx's 2 s read timeout sometimes
        if "/fail" in self.path or r > 0.97:
            self.send_response(random.choice([500, 503]))
            self.end_headers(); self.wfile.write(b'{"error":"internal"}'); return
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        body = ('{"id":%d,"status":"ok","items":%d}' % (random.randint(1, 99999), random.randint(0, 50))).encode()
        self.send_response(200); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = _reply

    def log_message(self, fmt, *args):
        sys.stderr.write("backend %s - %s\n" % (self.address_string(), fmt % args))


def client(base, seconds, seed):
    rng = random.Random(seed)
    end = time.time() + seconds
    n = 0
    def one():
        kind = rng.random()
        method, data = "GET", None
        if kind < 0.45:
            path = rng.choice(STATIC)
        elif kind < 0.85:
            res = rng.choice(["users", "orders", "items", "sessions", "metrics"])
            path = "/api/v1/%s/%d" % (res, rng.randint(1, 5000))
            if rng.random() < 0.3:
                method, data = rng.choice(["POST", "PUT"]), b'{"name":"x","qty":%d}' % rng.randint(1, 9)
            elif rng.random() < 0.05:
                method = "DELETE"
            if rng.random() < 0.02:
                path = "/api/v1/slow/%d" % rng.randint(1, 99)
            if rng.random() < 0.02:
                path = "/api/v1/fail/%d" % rng.randint(1, 99)
        elif kind < 0.93:
            path = rng.choice(MISSING)
        elif kind < 0.97:
            path = "/upload"
            method, data = "POST", b"x" * rng.choice([100, 2000, 300000])   # over client_max_body_size
        else:
            path = "/limited/%d" % rng.randint(1, 10)
        if rng.random() < 0.2:
            path += "?q=%s&page=%d" % (rng.choice(["alpha", "beta", "error", "timeout"]), rng.randint(1, 40))
        req = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"User-Agent": rng.choice(AGENTS)})
        try:
            urllib.request.urlopen(req, timeout=5).read()
        except (urllib.error.URLError, OSError, ValueError):
            pass
    while time.time() < end:
        burst = rng.choice([1, 1, 1, 2, 5, 20])
        for _ in range(burst):
            one(); n += 1
        time.sleep(rng.expovariate(40.0))
    print("client sent", n, "requests", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "backend":
        ThreadingHTTPServer(("127.0.0.1", int(sys.argv[2])), Backend).serve_forever()
    else:
        client(sys.argv[2], float(sys.argv[3]), int(sys.argv[4]))
