"""The long-running commands (``archiver demo --serve``, ``archiver serve``, ``archiver index
--follow``) stop cleanly on every stop signal, as a user or a service manager sends them:
Ctrl-C to a job a script started in the background (whose shell starts it with SIGINT
ignored), ``kill`` (SIGTERM) and a closed terminal (SIGHUP). Each must end by itself, with its
own exit status (0 for a server asked to stop, the shell's 128 + signal for an interrupted
follower), not be killed by the signal or ignore it."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from .conftest import free_port, start_cli


def catches(pid: int, signum: int) -> bool:
    """Whether process ``pid`` has a handler of its own for ``signum`` (Linux's SigCgt mask)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigCgt:"):
            return bool(int(line.split()[1], 16) >> (signum - 1) & 1)
    return False


def stop_with(process: subprocess.Popen[str], signum: int) -> tuple[int, str]:
    """Send ``signum`` once the command handles it; its exit status and standard error."""
    deadline = time.monotonic() + 60
    while not catches(process.pid, signum):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            _, err = process.communicate(timeout=30)
            pytest.fail(f"the command never handled {signal.Signals(signum).name}: {err[-500:]}")
        time.sleep(0.05)
    process.send_signal(signum)
    try:
        _, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate(timeout=30)
        pytest.fail(f"still running a minute after {signal.Signals(signum).name}")
    return process.returncode, err


def ignoring_sigint() -> None:
    """What a non-interactive shell does to a job it starts in the background with ``&``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def test_demo_server_started_in_the_background_by_a_script_stops_on_ctrl_c() -> None:
    process = start_cli("demo", "--serve", "--articles", "5", "--port", free_port(), preexec_fn=ignoring_sigint)
    status, err = stop_with(process, signal.SIGINT)
    assert status == 0, err


def test_web_server_stops_on_kill_and_closes_its_port(tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    port = free_port()
    process = start_cli("serve", "--data-dir", tmp_path, "--port", port)
    status, err = stop_with(process, signal.SIGTERM)
    assert status == 0, err  # waitress ends its loop and closes its sockets on the interrupt
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))  # the port is free again


def test_index_follower_stops_on_a_hang_up_and_leaves_the_index_usable(tmp_path: Path, redis_port: int) -> None:
    url = f"redis://127.0.0.1:{redis_port}/9"
    process = start_cli("index", "--follow", "--poll", "0.2", "--redis", url, "--data-dir", tmp_path)
    status, err = stop_with(process, signal.SIGHUP)
    assert status == 128 + signal.SIGHUP and "Interrupted." in err, (status, err)
    again = start_cli("index", "--once", "--redis", url, "--data-dir", tmp_path)
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0 and out.startswith("Indexed 0 articles"), (out, err)
