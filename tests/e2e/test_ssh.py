"""A real SSH login: OpenSSH's sshd on a loopback port puts an adviser straight into the app.

The sshd configuration is the operator's own Match block from
deploy/sshd_tellus.conf (only its group and ForceCommand paths are swapped
for throwaway ones), under a generated server config: a throwaway host key,
key authentication only, one throwaway Unix user in a throwaway group. The
adviser connects with ``ssh -tt`` inside tmux, signs in to the TUI, opens a
case, replies and quits; the reply is in the database afterwards. Asking for
a shell command still gets the TUI, and port forwarding is refused.

Needs root (to create the user), sshd, ssh, ssh-keygen and tmux; skips
saying why outside CI, fails in CI.
"""

import os
import pathlib
import re
import shutil
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
import uuid

import pytest

from bench.spawn import stop_process
from store import open_database
from store.advisers import create_adviser
from store.advisers import sign_in as sign_in_adviser
from store.conversation import thread
from store.models import Message, database

from ..conftest import require_tool
from ..helpers import submit
from ..tui.support import PASSWORD
from .tmux import pane, sign_in, tmux, wait_pane

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEPLOY_SSHD = ROOT / "deploy" / "sshd_tellus.conf"
SSHD = "/usr/sbin/sshd"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


FORWARD_REFUSED = "refused local port forward"  # what sshd logs when it turns a forward away


def wait_until(condition, timeout, what, shown=lambda: ""):
    """The condition's first true value, polled until ``timeout`` seconds have passed."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting until {what}\n{shown()}")
        time.sleep(0.1)
    return value


def connect(port):
    """A connection to a loopback port, or None while nothing listens there."""
    try:
        return socket.create_connection(("127.0.0.1", port), timeout=1)
    except OSError:
        return None


def run(*args, **kw):
    return subprocess.run(list(args), capture_output=True, text=True, **kw)


def missing():
    if os.geteuid() != 0:
        return "the SSH test creates a throwaway Unix user, which needs root"
    for tool in (SSHD, "ssh", "ssh-keygen", "tmux", "useradd", "groupadd", "runuser"):
        if not shutil.which(tool):
            return f"{tool} is not installed (apt-get install openssh-server openssh-client tmux)"
    return None


def interpreter_for(user, home):
    """A command prefix that runs this checkout's `python -m tellus` as ``user``.

    The venv's interpreter when the user can run it; otherwise (a venv over an
    interpreter in root's home, as pyenv makes) the system Python of the same
    version over the venv's packages and this checkout.
    """
    if run("runuser", "-u", user, "--", sys.executable, "-c", "import tellus", cwd=home).returncode == 0:
        return sys.executable
    system = f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}"
    path = f"{ROOT}:{sysconfig.get_paths()['purelib']}"
    prefix = f"/usr/bin/env PYTHONPATH={path} {system}"
    probe = run(
        "runuser",
        "-u",
        user,
        "--",
        "/usr/bin/env",
        f"PYTHONPATH={path}",
        system,
        "-c",
        "import tellus, argon2",
        cwd=home,
    )
    if probe.returncode != 0:
        require_tool(f"no Python that the throwaway user can run with this checkout: {probe.stderr.strip()[-200:]}")
    return prefix


@pytest.fixture
def ssh_server():
    reason = missing()
    if reason:
        require_tool(reason)
    tag = uuid.uuid4().hex[:6]
    user, group = f"tellus-ssh-{tag}", f"tellus-adv-{tag}"
    home = pathlib.Path(tempfile.mkdtemp(prefix="tellus-ssh-home-"))
    etc = pathlib.Path(tempfile.mkdtemp(prefix="tellus-sshd-"))
    assert run("groupadd", group).returncode == 0
    made = run("useradd", "-M", "-d", str(home), "-s", "/bin/sh", "-g", group, user)
    assert made.returncode == 0, made.stderr
    run("usermod", "-p", "*", user)  # no password, but not "locked" (sshd refuses locked accounts)
    proc = None
    try:
        # Keys: the server's throwaway host key, the adviser's key.
        assert run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(etc / "host_key")).returncode == 0
        assert run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(etc / "client_key")).returncode == 0
        (home / ".ssh").mkdir(mode=0o700)
        shutil.copy(etc / "client_key.pub", home / ".ssh" / "authorized_keys")
        # The database the app will use, writable by the adviser's account (file and folder: WAL).
        data = home / "data"
        data.mkdir()
        db_path = data / "tellus.db"
        db = open_database(str(db_path))
        create_adviser("ann", PASSWORD, "Ann Adviser")
        report = submit(__import__("store").Config(), description="Someone broke the lock on the lab door.").report
        if not database.is_closed():
            database.close()
        db.close()
        for path in [home, *home.rglob("*")]:
            os.chown(path, pwd_uid(user), grp_gid(group))
        os.chmod(home, 0o700)
        os.chmod(home / ".ssh" / "authorized_keys", 0o600)

        command = f"{interpreter_for(user, home)} -m tellus adviser --database {db_path}"
        match_block = DEPLOY_SSHD.read_text()
        assert "Match Group tellus-advisers" in match_block and "ForceCommand " in match_block
        match_block = match_block.replace("Match Group tellus-advisers", f"Match Group {group}")
        # Only the program's path and arguments change; the rest of the line (umask; exec) is the operator's.
        match_block, swapped = re.subn(
            r"(?m)^(\s*ForceCommand .*?)/opt/tellus/\.venv/bin/tellus adviser .*$",
            lambda m: m.group(1) + command,
            match_block,
        )
        assert swapped == 1, match_block
        port = free_port()
        config = etc / "sshd_config"
        config.write_text(f"""# Generated by tests/e2e/test_ssh.py: a throwaway server on loopback.
Port {port}
ListenAddress 127.0.0.1
HostKey {etc / "host_key"}
PidFile {etc / "sshd.pid"}
AllowUsers {user}
PermitRootLogin no
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes yes
LogLevel VERBOSE
{match_block}
""")
        os.makedirs("/run/sshd", mode=0o755, exist_ok=True)  # sshd's privilege separation directory
        checked = run(SSHD, "-t", "-f", str(config))
        assert checked.returncode == 0, checked.stderr
        log = open(etc / "sshd.log", "w")
        proc = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, (etc / "sshd.log").read_text()
                time.sleep(0.1)
        ssh = [
            "-p",
            str(port),
            "-i",
            str(etc / "client_key"),
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            f"UserKnownHostsFile={etc / 'known_hosts'}",
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "BatchMode=yes",
            "-o",
            "ConnectTimeout=10",
            "-F",
            "/dev/null",
            f"{user}@127.0.0.1",
        ]
        yield {"ssh": ssh, "db": db_path, "report": report.id, "user": user, "log": etc / "sshd.log", "port": port}
    finally:
        if proc is not None:
            stop_process(proc)
        for pid in run("ps", "-o", "pid=", "-u", user).stdout.split():  # the throwaway user's leftovers only
            try:
                os.kill(int(pid), 9)
            except OSError:
                pass
        run("userdel", user)
        run("groupdel", group)
        shutil.rmtree(home, ignore_errors=True)
        shutil.rmtree(etc, ignore_errors=True)


def pwd_uid(user):
    import pwd

    return pwd.getpwnam(user).pw_uid


def grp_gid(group):
    import grp

    return grp.getgrnam(group).gr_gid


def test_adviser_works_a_case_over_a_real_ssh_login(ssh_server):
    session = f"tellus-ssh-{uuid.uuid4().hex[:8]}"
    # The shell stays after ssh ends, so its last words and exit status can be read.
    command = " ".join(["TERM=xterm-256color", "ssh", "-tt", *ssh_server["ssh"]]) + "; echo SSH-EXIT=$?; sleep 60"
    tmux("new-session", "-d", "-s", session, "-x", "110", "-y", "32", command)
    try:
        try:
            wait_pane(session, "Adviser sign-in", timeout=40)
        except AssertionError:
            raise AssertionError(
                pane(session) + "\n--- sshd log ---\n" + ssh_server["log"].read_text()[-3000:]
            ) from None
        sign_in(session, "ann", PASSWORD)  # each field typed into once the cursor is in it
        wait_pane(session, "Tellus inbox", timeout=30)
        wait_pane(session, "Someone broke the lock")
        tmux("send-keys", "-t", session, "Enter")
        wait_pane(session, "What happened")
        tmux("send-keys", "-t", session, "r")
        wait_pane(session, "Reply to the reporter")
        tmux("send-keys", "-t", session, "-l", "Thank you, estates will fix the lock today.")
        wait_pane(session, "fix the lock today.")
        tmux("send-keys", "-t", session, "C-s")
        wait_pane(session, "not read by the reporter yet")
        tmux("send-keys", "-t", session, "C-q")
        wait_pane(session, "SSH-EXIT=0", timeout=20)  # the app quit and the connection closed cleanly
    finally:
        run("tmux", "kill-session", "-t", session)

    db = open_database(str(ssh_server["db"]))
    try:
        reply = Message.get(Message.author == "adviser")
        assert reply.report_id == ssh_server["report"]
        # Sealed with the case key: opened as Ann's app opens it, with the keys her password unlocks.
        key = sign_in_adviser("ann", PASSWORD).keyring.case_key(reply.report_id)
        replies = [i.body for i in thread(reply.report_id, key=key) if i.author == "adviser"]
        assert replies == ["Thank you, estates will fix the lock today."]
    finally:
        if not database.is_closed():
            database.close()
        db.close()


def test_no_shell_and_no_forwarding_over_ssh(ssh_server):
    ssh = ssh_server["ssh"]
    # Asking for a command gets the adviser app anyway (ForceCommand), never a shell.
    session = f"tellus-ssh-{uuid.uuid4().hex[:8]}"
    command = (
        " ".join(["TERM=xterm-256color", "ssh", "-tt", *ssh, "'id; echo SHELL-REACHED'"])
        + "; echo SSH-EXIT=$?; sleep 60"
    )
    tmux("new-session", "-d", "-s", session, "-x", "110", "-y", "32", command)
    try:
        wait_pane(session, "Adviser sign-in", timeout=40)
        assert "SHELL-REACHED" not in pane(session) and "uid=" not in pane(session)
        tmux("send-keys", "-t", session, "C-q")
        shown = wait_pane(session, "SSH-EXIT=", timeout=20)
        assert "SHELL-REACHED" not in shown and "uid=" not in shown
    finally:
        run("tmux", "kill-session", "-t", session)
    # Local port forwarding is refused by the server: a connection through the client's forward
    # is turned away by sshd (it says so in its log), and nothing reaches the target.
    target = free_port()
    listener = socket.socket()
    listener.bind(("127.0.0.1", target))
    listener.listen(1)
    local = free_port()
    fwd = subprocess.Popen(
        ["ssh", "-N", "-o", "ExitOnForwardFailure=yes", "-L", f"{local}:127.0.0.1:{target}", *ssh],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        probe = wait_until(lambda: connect(local) or fwd.poll() is not None, 30, "the ssh client listens (or exits)")
        assert fwd.poll() is None, f"the ssh client gave up before forwarding anything: {fwd.communicate()[1]}"
        wait_until(
            lambda: FORWARD_REFUSED in ssh_server["log"].read_text(),
            20,
            "sshd refuses the forward",
            lambda: ssh_server["log"].read_text()[-2000:],
        )
        probe.close()
        listener.setblocking(False)
        with pytest.raises(BlockingIOError):
            listener.accept()  # nothing came through
    finally:
        fwd.terminate()
        fwd.wait(timeout=10)
        listener.close()
    # Remote forwarding too.
    rem = run(
        "ssh", "-N", "-o", "ExitOnForwardFailure=yes", "-R", f"{free_port()}:127.0.0.1:{target}", *ssh, timeout=30
    )
    assert rem.returncode != 0 and "forwarding failed" in rem.stderr.lower(), rem.stderr
