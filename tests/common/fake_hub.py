#!/usr/bin/env python3
"""Fake Hugging Face Hub / npm registry / GitHub server for the model-download tests.

Usage: fake_hub.py --spec SPEC.json --port-file PORTFILE [--parent-pid PID]
Listens on 127.0.0.1 only (ephemeral port, written atomically to PORTFILE), HTTP/1.1 keep-alive,
always a Content-Length. SPEC.json (layout: tests/common/fake_hub.h) is re-read on every request.
Exits on SIGTERM/SIGINT and within ~0.2 s of PID's death. Routes (GET and HEAD; %-escapes decoded):
  /{org}/{name}/resolve/{rev}/{path}  Hub file; rev: "main", the commit or one of the repo's optional
      "revisions". Errors as huggingface.co (X-Error-Code/-Message): unknown repo 401 RepoNotFound;
      gated repo, no Bearer token 401 / wrong one 403 GatedRepo; 404 RevisionNotFound / EntryNotFound.
      Non-LFS: 200, ETag "<git blob sha1>". LFS: 302 to http://localhost:{port}/cdn/{sha256} with
      X-Linked-Etag, ETag "<sha256>", X-Linked-Size. Successful answers carry X-Repo-Commit.
  /cdn/{sha256}                       LFS content; 400 if an Authorization header came along.
  /[@scope/]{pkg}/-/{pkg}-{ver}.tgz   npm tarball; unknown: 404 {"error":"Not found"}.
  /{owner}/{repo}/raw/{commit}/{path} 302 to http://localhost:{port}/raw-cdn/{owner}/{repo}/{commit}/{path}
  /raw-cdn/{owner}/{repo}/{commit}/{path}  GitHub content. Unknown (either): 404 "404: Not Found".
Content has Accept-Ranges: bytes; Range bytes=N-, N-M, -N give 206 (start >= size: 416 with
Content-Range: bytes */size); other Range forms are ignored (200).

Faults (spec "faults"), keyed by the content's SHA-256 hex or the request path (no query), apply to
GETs that send content (/cdn, /raw-cdn, npm tarballs, non-LFS Hub files):
  status_once {key: [503, 429]}  the first GETs get these statuses, empty body, Retry-After: 0 on 429/503
  drop_once {key: n}             then the next GET announces its full length, sends min(n, length-1)
                                 bytes and closes the connection
  corrupt [key]                  the byte at offset size//2 of the file is XOR 0xFF (in any range)
  slow {key: bytes_per_second}   the body is paced to that rate
  ignore_range [key]             Range headers are ignored: always 200 with the whole file (as some
                                 mirrors do)
The once-counters start afresh whenever the "faults" object changes.

Each request appends a JSON line {method, path, range, auth, status, bytes_sent, host} to
<dir of SPEC>/requests.log before the answer's last byte is sent, so a client holding the whole
answer finds its line there.
"""
import argparse
import hashlib
import json
import os
import re
import signal
import socketserver
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote, unquote, urlsplit

CHUNK = 64 * 1024
_hashes = {}  # (path, mtime_ns, size) -> (sha256 hex, git blob sha1 hex)
_fault_lock, _log_lock = threading.Lock(), threading.Lock()
_fault_state = {"faults": None, "status_used": {}, "dropped": set()}


def file_hashes(path):
    st = os.stat(path)
    key = (path, st.st_mtime_ns, st.st_size)
    if key not in _hashes:
        sha256, sha1 = hashlib.sha256(), hashlib.sha1(b"blob %d\0" % st.st_size)
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(CHUNK), b""):
                sha256.update(chunk)
                sha1.update(chunk)
        _hashes[key] = (sha256.hexdigest(), sha1.hexdigest())
    return _hashes[key]


def parse_range(value, size):
    """(start, end) of a single byte range, "unsatisfiable", or None (serve the whole file)."""
    m = re.fullmatch(r"\s*bytes=(\d*)-(\d*)\s*", value or "")
    if not m or m.group(1) == m.group(2) == "":
        return None
    if m.group(1) == "":  # suffix range: the last N bytes
        n = int(m.group(2))
        return (max(size - n, 0), size - 1) if n and size else "unsatisfiable"
    start = int(m.group(1))
    end = min(int(m.group(2)), size - 1) if m.group(2) else size - 1
    if start >= size:
        return "unsatisfiable"
    return (start, end) if end >= start else None


def take_faults(spec, keys):
    """The faults for one content GET, consuming the once-faults."""
    faults = spec.get("faults") or {}
    pick = lambda table: next((k for k in keys if k in (table or {})), None)  # noqa: E731
    with _fault_lock:
        canon = json.dumps(faults, sort_keys=True)
        if canon != _fault_state["faults"]:
            _fault_state.update(faults=canon, status_used={}, dropped=set())
        k = pick(faults.get("status_once"))
        if k is not None:
            used = _fault_state["status_used"].get(k, 0)
            if used < len(faults["status_once"][k]):
                _fault_state["status_used"][k] = used + 1
                return {"status": int(faults["status_once"][k][used])}
        drop, k = None, pick(faults.get("drop_once"))
        if k is not None and k not in _fault_state["dropped"]:
            _fault_state["dropped"].add(k)
            drop = int(faults["drop_once"][k])
    k = pick(faults.get("slow"))
    return {"drop": drop, "corrupt": pick(faults.get("corrupt", [])) is not None,
            "slow": float(faults["slow"][k]) if k is not None else 0.0}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 60  # idle keep-alive connections are closed after this
    spec_path = log_path = None

    def log_message(self, fmt, *args):  # no per-request noise on stderr
        pass

    def do_GET(self):
        self.status, self.sent, self.logged = 0, 0, False
        try:
            try:
                with open(self.spec_path) as f:
                    spec = json.load(f)
            except (OSError, ValueError) as e:
                return self.reply(500, body=f"fake_hub: bad spec: {e}\n".encode())
            self.route(spec)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True
        except Exception:  # a bad spec entry (missing file...): 500 when nothing was sent yet
            traceback.print_exc()
            self.close_connection = True
            if self.status == 0:
                self._headers_buffer = []
                self.reply(500, body=b"fake_hub: internal error\n")
        finally:
            self.log(self.sent)  # no-op when the answer was already logged

    do_HEAD = do_GET

    # --- response helpers ---------------------------------------------------------------------
    def log(self, sent):
        if self.logged:
            return
        self.logged = True
        rec = {"method": self.command, "path": self.path, "range": self.headers.get("Range"),
               "auth": "Authorization" in self.headers, "status": self.status,
               "bytes_sent": sent, "host": self.headers.get("Host")}
        with _log_lock, open(self.log_path, "a") as f:
            f.write(json.dumps(rec) + "\n")

    def start(self, status, headers, length):
        self.status = status
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, str(v))
        self.send_header("Content-Length", str(length))

    def reply(self, status, headers=None, body=b""):
        self.start(status, headers or {}, len(body))
        if self.command == "HEAD" or not body:
            self.log(0)
            self.end_headers()
        else:
            self.end_headers()
            self.log(len(body))
            self.wfile.write(body)

    def redirect(self, path, headers=None):
        port = self.server.server_address[1]
        self.reply(302, dict(headers or {}, Location=f"http://localhost:{port}{quote(path)}"))

    def serve_content(self, spec, path, headers):
        size, sha = os.path.getsize(path), file_hashes(path)[0]
        headers = dict(headers, **{"Accept-Ranges": "bytes", "Content-Type": "application/octet-stream"})
        ignore = any(k in ((spec.get("faults") or {}).get("ignore_range") or []) for k in (sha, urlsplit(self.path).path))
        rng = None if ignore else parse_range(self.headers.get("Range"), size)
        if rng == "unsatisfiable":
            return self.reply(416, dict(headers, **{"Content-Range": f"bytes */{size}"}))
        start, end, status = 0, size - 1, 200
        if rng:
            (start, end), status = rng, 206
            headers["Content-Range"] = f"bytes {start}-{end}/{size}"
        faults = take_faults(spec, (sha, urlsplit(self.path).path)) if self.command == "GET" else {}
        if "status" in faults:
            s = faults["status"]
            return self.reply(s, {"Retry-After": "0"} if s in (429, 503) else {})
        length = end - start + 1
        self.start(status, headers, length)
        drop = faults.get("drop")
        limit = 0 if self.command == "HEAD" else length if drop is None else min(drop, max(length - 1, 0))
        if drop is not None:
            self.close_connection = True
        if limit == 0:
            self.log(0)
            return self.end_headers()
        self.end_headers()
        mid = size // 2 if faults.get("corrupt") else -1
        rate = faults.get("slow", 0.0)
        chunk = max(1, min(CHUNK, int(rate) // 20)) if rate else CHUNK
        t0 = time.monotonic()
        with open(path, "rb") as f:
            f.seek(start)
            while self.sent < limit:
                data = bytearray(f.read(min(chunk, limit - self.sent)))
                if not data:  # the file shrank under us
                    self.close_connection = True
                    return
                off = start + self.sent
                if off <= mid < off + len(data):
                    data[mid - off] ^= 0xFF
                if rate:
                    time.sleep(max(0.0, t0 + (self.sent + len(data)) / rate - time.monotonic()))
                if self.sent + len(data) >= limit:
                    self.log(limit)
                self.wfile.write(data)
                self.sent += len(data)

    # --- routes -------------------------------------------------------------------------------
    def route(self, spec):
        raw = urlsplit(self.path).path
        segs = [unquote(s) for s in raw.split("/")[1:]]
        if len(segs) == 2 and segs[0] == "cdn":
            return self.cdn(spec, segs[1])
        if len(segs) >= 5 and segs[0] == "raw-cdn":
            return self.github(spec, segs[1], segs[2], segs[3], "/".join(segs[4:]), True)
        if len(segs) >= 5 and segs[2] == "resolve":
            return self.hub(spec, segs[0] + "/" + segs[1], segs[3], "/".join(segs[4:]))
        if len(segs) >= 5 and segs[2] == "raw":
            return self.github(spec, segs[0], segs[1], segs[3], "/".join(segs[4:]), False)
        m = re.fullmatch(r"/((?:@[^/]+/)?([^/@]+))/-/([^/]+)\.tgz", unquote(raw))
        if m:
            name, base, stem = m.groups()
            versions = (spec.get("npm") or {}).get(name) or {}
            f = versions.get(stem[len(base) + 1:]) if stem.startswith(base + "-") else None
            if f:
                return self.serve_content(spec, f, {})
            return self.reply(404, {"Content-Type": "application/json"}, b'{"error":"Not found"}')
        return self.reply(404, {"Content-Type": "text/plain"}, b"Not Found")

    def hub_error(self, status, code, message, headers=None):
        body = json.dumps({"error": message}).encode()
        self.reply(status, dict(headers or {}, **{"Content-Type": "application/json", "X-Error-Code": code,
                                                  "X-Error-Message": message}), body)

    def hub(self, spec, repo_id, rev, fpath):
        repo = (spec.get("hf") or {}).get(repo_id)
        if repo is None:
            return self.hub_error(401, "RepoNotFound", "Repository not found")
        if repo.get("gated"):
            auth = self.headers.get("Authorization", "")
            if not auth.startswith("Bearer "):
                return self.hub_error(401, "GatedRepo", f"Access to model {repo_id} is restricted. You must have "
                                      "access to it and be authenticated to access it. Please log in.")
            if auth[len("Bearer "):].strip() != spec.get("token"):
                return self.hub_error(403, "GatedRepo", f"Access to model {repo_id} is restricted and you are "
                                      "not in the authorized list. Visit "
                                      f"https://huggingface.co/{repo_id} to ask for access.")
        commit = repo["commit"]
        if rev not in ("main", commit, *repo.get("revisions", [])):
            return self.hub_error(404, "RevisionNotFound", f"Invalid rev id: {rev}")
        entry = (repo.get("files") or {}).get(fpath)
        if entry is None:
            return self.hub_error(404, "EntryNotFound", f'{fpath} does not exist on "{rev}"',
                                  {"X-Repo-Commit": commit})
        sha256, sha1 = file_hashes(entry["file"])
        if entry.get("lfs"):
            return self.redirect(f"/cdn/{sha256}", {
                "X-Repo-Commit": commit, "X-Linked-Etag": f'"{sha256}"', "ETag": f'"{sha256}"',
                "X-Linked-Size": os.path.getsize(entry["file"])})
        return self.serve_content(spec, entry["file"], {"X-Repo-Commit": commit, "ETag": f'"{sha1}"'})

    def cdn(self, spec, sha):
        if "Authorization" in self.headers:
            print(f"fake_hub: authorization leaked to the CDN: {self.command} {self.path}", file=sys.stderr, flush=True)
            return self.reply(400, {"Content-Type": "text/plain"}, b"authorization leaked to the CDN")
        for repo in (spec.get("hf") or {}).values():
            for entry in (repo.get("files") or {}).values():
                if entry.get("lfs") and file_hashes(entry["file"])[0] == sha:
                    return self.serve_content(spec, entry["file"], {"ETag": f'"{sha}"'})
        return self.reply(404, {"Content-Type": "text/plain"}, b"Not Found")

    def github(self, spec, owner, repo, commit, fpath, is_cdn):
        f = (((spec.get("github") or {}).get(f"{owner}/{repo}") or {}).get(commit) or {}).get(fpath)
        if f is None:
            return self.reply(404, {"Content-Type": "text/plain"}, b"404: Not Found")
        if not is_cdn:
            return self.redirect(f"/raw-cdn/{owner}/{repo}/{commit}/{fpath}")
        return self.serve_content(spec, f, {})


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def server_bind(self):  # HTTPServer's would do a reverse DNS lookup
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def watchdog(pid):
    ppid = os.getppid()
    while True:
        time.sleep(0.2)
        try:
            os.kill(pid, 0)
            with open(f"/proc/{pid}/stat") as f:  # a zombie that nobody reaps yet counts as gone
                gone = f.read().rpartition(")")[2].split()[0] in "ZX"
        except ProcessLookupError:
            gone = True
        except OSError:  # no permission, or no /proc
            gone = False
        if gone or (pid == ppid and os.getppid() != ppid):  # reparented: the parent is gone
            os._exit(0)


def main():
    ap = argparse.ArgumentParser(description="Fake Hugging Face Hub / npm / GitHub server for tests.")
    ap.add_argument("--spec", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--parent-pid", type=int)
    args = ap.parse_args()
    Handler.spec_path = os.path.abspath(args.spec)
    Handler.log_path = os.path.join(os.path.dirname(Handler.spec_path), "requests.log")

    def stop(signum, frame):
        raise SystemExit(0)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if args.parent_pid:
        threading.Thread(target=watchdog, args=(args.parent_pid,), daemon=True).start()
    server = Server(("127.0.0.1", 0), Handler)
    try:
        with open(args.port_file + ".tmp", "w") as f:
            f.write(f"{server.server_address[1]}\n")
        os.replace(args.port_file + ".tmp", args.port_file)
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
