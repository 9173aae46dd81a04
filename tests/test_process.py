"""The process around a command, exercised with real subprocesses: output targets that are
not regular files, standard streams that are closed, full or cut short, and signals.

Devices are made inside the test's temporary directory (``mknod``, as root) or named pipes
(``mkfifo``); the system's own devices are only ever looked at, never written through a
path that a regression could rename over.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT, run

BANK = ROOT / "profiles" / "northwind-bank.yaml"
SHOP = ROOT / "profiles" / "pebble-and-pine-shop.yaml"
BAD = ROOT / "tests" / "bad_profiles" / "version-2.yaml"
ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0
LINUX = sys.platform.startswith("linux")
TIMEOUT = 60


def _cli(*args: object) -> list[str]:
    return [sys.executable, "-m", "channelplan", *map(str, args)]


def _sh(script: str, **kwargs) -> subprocess.CompletedProcess:
    """Run a shell line in which CP is channelplan (for `>&-`, `2>&-` and the like)."""
    env = dict(os.environ, CP=f"{shlex.quote(sys.executable)} -m channelplan")
    return subprocess.run(["sh", "-c", script], capture_output=True, cwd=ROOT, env=env,
                          timeout=TIMEOUT, **kwargs)


def _no_traceback(*texts: bytes) -> None:
    for text in texts:
        assert b"Traceback" not in text and b"Exception ignored" not in text, text[-2000:]


def _warning_profile(tmp_path: Path) -> Path:
    path = tmp_path / "warns.yaml"  # phone carries 1%: a warning on stderr
    path.write_text("version: 1\ncompany: {name: X}\ndemand:\n  contacts_per_month: 1000\n"
                    "  topics: [{name: A, share: 100%, urgency: days}]\n"
                    "channels:\n  email: {share: 99%}\n  phone: {share: 1%}\n")
    return path


# Output targets -----------------------------------------------------------------------------

def test_system_devices_are_recognised_without_writing_to_them():
    from channelplan.output import is_special_target

    assert is_special_target("/dev/null") and is_special_target("/dev/stdout")
    assert not is_special_target(BANK) and not is_special_target(ROOT / "no-such-file.json")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_output_to_a_named_pipe_reaches_its_reader(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run("recommend", BANK, "-f", "json", "-o", fifo)
    reader.join(TIMEOUT)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # still a pipe, not a file renamed over it
    assert json.loads(received[0])["schema"] == "channelplan/recommendation@2"
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]  # no temporary file left


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_output_to_a_pipe_whose_reader_leaves_is_quiet(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def read_a_little() -> None:
        with open(fifo, "rb") as handle:
            handle.read(10)

    reader = threading.Thread(target=read_a_little, daemon=True)
    reader.start()
    result = run("report", BANK, "-o", fifo)
    reader.join(TIMEOUT)
    assert result.returncode == 0
    _no_traceback(result.stderr)


@pytest.mark.skipif(not (ROOT_USER and LINUX), reason="making a device needs root")
def test_output_to_a_character_device_writes_through_it(tmp_path):
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    for args in (["recommend", BANK], ["checklist", SHOP], ["compare", BANK, "-f", "csv"],
                 ["schema"], ["init", "--force"]):
        result = run(*args, "-o", null)
        assert result.returncode == 0, (args, result.stderr)
        assert stat.S_ISCHR(null.stat().st_mode), args  # the device is still a device
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]
    full = tmp_path / "full"
    os.mknod(full, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    result = run("recommend", BANK, "-o", full)
    assert result.returncode == 2
    assert result.stderr.decode().strip() == (
        f"channelplan: error: {full}: No space left on device")
    assert stat.S_ISCHR(full.stat().st_mode)


def test_output_to_dev_stdout_goes_to_standard_output(tmp_path):
    result = run("recommend", BANK, "-f", "json", "-o", "/dev/stdout")
    assert result.returncode == 0
    assert json.loads(result.stdout)["schema"] == "channelplan/recommendation@2"
    target = tmp_path / "out.json"  # /dev/stdout pointing at a regular file: appended to
    target.write_text("")
    with open(target, "ab") as handle:
        done = subprocess.run(_cli("recommend", BANK, "-f", "json", "-o", "/dev/stdout"),
                              stdout=handle, stderr=subprocess.PIPE, cwd=ROOT, timeout=TIMEOUT)
    assert done.returncode == 0
    assert json.loads(target.read_text())["schema"] == "channelplan/recommendation@2"


def test_output_errors_name_the_target_never_a_temporary_file(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("a file, not a directory")
    target = blocker / "out.json"
    result = run("recommend", BANK, "-o", target)
    assert result.returncode == 2
    message = result.stderr.decode()
    assert message.startswith(f"channelplan: error: {target}: ") and ".tmp" not in message
    assert message.count("\n") == 1
    result = run("recommend", BANK, "-o", tmp_path)
    assert result.returncode == 2 and f"{tmp_path}: is a directory" in result.stderr.decode()


# Standard streams ---------------------------------------------------------------------------

@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_standard_output_is_exit_2_with_one_line():
    for command in (f"$CP validate {BANK}", f"$CP recommend {BANK}", f"$CP validate -f json {BANK}",
                    f"$CP compare {BANK} -f csv", "$CP --version", "$CP --help",
                    "$CP rules AGE-FIT"):
        result = _sh(f"{command} > /dev/full")
        assert result.returncode == 2, command
        assert result.stderr.decode().splitlines() == [
            "channelplan: error: cannot write to standard output: No space left on device"]


def test_a_closed_standard_output_is_exit_2_with_one_line(tmp_path):
    for command in (f"$CP validate {BANK}", "$CP --version", f"$CP roadmap {BANK} -f json -q"):
        result = _sh(f"{command} >&-")
        assert result.returncode == 2, command
        assert result.stderr.decode().splitlines() == [
            "channelplan: error: cannot write to standard output: the stream is closed"]
    out = tmp_path / "r.json"  # nothing to write there: a closed stdout does not matter
    assert _sh(f"$CP recommend {BANK} -f json -o {out} >&-").returncode == 0
    assert json.loads(out.read_text())["schema"] == "channelplan/recommendation@2"


def test_a_closed_standard_error_is_exit_2_when_something_must_go_there(tmp_path):
    warns = _warning_profile(tmp_path)
    result = _sh(f"$CP recommend {warns} 2>&-")
    assert result.returncode == 2
    _no_traceback(result.stdout)
    assert _sh(f"$CP validate {BAD} -f json 2>&-").returncode == 2
    quiet = _sh(f"$CP validate {BANK} 2>&-")  # nothing for stderr: nothing fails
    assert quiet.returncode == 0 and quiet.stdout.decode().endswith(": ok\n")


@pytest.mark.parametrize("args, status", [
    (["validate", BANK], 0),
    (["validate", BANK, BAD], 2),
    (["recommend", BANK, "--explain"], 0),
    (["compare", BANK, SHOP, "--fail-on", "retire"], 1),
    (["compare", BANK, BAD, "-f", "csv"], 2),
    (["report", BANK], 0),
])
def test_a_reader_that_leaves_early_ends_the_command_quietly_with_its_status(args, status):
    process = subprocess.Popen(_cli(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               cwd=ROOT)
    assert process.stdout is not None
    process.stdout.close()  # `| head -0`: the reader is gone before the first write
    _, err = process.communicate(timeout=TIMEOUT)
    assert process.returncode == status, err
    _no_traceback(err)
    assert b"Broken pipe" not in err


@pytest.mark.skipif(not os.path.exists("/bin/bash"), reason="needs bash for PIPESTATUS")
@pytest.mark.parametrize("command, status", [
    (f"validate {BANK} {BAD}", 2),
    (f"compare {BANK} {SHOP} --fail-on retire -f json", 1),
    (f"report {BANK}", 0),
])
def test_piped_into_head_the_command_keeps_its_status(command, status):
    env = dict(os.environ, CP=f"{shlex.quote(sys.executable)} -m channelplan")
    done = subprocess.run(["/bin/bash", "-c", f"$CP {command} | head -c 1 >/dev/null; "
                                              "echo ${PIPESTATUS[0]}"],
                          capture_output=True, cwd=ROOT, env=env, timeout=TIMEOUT)
    assert done.stdout.decode().strip() == str(status)
    _no_traceback(done.stderr)


# Signals ------------------------------------------------------------------------------------

def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not (LINUX and os.path.isdir("/proc")), reason="reads /proc")
@pytest.mark.parametrize("signum, status", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_stops_compare_with_its_workers_and_leaves_no_temporary_file(tmp_path, signum,
                                                                             status):
    batch = tmp_path / "batch"
    batch.mkdir()
    text = BANK.read_text()
    for i in range(240):
        (batch / f"p{i:03}.yaml").write_text(text)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    process = subprocess.Popen(_cli("compare", batch, "--robustness", "--jobs", "2", "-f", "csv",
                                    "-o", out_dir / "comparison.csv"),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    deadline = time.monotonic() + 20
    workers: set[int] = set()
    while time.monotonic() < deadline and process.poll() is None:
        workers = _children(process.pid)
        if workers and any(out_dir.iterdir()):  # working, and the temporary file exists
            break
        time.sleep(0.05)
    if process.poll() is not None:
        pytest.skip("the batch finished before the signal could be sent")
    process.send_signal(signum)
    _, err = process.communicate(timeout=TIMEOUT)
    assert process.returncode == status, err
    _no_traceback(err)
    assert list(out_dir.iterdir()) == []  # neither a temporary file nor a partial result
    time.sleep(0.2)
    assert not [pid for pid in workers if _alive(pid)]


def test_jobs_never_exceed_cpus_or_profiles():
    from channelplan.comparison import cpu_count, worker_count

    assert worker_count(64, 3) == min(3, cpu_count())
    assert worker_count(64, 1) == 1
    assert worker_count(None, 10) == 1
    assert worker_count(None, 500) == min(2, cpu_count())
    start = time.monotonic()
    result = run("compare", BANK, SHOP, "--jobs", "500", "-f", "csv")
    assert result.returncode == 0 and time.monotonic() - start < 30
    assert len(result.stdout.decode().splitlines()) == 3


# Process-level fuzz: commands under hostile stream conditions and signals -------------------

FUZZ_COMMANDS = [  # (arguments, the status the command has when nothing interferes)
    (["validate", BANK], 0), (["validate", BANK, BAD], 2), (["recommend", BANK, "--explain"], 0),
    (["capacity", BANK, "-f", "csv"], 0), (["roadmap", SHOP, "-f", "json"], 0),
    (["checklist", SHOP], 0), (["compare", BANK, SHOP, "--fail-on", "retire"], 1),
    (["report", BANK], 0), (["rules", "-f", "json"], 0), (["schema"], 0),
]
CONDITIONS = ["closed-stdout", "closed-stderr", "full-stdout", "reader-leaves", "sigterm",
              "output-file"]


def _fuzz_cases(count: int, seed: int = 15) -> list[tuple[list, int, str, float]]:
    import random

    rnd = random.Random(seed)
    return [(*rnd.choice(FUZZ_COMMANDS), rnd.choice(CONDITIONS), rnd.uniform(0.0, 0.6))
            for _ in range(count)]


@pytest.mark.skipif(not LINUX, reason="uses /dev/full and POSIX shells")
@pytest.mark.parametrize("args, status, condition, delay", _fuzz_cases(12))
def test_process_fuzz(tmp_path, args, status, condition, delay):
    started = time.monotonic()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    line = " ".join(shlex.quote(str(a)) for a in args)
    if condition in ("closed-stdout", "closed-stderr", "full-stdout"):
        redirect = {"closed-stdout": ">&-", "closed-stderr": "2>&-",
                    "full-stdout": "> /dev/full"}[condition]
        done = _sh(f"$CP {line} {redirect}")
        allowed = {2} if condition != "closed-stderr" else {status, 2}
        assert done.returncode in allowed, (condition, done.stderr)
        _no_traceback(done.stdout, done.stderr)
        if condition != "closed-stderr":  # warnings may come first; then one error line
            lines = done.stderr.decode().splitlines()
            assert lines[-1].startswith("channelplan: error: cannot write to standard output")
            assert sum(line.startswith("channelplan: error") for line in lines) == 1
    elif condition == "reader-leaves":
        process = subprocess.Popen(_cli(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   cwd=ROOT)
        time.sleep(delay)
        assert process.stdout is not None
        process.stdout.close()
        _, err = process.communicate(timeout=TIMEOUT)
        assert process.returncode == status, err
        _no_traceback(err)
    elif condition == "sigterm":
        target = out_dir / "result.txt"
        process = subprocess.Popen(_cli(*args, "-o", target) if args[0] not in ("validate",)
                                   else _cli(*args), stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, cwd=ROOT)
        time.sleep(delay)
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=TIMEOUT)
        # Killed before channelplan started (the default action), stopped (143), or done.
        assert process.returncode in (-signal.SIGTERM, 143, status), err
        _no_traceback(err)
        assert [p.name for p in out_dir.iterdir()] in ([], ["result.txt"])
    else:
        target = out_dir / "result.txt"
        done = subprocess.run(_cli(*args, "-o", target) if args[0] != "validate" else _cli(*args),
                              capture_output=True, cwd=ROOT, timeout=TIMEOUT)
        assert done.returncode == status, done.stderr
        _no_traceback(done.stderr)
        assert [p.name for p in out_dir.iterdir()] in ([], ["result.txt"])
    assert time.monotonic() - started < 30


# As an ordinary user ------------------------------------------------------------------------

def _ordinary_user_python() -> list[str] | None:
    """A command that runs channelplan as `nobody` (when the tests run as root and a system
    Python of the same version can read this checkout and its packages), else None."""
    import pwd
    import sysconfig

    system = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
    if not (ROOT_USER and LINUX and system.exists()):
        return None
    try:
        pwd.getpwnam("nobody")
    except KeyError:
        return None
    return [str(system), "-m", "channelplan"], sysconfig.get_paths()["purelib"]


@pytest.mark.skipif(_ordinary_user_python() is None, reason="needs root, `nobody` and a system "
                                                            "Python of this version")
def test_output_targets_and_streams_as_an_ordinary_user():
    import pwd
    import shutil
    import tempfile

    command, packages = _ordinary_user_python()
    nobody = pwd.getpwnam("nobody")
    tmp_path = Path(tempfile.mkdtemp(prefix="channelplan-nobody-"))  # pytest's is root's only
    try:
        tmp_path.chmod(0o777)
        _as_ordinary_user(tmp_path, command, packages, nobody)
    finally:
        shutil.rmtree(tmp_path, ignore_errors=True)


def _as_ordinary_user(tmp_path: Path, command: list[str], packages: str, nobody) -> None:
    env = dict(os.environ, PYTHONPATH=f"{ROOT}{os.pathsep}{packages}", HOME=str(tmp_path))

    def as_nobody(script: str) -> subprocess.CompletedProcess:
        def drop() -> None:
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)

        return subprocess.run(["sh", "-c", script], capture_output=True, cwd=tmp_path,
                              env=dict(env, CP=" ".join(command)), timeout=TIMEOUT,
                              preexec_fn=drop)

    probe = as_nobody("$CP --version")
    if probe.returncode != 0:
        pytest.skip(f"the system Python cannot run this checkout: {probe.stderr[-200:]!r}")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    fifo.chmod(0o666)
    done = as_nobody(f"(wc -c < {fifo} > count) & $CP recommend {BANK} -f json -o {fifo}; wait")
    assert done.returncode == 0, done.stderr
    assert int((tmp_path / "count").read_text()) > 1000 and stat.S_ISFIFO(fifo.stat().st_mode)
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    done = as_nobody(f"$CP recommend {BANK} -o {locked}/r.json")
    assert done.returncode == 2
    assert done.stderr.decode() == f"channelplan: error: {locked}/r.json: Permission denied\n"
    assert as_nobody(f"$CP validate {BANK} >&-").returncode == 2
    if os.path.exists("/dev/full"):
        assert as_nobody(f"$CP validate {BANK} > /dev/full").returncode == 2
    done = as_nobody(f"{{ $CP validate {BANK} {BAD}; echo $? > status; }} | head -c 0")
    assert (tmp_path / "status").read_text().strip() == "2"
    _no_traceback(done.stderr)


@pytest.mark.skipif(not (LINUX and os.path.isdir("/proc")), reason="reads /proc")
def test_abandoning_a_parallel_compare_stops_its_workers_and_keeps_the_order(tmp_path):
    from channelplan.comparison import compare_iter

    paths = []
    for i in range(70):
        source = BANK if i % 2 else SHOP
        path = tmp_path / f"p{i:03}.yaml"
        path.write_text(source.read_text().replace("name: ", f"name: n{i:03} ", 1))
        paths.append(str(path))
    rows = compare_iter(paths, jobs=2)
    first = [next(rows)["profile"]["name"] for _ in range(40)]   # past the first chunks
    assert all(name.startswith(f"n{i:03} ") for i, name in enumerate(first)), first
    workers = _children(os.getpid())
    rows.close()                                          # the caller walks away
    time.sleep(0.2)
    assert not [pid for pid in workers if _alive(pid)]


@pytest.mark.skipif(not (LINUX and os.path.isdir("/proc")), reason="reads /proc")
def test_a_worker_killed_mid_batch_is_an_error_not_a_hang(tmp_path):
    from channelplan.comparison import compare_iter
    from channelplan.workers import WorkerFailed

    paths = [str(BANK)] * 300
    rows = compare_iter(paths, jobs=2)
    next(rows)
    for pid in _children(os.getpid()):
        os.kill(pid, signal.SIGKILL)
    start = time.monotonic()
    with pytest.raises(WorkerFailed):
        for _ in rows:
            pass
    assert time.monotonic() - start < 30


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="POSIX signal masks")
def test_a_signal_while_the_temporary_file_is_made_leaves_no_file(tmp_path):
    """SIGTERM arriving the instant the temporary output file exists (before the writer could
    know its name) still ends with exit 143 and nothing left beside the target."""
    runner = tmp_path / "run.py"
    runner.write_text(
        "import os, signal, sys, tempfile\n"
        "real = tempfile.mkstemp\n"
        "def mkstemp(*args, **kwargs):\n"
        "    made = real(*args, **kwargs)\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    return made\n"
        "tempfile.mkstemp = mkstemp\n"
        "sys.argv = ['channelplan', *sys.argv[1:]]\n"
        "from channelplan.entry import main\n"
        "main()\n")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    done = subprocess.run([sys.executable, str(runner), "recommend", str(BANK), "-f", "json",
                           "-o", str(out_dir / "plan.json")], capture_output=True, cwd=ROOT,
                          timeout=TIMEOUT)
    assert done.returncode == 143, done.stderr
    _no_traceback(done.stderr)
    assert list(out_dir.iterdir()) == []
