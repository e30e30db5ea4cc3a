"""The instructor's servers as README starts them: scripts/demo.sh and scripts/slides-live.sh
listen where they are told (--Voila.ip for a classroom network), and on 127.0.0.1 otherwise.

The test asks for 127.0.0.2, a loopback address like 127.0.0.1 (tests never listen beyond this
machine), so that "listens where told, not on the default" can be seen; each server is stopped
by the PID this test started.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(host, port):
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((host, port)) == 0


def start(script, *args):
    # This test's environment serves (as an active virtual environment would).
    env = dict(os.environ, VIRTUAL_ENV=sys.prefix,
               PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]))
    return subprocess.Popen(["bash", str(REPO / "scripts" / script), *args, "--no-browser"],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)


def stop(proc):
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)  # the script exec'd Voilà: same PID, own session
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    return proc.stdout.read()


def wait_listening(proc, host, port, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if listening(host, port):
            return True
        time.sleep(0.25)
    return False


@pytest.mark.parametrize(("script", "lesson", "flag"), [
    ("demo.sh", "04", "--Voila.ip=127.0.0.2"),  # as README writes it
    ("slides-live.sh", "ko/04", "--ip=127.0.0.2"),
])
def test_the_ip_flag_chooses_where_the_server_listens(script, lesson, flag):
    port = free_port()
    proc = start(script, lesson, f"--port={port}", flag)
    try:
        up = wait_listening(proc, "127.0.0.2", port)
        assert up, f"{script} {flag} is not listening on 127.0.0.2:{port}"
        assert not listening("127.0.0.1", port), "it listens on 127.0.0.1 as well"
    finally:
        log = stop(proc)
    assert "only accepts one value" not in log, log
    assert f"on 127.0.0.2:{port}" in log, log


def test_without_the_flag_the_demo_listens_on_this_machine_only():
    port = free_port()
    proc = start("demo.sh", "04", f"--port={port}")
    try:
        assert wait_listening(proc, "127.0.0.1", port), "demo.sh did not start"
        assert not listening("127.0.0.2", port)
    finally:
        log = stop(proc)
    assert f"on 127.0.0.1:{port}" in log, log
