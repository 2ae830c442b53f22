"""Operations from outside, against real server processes (issue 9): a clean stop under load, command-line
refusals without a crash, and the HTTP-level protections that only a real socket shows (body limits,
headers behind a TLS proxy, header injection at login).

The server binary comes from WIJKWERK_BIN (set by scripts/test); tests that need their own server start it
on a free port with a fresh data folder and stop it themselves.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest
import requests

BIN = os.environ.get("WIJKWERK_BIN", "")
needs_bin = pytest.mark.skipif(not BIN or not Path(BIN).exists(), reason="WIJKWERK_BIN not set (run through scripts/test)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def command_env(data_dir: str, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(WIJKWERK_DATA_DIR=data_dir, WIJKWERK_DEMO_SIGNALS="0", WIJKWERK_SCHEDULER="true", LOG_LEVEL="info")
    env.update(extra)
    return env


def start_server(data_dir: str, port: int, log_path: Path) -> subprocess.Popen:
    log = open(log_path, "ab")
    proc = subprocess.Popen([BIN, "serve", "--hostname", "127.0.0.1", "--port", str(port)], env=command_env(data_dir),
                            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited with {proc.returncode}: {log_path.read_text()[-2000:]}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return proc
        except requests.RequestException:
            pass
        time.sleep(0.3)
    proc.kill()
    raise AssertionError("server did not become healthy")


@needs_bin
def test_sigterm_under_load_drains_requests_and_frees_the_port(tmp_path):
    data = tempfile.mkdtemp(prefix="wijkwerk-stop-")
    port = free_port()
    log_path = tmp_path / "server.log"
    proc = start_server(data, port, log_path)
    base = f"http://127.0.0.1:{port}"
    paths = ["/gemeenten/oss/gebieden/ruwaard", "/gemeenten/oss", "/api/v1/areas?municipality=GM0828", "/gemeenten/oss/adviezen"]
    results: list[tuple[str, int, bool]] = []
    lock = threading.Lock()
    stop = threading.Event()

    def load(worker: int) -> None:
        session = requests.Session()
        i = 0
        while not stop.is_set() and i < 2000:
            path = paths[(worker + i) % len(paths)]
            i += 1
            try:
                r = session.get(base + path, timeout=15)
            except requests.RequestException as error:
                text = repr(error)
                if "IncompleteRead" in text or "Connection broken" in text or isinstance(error, requests.exceptions.ChunkedEncodingError):
                    with lock:
                        results.append((path, -1, False))  # an answer cut off half-way
                continue  # refused or closed before an answer began, once the server stopped listening
            body = r.text
            complete = (r.status_code == 503) or (r.status_code == 200 and (body.rstrip().endswith("</html>") or body.rstrip().endswith("}") or body.rstrip().endswith("]")))
            if r.headers.get("content-length"):
                complete = complete and len(r.content) == int(r.headers["content-length"])
            with lock:
                results.append((path, r.status_code, complete))

    threads = [threading.Thread(target=load, args=(w,), daemon=True) for w in range(16)]
    for t in threads:
        t.start()
    time.sleep(3)
    answered_before = len(results)
    proc.send_signal(signal.SIGTERM)
    try:
        code = proc.wait(timeout=40)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=20)
    log = log_path.read_text(errors="replace")
    assert answered_before > 20, "the load ran before the stop"
    assert code == 0, f"exit status {code}; log tail:\n{log[-3000:]}"
    for marker in ("Fatal error", "Unexpectedly found nil", "Backtrace", "Crash"):
        assert marker not in log, f"{marker!r} in the log:\n{log[-3000:]}"
    incomplete = [r for r in results if not r[2]]
    assert not incomplete, f"answers that were cut off or wrong: {incomplete[:5]}"
    assert "every request finished" in log or "still running" not in log
    # The port is free at once: a new server binds it.
    again = start_server(data, port, tmp_path / "server2.log")
    try:
        assert requests.get(f"http://127.0.0.1:{port}/gemeenten/oss", timeout=10).status_code == 200
    finally:
        again.send_signal(signal.SIGTERM)
        assert again.wait(timeout=40) == 0


@needs_bin
@pytest.mark.parametrize("args, wanted", [
    (["user", "create", "--email", "wethouder@oss.test", "--role", "executive"], "municipality"),
    (["user", "create", "--email", "beheer2@oss.test", "--role", "admin", "--password", "aaaaaaaaaaaaaaaa"], "password"),
    (["user", "create", "--email", "beheer3@oss.test", "--role", "admin", "--password", "wachtwoord2026"], "password"),
    (["user", "create", "--email", "niet-goed", "--role", "admin"], "email"),
    (["user", "create", "--email", "x@oss.test", "--role", "koning"], "role"),
    (["jobs", "run", "--now", "gisteren"], "--now"),
    (["open311-key", "create", "--municipality", "GM9999", "--name", "x"], "municipality"),
])
def test_commands_refuse_with_one_line_and_exit_status(args, wanted):
    data = tempfile.mkdtemp(prefix="wijkwerk-cli-")
    proc = subprocess.run([BIN, *args], env=command_env(data, WIJKWERK_DEMO="false", LOG_LEVEL="error"), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode in (1, 2), f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    output = proc.stdout + proc.stderr
    for marker in ("Fatal error", "Illegal instruction", "Backtrace", "Error raised at top level"):
        assert marker not in output, output
    assert wanted in output.lower() or wanted in output, output
    assert len([line for line in proc.stderr.splitlines() if line.strip()]) <= 3, proc.stderr


def test_open311_body_over_the_limit_gets_an_open311_error(base_url):
    body = "jurisdiction_id=oss.nl&service_code=bestrating&description=" + "a" * (9 * 1024 * 1024)
    r = requests.post(f"{base_url}/open311/v2/requests.xml", data=body,
                      headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=60)
    assert r.status_code == 413
    assert r.headers["content-type"].startswith("text/xml")
    assert "<errors>" in r.text and "<code>413</code>" in r.text


def test_behind_a_tls_proxy_cookies_are_secure_and_hsts_is_sent(base_url):
    r = requests.get(f"{base_url}/inloggen", headers={"X-Forwarded-Proto": "https"}, timeout=10)
    assert "max-age=31536000" in r.headers.get("Strict-Transport-Security", "")
    assert "Secure" in r.headers.get("Set-Cookie", "")
    plain = requests.get(f"{base_url}/inloggen", timeout=10)
    assert "Strict-Transport-Security" not in plain.headers
    assert "Secure" not in plain.headers.get("Set-Cookie", "")


def test_login_return_value_cannot_inject_headers(base_url, admin_email, admin_password):
    session = requests.Session()
    page = session.get(f"{base_url}/inloggen", timeout=10).text
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    for terug in ["/\r\nSet-Cookie: injected=1; Path=/", "/\t/evil.example/", "//evil.example/"]:
        r = session.post(f"{base_url}/inloggen", data={"csrf": token, "email": "niemand@example.org", "password": "iets-iets-iets-1",
                                                          "terug": terug}, allow_redirects=False, timeout=10)
        assert "injected" not in r.headers.get("Set-Cookie", "")
        assert "evil.example" not in r.headers.get("Location", "")
    # And with a real login the return value falls back to the start page.
    page = session.get(f"{base_url}/inloggen", timeout=10).text
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    r = session.post(f"{base_url}/inloggen", data={"csrf": token, "email": admin_email, "password": admin_password,
                                                      "terug": "/\r\nSet-Cookie: injected=1; Path=/"}, allow_redirects=False, timeout=10)
    assert r.status_code == 303
    assert r.headers["Location"] == "/werk", "the start page after login: Mijn werk"
    assert "injected" not in r.headers.get("Set-Cookie", "")
