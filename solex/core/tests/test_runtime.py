"""`solex run` and the `solex` command, driven as a user drives them: in a subprocess.

Each test gets its own data directory and port, bounds every wait with a timeout and
kills whatever it started. The server always runs on SQLite in a temporary directory,
whichever database the rest of the suite uses: this is about processes, not engines.
"""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

START_TIMEOUT = 120.0
STOP_TIMEOUT = 45.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def solex_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SOLEX_", "DATABASE_URL", "DJANGO_", "HOST", "PORT"))
    }
    env.update(DJANGO_SETTINGS_MODULE="solex.settings", SOLEX_DATA_DIR=str(data_dir), **extra)
    return env


def solex(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "solex.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


class Server:
    """A running `solex run`, its output collected line by line by a thread."""

    def __init__(self, data_dir: Path, port: int) -> None:
        self.port = port
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "solex.cli", "run", "--port", str(port)],
            env=solex_env(data_dir),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                if self.process.poll() is not None and self.lines.empty():
                    break
                continue
            self.output.append(line)
            if text in line:
                return
        pytest.fail(f"{text!r} never appeared; output so far:\n{self.text}")

    def finish(self, timeout: float = STOP_TIMEOUT) -> int:
        code = self.process.wait(timeout=timeout)
        # The reader ends at end of file, once every process holding the pipe is gone.
        self.reader.join(timeout=timeout)
        while not self.lines.empty():
            self.output.append(self.lines.get())
        return code

    @property
    def text(self) -> str:
        return "".join(self.output)

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()]

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[list[Server]]:
    started: list[Server] = []
    yield started
    for server in started:
        server.kill()


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - local URL
        return response.status, response.read()


def port_is_open(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_run_serves_then_stops_cleanly_on_sigterm_and_reuses_the_database(
    tmp_path: Path, servers: list[Server]
) -> None:
    port = free_port()
    server = Server(tmp_path, port)
    servers.append(server)
    server.wait_for(f"Solex is running at http://127.0.0.1:{port}/")

    status, body = get(f"http://127.0.0.1:{port}/healthz")
    assert (status, body) == (200, b'{"status": "ok"}')
    status, _ = get(f"http://127.0.0.1:{port}/")
    assert status == 200
    assert len(server.children()) == 2  # the web server and the task worker

    server.process.send_signal(signal.SIGTERM)
    assert server.finish() == 0
    assert "Solex stopped." in server.text
    assert "Traceback" not in server.text
    assert not port_is_open(port)

    database = tmp_path / "solex.sqlite3"
    assert database.exists()
    created = solex(
        "createsuperuser",
        "--noinput",
        "--username",
        "host",
        "--email",
        "host@example.org",
        "--name",
        "Host",
        env=solex_env(tmp_path, DJANGO_SUPERUSER_PASSWORD="a-long-passphrase"),
    )
    assert created.returncode == 0, created.stderr

    again = Server(tmp_path, port)
    servers.append(again)
    again.wait_for("Solex is running at")
    assert "no accounts" not in again.text and "loading the demo" not in again.text
    again.process.send_signal(signal.SIGINT)
    assert again.finish() == 0


def test_run_stops_the_server_and_fails_when_the_worker_dies(
    tmp_path: Path, servers: list[Server]
) -> None:
    port = free_port()
    server = Server(tmp_path, port)
    servers.append(server)
    server.wait_for("Solex is running at")
    web, worker = server.children()

    os.kill(worker, signal.SIGKILL)

    assert server.finish() == 1
    assert "the task worker stopped unexpectedly (exit code -9)" in server.text
    assert "Traceback" not in server.text, server.text
    assert not port_is_open(port)
    with pytest.raises(ProcessLookupError):
        os.kill(web, 0)


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_port_in_use_is_one_clear_line(tmp_path: Path) -> None:
    with socket.socket() as other_server:
        other_server.bind(("127.0.0.1", 0))
        other_server.listen()
        port = other_server.getsockname()[1]
        result = solex("run", "--port", str(port), env=solex_env(tmp_path))

    assert one_line_error(result) == (
        f"CommandError: port {port} is in use; stop the other server or run "
        f"`make run PORT={port + 1}`"
    )
    assert "Applying migrations" not in result.stdout  # failed before touching anything


def test_unsupported_database_url_is_one_clear_line(tmp_path: Path) -> None:
    result = solex(
        "run", "--port", str(free_port()), env=solex_env(tmp_path, DATABASE_URL="mysql://u@h/db")
    )

    assert result.returncode == 2
    assert one_line_error(result).startswith("solex: configuration error: DATABASE_URL names")


def test_unreachable_database_is_one_clear_line(tmp_path: Path) -> None:
    url = f"postgres://solex:wrong@127.0.0.1:{free_port()}/solex"
    result = solex("run", "--port", str(free_port()), env=solex_env(tmp_path, DATABASE_URL=url))

    assert result.returncode == 2
    line = one_line_error(result)
    assert line.startswith("solex: cannot use the database:")
    assert "DATABASE_URL" in line


def test_database_file_that_cannot_be_opened_is_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / "solex.sqlite3").mkdir()  # a directory where the database file should be

    result = solex("run", "--port", str(free_port()), env=solex_env(tmp_path))

    assert result.returncode == 2
    assert one_line_error(result) == (
        "solex: cannot use the database: unable to open database file "
        "(check DATABASE_URL or SOLEX_DATA_DIR)"
    )


def test_database_without_its_tables_says_to_migrate(tmp_path: Path) -> None:
    result = solex("changepassword", "nobody", env=solex_env(tmp_path))

    assert result.returncode == 2
    line = one_line_error(result)
    assert line.startswith("solex: cannot use the database:")
    assert line.endswith("(run `solex migrate` first)")


def test_data_directory_that_is_a_file_is_one_clear_line(tmp_path: Path) -> None:
    not_a_directory = tmp_path / "data"
    not_a_directory.write_text("")

    result = solex("migrate", env=solex_env(not_a_directory))

    assert result.returncode == 2
    assert one_line_error(result).startswith(f"solex: cannot use {not_a_directory}")


def test_other_errors_still_show_their_traceback(tmp_path: Path) -> None:
    result = solex("run", "--port", "0", env=solex_env(tmp_path))
    assert one_line_error(result) == "CommandError: port 0 is not a port number (1-65535)"

    result = solex("shell", "-c", "open('/nonexistent/file')", env=solex_env(tmp_path))
    assert result.returncode != 0
    assert "Traceback" in result.stderr  # a bug in code is not disguised as a setup problem


def test_production_without_a_secret_key_is_one_clear_line(tmp_path: Path) -> None:
    result = solex("check", env=solex_env(tmp_path, SOLEX_PRODUCTION="1"))

    assert result.returncode == 2
    line = one_line_error(result)
    assert line.startswith("solex: configuration error: SOLEX_SECRET_KEY is not set.")


def test_production_settings_pass_the_deployment_checks(tmp_path: Path) -> None:
    # An email server is part of a production configuration: without one Django's
    # mail.E001 check rightly fails, since Solex could send no mail.
    env = solex_env(
        tmp_path,
        SOLEX_PRODUCTION="1",
        SOLEX_SECRET_KEY="k7-" + "x9Lq2vR8mN4pT6wY1zB3cD5fG7hJ0kM2nP4rS6tV8xZ" * 2,
        SOLEX_BASE_URL="https://cop.example.org",
        SOLEX_EMAIL_HOST="smtp.example.org",
    )

    result = solex("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
