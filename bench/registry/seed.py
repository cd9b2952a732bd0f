#!/usr/bin/env python3
"""Seeds a running synapse-registry with N packages over HTTP and reports publish latency."""
import gzip, hashlib, http.client, io, json, sys, tarfile, threading, time, uuid

base, count, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 4
host, port = base.split("//")[1].split(":")
words = ["http", "json", "net", "async", "parse", "cli", "log", "test", "crypto", "db", "cache", "web", "xml", "time", "math"]

def request(conn, method, path, body=None, headers=None):
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    return response.status, response.read()

def tarball(name, version, i):
    manifest = (f'[package]\nname = "{name}"\nversion = "{version}"\nlicense = "MIT"\n'
                f'description = "Package {i} for {words[i % len(words)]} and {words[(i * 7) % len(words)]}"\n'
                f'keywords = ["{words[i % len(words)]}", "{words[(i * 3) % len(words)]}"]\n')
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path, data in [("synapse.toml", manifest.encode()), ("src/lib.syn", f"// {name}\n".encode() * 20)]:
            info = tarfile.TarInfo(path); info.size = len(data); info.mtime = 0
            tar.addfile(info, io.BytesIO(data))
    return gzip.compress(raw.getvalue(), mtime=0)

def multipart(data):
    boundary = uuid.uuid4().hex
    sha = hashlib.sha256(data).hexdigest()
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"sha256\"\r\n\r\n{sha}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"tarball\"; filename=\"p.tgz\"\r\nContent-Type: application/gzip\r\n\r\n").encode() \
        + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"

conn = http.client.HTTPConnection(host, int(port))
status, body = request(conn, "POST", "/api/v1/auth/register",
                       json.dumps({"username": "bench", "email": "bench@example.org", "password": "bench password"}),
                       {"Content-Type": "application/json"})
if status == 409:
    status, body = request(conn, "POST", "/api/v1/auth/login", json.dumps({"username": "bench", "password": "bench password"}),
                           {"Content-Type": "application/json"})
token = json.loads(body)["token"]

latencies, failures, lock = [], [], threading.Lock()
def worker(start):
    c = http.client.HTTPConnection(host, int(port))
    for i in range(start, count, threads):
        body, content_type = multipart(tarball(f"pkg-{i:05d}", "1.0.0", i))
        t0 = time.perf_counter()
        status, text = request(c, "POST", "/api/v1/packages", body, {"Authorization": f"Bearer {token}", "Content-Type": content_type})
        elapsed = time.perf_counter() - t0
        with lock:
            (latencies if status == 201 else failures).append(elapsed if status == 201 else (status, text[:200]))

t0 = time.perf_counter()
workers = [threading.Thread(target=worker, args=(s,)) for s in range(threads)]
[w.start() for w in workers]; [w.join() for w in workers]
total = time.perf_counter() - t0
latencies.sort()
pct = lambda p: latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000 if latencies else float("nan")
print(json.dumps({"published": len(latencies), "failed": len(failures), "seconds": round(total, 1),
                  "req_per_s": round(len(latencies) / total, 1), "p50_ms": round(pct(0.50), 1), "p99_ms": round(pct(0.99), 1),
                  "first_failure": str(failures[0]) if failures else None, "sample_tarball": "pkg-00000 1.0.0"}))
