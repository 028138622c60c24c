"""``sshgate recordings list|show|verify|export`` and ``sshgate replay``."""

from __future__ import annotations

import dataclasses
import functools
import sys
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click
from rich.progress import Progress
from rich.table import Table
from rich.text import Text

from ..audit import AuditReport, ChainProblem, read_audit, verify_log
from ..config import Config
from ..display import shown
from ..policy.loader import parse_duration
from ..recording import catalog, reader
from ..recording.store import RecordingStore, StorageError, open_store
from ..recording.writer import seal_paths
from ..state_lock import holder
from .common import config_option, console, err_console, get_config, json_option, print_json

if TYPE_CHECKING:
    import asyncssh

DECISION_STYLE = {"allow": "green", "approved": "green", "approve": "yellow", "deny": "red",
                  "denied": "red", "failed": "bold red"}
STATE_STYLE = {"uploaded": "green", "sealed": "green", "live": "cyan", "lost": "bold red",
               "unsealed": "bold red"}

def _load(path: Path) -> reader.Recording | None:
    try:
        return reader.parse(path)
    except (OSError, ValueError) as e:
        err_console.print(Text.assemble(("skipping ", "yellow"), shown(f"{path.name}: {e}")))
        return None


def summary(rec: reader.Recording, address: str | None = None) -> dict[str, Any]:
    m = rec.meta
    cmds = rec.commands()
    sealed = seal_paths(rec.path)[1].exists()
    return {
        "id": rec.id, "start": m.get("started"), "duration": round(rec.duration, 3),
        "identity": m.get("identity"), "target": m.get("target"), "login": m.get("login"),
        "client": m.get("client"), "mode": m.get("mode"), "command": m.get("command"),
        "commands": len(cmds),
        "decisions": dict(Counter("failed" if c.get("failed") else c.get("decision")
                                  for c in cmds)),
        "sealed": sealed, "torn": rec.torn, "path": address or str(rec.path),
    }


def _since(text: str) -> float:
    try:
        return datetime.now(UTC).timestamp() - parse_duration(text)
    except ValueError:
        pass
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a date (2026-11-25, ISO time) or an age "
                                 "(2h, 30m)") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.timestamp()


def _store(cfg: Config) -> RecordingStore:
    try:
        return open_store(cfg)
    except Exception as e:  # e.g. no credentials for the bucket: say so, no traceback
        err_console.print(Text.assemble(("error: ", "red"), shown(f"{type(e).__name__}: {e}")))
        sys.exit(2)


def _storage_errors(command: Callable[..., None]) -> Callable[..., None]:
    """An unreachable or refusing bucket or database is a clear error (exit 2), not a
    traceback."""
    from ..state import StateUnavailable
    from ..state.schema import SchemaError

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            command(*args, **kwargs)
        except (StorageError, StateUnavailable, SchemaError) as e:
            err_console.print(Text.assemble(("error: ", "red"), shown(e)))
            sys.exit(2)
    return run


def _fail(error: Exception | str, status: int) -> NoReturn:
    err_console.print(Text.assemble(("error: ", "red"), shown(error)))
    sys.exit(status)


def _find(cfg: Config, store: RecordingStore, rid: str) -> tuple[Path, dict[str, Any] | None]:
    """A local copy of the recording ``rid`` names, and its index row (with ``database:``,
    the id is looked up there, not in a listing of the bucket); exit 2 for an id that is
    not one, 1 when none matches or it cannot be read from here."""
    try:
        if not cfg.database:
            return store.local_copy(store.resolve(rid)), None
        row = catalog.find(cfg, rid)
        path = store.local_copy(row["id"])
    except reader.InvalidId as e:
        _fail(e, 2)
    except LookupError as e:
        _fail(e, 1)
    if not path.exists():
        _fail(catalog.unreadable(row), 1)
    return path, row


@click.group()
def recordings() -> None:
    """Find, show, verify and export session recordings."""


@recordings.command("list")
@config_option
@json_option
@click.option("--identity", help="Only this identity.")
@click.option("--target", help="Only this target.")
@click.option("--since", help="Started after a date (2026-11-25) or within an age (2h).")
@click.option("--command", "command_text", help="Only sessions that ran a command containing "
                                                 "TEXT.")
@_storage_errors
def list_cmd(config_path: str | None, as_json: bool, identity: str | None, target: str | None,
             since: str | None, command_text: str | None) -> None:
    """A table of recorded sessions, oldest first (from the recording index when the
    gateways share a database)."""
    cfg = get_config(config_path)
    cutoff = _since(since) if since else None
    if cfg.database:
        _list_index(cfg, as_json, identity, target, cutoff, command_text)
        return
    rows = []
    store = _store(cfg)
    stored = store.list()
    store.prefetch(s.id for s in stored)
    for st in stored:
        rec = _load(store.local_copy(st.id))
        if rec is None:
            continue
        s = summary(rec, store.address(st.id))
        if identity and s["identity"] != identity or target and s["target"] != target:
            continue
        if cutoff is not None and rec.header.get("timestamp", 0) < cutoff:
            continue
        if command_text and not any(command_text in c["label"] for c in rec.commands()):
            continue
        rows.append(s)
    if as_json:
        print_json(rows)
        return
    t = Table(title=Text(f"recordings in {store.location}"))
    # ids are shown as their shortest unique prefix (what `show`, `replay` and `verify`
    # accept), never cut by the table: the full id is in --json
    short = reader.unique_prefixes([st.id for st in stored])
    width = max((len(short.get(s["id"], s["id"])) for s in rows), default=2)
    t.add_column("id", no_wrap=True, min_width=width)
    for col in ("start", "duration", "identity", "target", "login", "mode", "commands",
                "decisions", "sealed"):
        t.add_column(col)
    for s in rows:
        dec = shown(" ".join(f"{k}:{v}" for k, v in s["decisions"].items()),
                    "red" if "failed" in s["decisions"] else "")
        sealed = Text("yes", "green") if s["sealed"] else Text("NO", "bold red")
        t.add_row(shown(short.get(s["id"], s["id"])), shown((s["start"] or "")[:19]),
                  f"{s['duration']:.1f}s", shown(s["identity"]), shown(s["target"]),
                  shown(s["login"]), shown(s["mode"]),
                  str(s["commands"]), dec, sealed)
    console.print(t)


def _list_index(cfg: Config, as_json: bool, identity: str | None, target: str | None,
                cutoff: float | None, command_text: str | None) -> None:
    """``recordings list`` from the index: one query; only ``--command`` reads recordings
    (those left after the other filters)."""
    rows = catalog.rows(cfg, identity=identity, target=target, since=cutoff)
    if command_text:
        store = _store(cfg)
        readable = [r for r in rows if r["state"] != "live"]
        store.prefetch(r["id"] for r in readable)
        kept, skipped = [], 0
        for r in readable:
            path = store.local_copy(r["id"])
            rec = _load(path) if path.exists() else None
            if rec is None:
                skipped += 1
            elif any(command_text in c["label"] for c in rec.commands()):
                kept.append(r)
        if skipped or len(readable) < len(rows):
            err_console.print(Text(f"note: {skipped + len(rows) - len(readable)} recording(s) "
                                   "not readable from here (live, or on a replica's disk) "
                                   "were not searched", "yellow"))
        rows = kept
    if as_json:
        print_json(rows)
        return
    t = Table(title=Text(f"recordings in the recording index ({_db_name(cfg)})"))
    short = reader.unique_prefixes([r["id"] for r in rows])
    width = max((len(v) for v in short.values()), default=2)
    t.add_column("id", no_wrap=True, min_width=width)
    for col in ("start", "duration", "identity", "target", "login", "replica", "mode",
                "state", "size"):
        t.add_column(col, justify="right" if col in ("duration", "size") else "left")
    for r in rows:
        t.add_row(shown(short[r["id"]]), shown((r["start"] or "")[:19]),
                  "" if r["duration"] is None else f"{r['duration']:.1f}s",
                  shown(r["identity"]), shown(r["target"]), shown(r["login"]),
                  shown(r["replica"]), shown(r["mode"] or ""),
                  shown(r["state"], STATE_STYLE.get(r["state"], "")),
                  "" if r["size"] is None else str(r["size"]))
    console.print(t)


def _db_name(cfg: Config) -> str:
    from ..state.postgres import redact

    return redact(cfg.database or "")


@recordings.command()
@click.argument("recording_id")
@config_option
@json_option
@_storage_errors
def show(recording_id: str, config_path: str | None, as_json: bool) -> None:
    """Header and the timeline of commands with decisions, reviewers and exit status."""
    cfg = get_config(config_path)
    store = _store(cfg)
    path, row = _find(cfg, store, recording_id)
    rec = _load(path)
    if rec is None:
        sys.exit(1)
    s = summary(rec, store.address(rec.id))
    if row is not None:  # what the fleet knows besides the file
        s.update({k: row[k] for k in ("replica", "state", "end", "size", "sha256")})
    if as_json:
        print_json({**s, "header": rec.header, "timeline": rec.commands(),
                    "problems": list(rec.problems)})
        return
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    for k in ("id", "identity", "target", "login", "client", "mode", "start", "replica",
              "state"):
        if k in s:
            head.add_row(k, shown(s[k]))
    cert = f"{rec.meta.get('cert_key_id')} serial {rec.meta.get('cert_serial')}"
    head.add_row("certificate", shown(cert))
    head.add_row("duration", f"{s['duration']:.2f}s")
    head.add_row("sealed", "yes" if s["sealed"] else "[red]no[/]")
    console.print(head)
    t = Table(title="timeline (seconds from the start)")
    for col in ("requested", "decided", "waited", "command", "decision", "reviewer", "reason",
                "exit"):
        numeric = col in ("requested", "decided", "waited")
        # what the agent ran and why it failed wrap rather than being cut off
        t.add_column(col, justify="right" if numeric else "left",
                     no_wrap=col not in ("command", "reason", "reviewer"),
                     overflow="fold")
    for c in rec.commands():
        ex = c.get("exit") if isinstance(c.get("exit"), dict) else {}
        sig = ex.get("signal")
        exit_s = str(ex.get("status")) if sig is None else f"signal {sig}"
        decision = "failed" if c.get("failed") else c.get("decision", "?")
        reason = c.get("failed") or c.get("reason") or ""
        t.add_row(f"{c['requested']:.2f}", f"{c['decided']:.2f}",
                  f"{c['waited']:.2f}" if c.get("waited") else "",
                  shown(c["label"]), shown(decision, DECISION_STYLE.get(decision, "")),
                  shown(c.get("reviewer") or ""), shown(reason),
                  shown(exit_s) if ex else "")
    console.print(t)
    for p in rec.problems:
        console.print(Text.assemble(("warning: ", "yellow"), shown(p)))


def audit_index(cfg: Config) -> tuple[dict[str, str], dict[str, str]]:
    """From the audit log: recording id -> sealed SHA-256, and -> why recording failed."""
    seals: dict[str, str] = {}
    failures: dict[str, str] = {}
    if cfg.audit_log.exists():
        for e in read_audit(cfg.audit_log):
            if e.get("event") == "recording.sealed":
                seals[e["recording"]] = e["sha256"]
            elif e.get("event") == "recording.failed":
                failures[e["recording"]] = e.get("error", "?")
    return seals, failures


@recordings.command()
@click.argument("recording_ids", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Verify every recording and the audit log.")
@config_option
@json_option
@_storage_errors
def verify(recording_ids: tuple[str, ...], all_: bool, config_path: str | None,
           as_json: bool) -> None:
    """Check seals (SHA-256 + SSHSIG signature), the audit log's record of each seal and the
    audit log's hash chain. Exit 1 on any problem, naming exactly what is wrong."""
    cfg = get_config(config_path)
    if not recording_ids and not all_:
        raise click.UsageError("give recording ids or --all")
    pub = _public_key(cfg.recording_key)
    legacy = _public_key(cfg.host_key)
    seals, failures = audit_index(cfg)
    store = _store(cfg)
    index: dict[str, dict[str, Any]] | None = None
    settled: dict[str, reader.Verification] = {}
    if cfg.database:
        # the index says what must exist; the store's listing (names only, nothing read)
        # says what does: a row without its recording is missing, the reverse unindexed
        rows = catalog.rows(cfg) if all_ else [_index_row(cfg, rid) for rid in recording_ids]
        index = {r["id"]: r for r in rows}
        stored = [st.id for st in store.list()] if all_ else [
            r["id"] for r in rows if store.local_copy(r["id"]).exists()]
        check, settled = catalog.plan_verify(rows, stored, bucket=cfg.recordings_s3 is not None,
                                             replica=catalog.here(cfg))
        ids = [r["id"] for r in rows] + [rid for rid in check if rid not in index]
    elif all_:
        ids = [st.id for st in store.list()]
    else:
        ids = []
        for rid in recording_ids:
            try:
                ids.append(store.resolve(rid))
            except reader.InvalidId as e:
                raise click.BadParameter(str(e), param_hint="RECORDING_IDS") from None
            except LookupError:
                ids.append(rid)
    if all_:
        known = set(ids)
        # ids from the audit log name recordings only when they are ids
        ids += [rid for rid in seals if rid not in known and reader.is_id(rid)]
    store.prefetch(rid for rid in ids if rid not in settled)
    results = []
    for rid in ids:
        if rid in settled:
            results.append(settled[rid])
            continue
        # in a bucket shared by replicas, another replica's recordings are not in this
        # machine's audit log: they are checked by their seal and signature
        shared = cfg.recordings_s3 is not None and rid not in seals
        path = store.local_copy(rid)
        result = reader.verify(path, pub, None if shared else seals, failures,
                               legacy_key=legacy)
        if shared and result.status != "missing":
            result.notes.append("not in this machine's audit log (another replica's, or "
                                "read from elsewhere): checked by its seal and signature")
        if index is not None and result.status != "missing":
            result = catalog.against_index(result, index.get(rid), path)
        results.append(result)
    audit = verify_audit(cfg)
    chains = verify_fleet_chains(cfg)
    ok = (all(r.ok for r in results) and (audit is None or audit.ok)
          and all(report.ok for _, _, report in chains))
    if as_json:
        print_json({"ok": ok, "recordings": [r.__dict__ for r in results],
                    "audit": [str(c) for c in audit.problems] if audit else [],
                    "audit_notes": list(audit.notes) if audit else [],
                    **({"audit_chains": [
                        {"replica": name, "state": state, "ok": report.ok,
                         "lines": report.lines, "problems": [str(c) for c in report.problems],
                         "notes": list(report.notes)} for name, state, report in chains]}
                       if cfg.database else {})})
    else:
        for r in results:
            colour = "green" if r.ok else "red"
            console.print(Text.assemble((f"{r.status:9}", colour), " ", shown(r.id)))
            for p in r.problems:
                console.print(Text.assemble("          ", shown(p)))
            for p in r.notes:
                console.print(Text.assemble("          note: ", shown(p)))
        if audit is not None:
            if audit.ok:
                console.print("[green]ok       [/] ", end="")
                console.print(f"audit log hash chain and {audit.heads} signed heads (signed "
                              f"through line {audit.signed_through} of {audit.lines}, "
                              f"{cfg.audit_log})", markup=False)
            else:
                console.print("[red]tampered [/] ", end="")
                console.print(f"audit log {cfg.audit_log}", markup=False)
            for c in audit.problems:
                console.print(f"          {c}", markup=False)
            for n in audit.notes:
                console.print(f"          note: {n}", markup=False)
        for name, state, report in chains:
            colour, word = ("green", "ok") if report.ok else ("red", "tampered")
            console.print(Text.assemble((f"{word:9}", colour), " ", shown(
                f"audit chain of replica {name} ({state}): {report.heads} signed heads, "
                f"{report.lines} lines")))
            for c in report.problems:
                console.print(Text.assemble("          ", shown(str(c))))
    sys.exit(0 if ok else 1)


@recordings.command()
@config_option
@json_option
@_storage_errors
def reindex(config_path: str | None, as_json: bool) -> None:
    """Add to the fleet's recording index the recordings it lacks (made before `database:`
    was set), each only after its seal and signature verify; one that does not is reported
    and left out. Safe to run again. Exit 0: every one indexed (or none lacking); 1: some
    did not verify; 2: no database, or the database or storage is unreachable."""
    from ..state.postgres import IndexBackfill, replica_id

    cfg = get_config(config_path)
    if not cfg.database:
        _fail("reindex needs `database:` in the config (the recording index is there)", 2)
    pub = _public_key(cfg.recording_key)
    legacy = _public_key(cfg.host_key)
    seals, failures = audit_index(cfg)
    store = _store(cfg)
    bucket = cfg.recordings_s3 is not None
    index = IndexBackfill(cfg.database)
    try:
        ids = catalog.unindexed(store, index.ids())
        # a bucket's recording may be any replica's; one on disk is this machine's
        replica = catalog.REINDEXED if bucket else replica_id(cfg.state_dir)
        results: list[catalog.Backfilled] = []
        with Progress(console=err_console, transient=True, disable=not ids) as progress:
            task = progress.add_task("verifying and indexing", total=len(ids))
            for done in catalog.backfill(
                    store, ids, index, replica=replica,
                    verify=lambda rid, path: catalog.genuine(
                        rid, path, public_key=pub, legacy_key=legacy, seals=seals,
                        failures=failures, bucket=bucket)):
                results.append(done)
                progress.advance(task)
    finally:
        index.close()
    refused = [r for r in results if not r.indexed and r.status != "indexed already"]
    if as_json:
        print_json({"ok": not refused, "indexed": [r.id for r in results if r.indexed],
                    "refused": [{"id": r.id, "status": r.status, "problems": list(r.problems)}
                                for r in refused],
                    "recordings": [dataclasses.asdict(r) for r in results]})
    elif not results:
        console.print(f"nothing to index: every recording in {store.location} is in the "
                      "recording index", markup=False, highlight=False)
    else:
        for r in results:
            word, colour = ("indexed", "green") if r.indexed else (r.status, "red")
            if r.status == "indexed already":
                colour = "yellow"
            console.print(Text.assemble((f"{word:9}", colour), " ", shown(r.id)))
            for p in r.problems:
                console.print(Text.assemble("          ", shown(p)))
            for p in r.notes:
                console.print(Text.assemble("          note: ", shown(p)))
        indexed = sum(r.indexed for r in results)
        console.print(Text.assemble(f"{indexed} of {len(results)} indexed",
                                    (f"; {len(refused)} did not verify and were left out"
                                     if refused else "", "red")))
    sys.exit(1 if refused else 0)


def _index_row(cfg: Config, rid: str) -> dict[str, Any]:
    try:
        return catalog.find(cfg, rid)
    except reader.InvalidId as e:
        raise click.BadParameter(str(e), param_hint="RECORDING_IDS") from None
    except LookupError as e:
        _fail(e, 1)


def verify_fleet_chains(cfg: Config) -> list:
    """Every replica's audit chain in the fleet database (none without ``database:``)."""
    if not cfg.database:
        return []
    from ..state import StateUnavailable
    from ..state.postgres import verify_chains
    from ..state.schema import SchemaError

    key = _public_key(cfg.audit_key)
    try:
        if key is None:
            raise StateUnavailable(f"no audit public key {cfg.audit_key}.pub")
        return verify_chains(cfg.database, key)
    except (StateUnavailable, SchemaError) as e:
        return [("(database)", None, AuditReport(0, 0, 0, (ChainProblem(0, str(e)),)))]


def _public_key(private: Path) -> asyncssh.SSHKey | None:
    import asyncssh  # only verify needs it: the other commands start without it

    try:
        return asyncssh.read_public_key(str(private) + ".pub")
    except (OSError, ValueError):
        return None


def verify_audit(cfg: Config) -> AuditReport | None:
    """The audit log's chain and signed heads (None if there is no log yet)."""
    if not cfg.audit_log.exists():
        return None
    key = _public_key(cfg.audit_key)
    if key is None:
        return AuditReport(0, 0, 0, (ChainProblem(0, f"no audit public key {cfg.audit_key}.pub "
                                     "to check its signatures (a setup from before sshgate "
                                     "signed its audit log: start 'sshgate serve' once, it "
                                     "creates the key)"),))
    return verify_log(cfg.audit_log, key, running_pid=holder(cfg.state_dir))


@recordings.command()
@click.argument("recording_id")
@click.option("--format", "fmt", type=click.Choice(["cast", "text", "json"]), default="cast",
              show_default=True, help="cast: asciicast v2 as stored; text: the output as a "
                                      "terminal rendered it; json: header, timeline and events.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to a new file "
              "(never through a symlink).")
@click.option("--force", is_flag=True, help="With -o: overwrite an existing regular file.")
@click.option("--raw", is_flag=True, help="On a terminal too, write every byte (by default "
                                          "escape sequences are filtered as in replay).")
@config_option
@_storage_errors
def export(recording_id: str, fmt: str, output: str | None, force: bool, raw: bool,
           config_path: str | None) -> None:
    """Export a recording for other tools (asciinema, grep, scripts). Written to a file or a
    pipe as is; to a terminal through the same filter as `replay` unless --raw."""
    from ..recording import replay as replay_mod  # pyte: only export and replay need it

    cfg = get_config(config_path)
    store = _store(cfg)  # holds the local copy until the command ends
    path, _row = _find(cfg, store, recording_id)
    if fmt == "cast":
        data = path.read_bytes()
    else:
        rec = _load(path)
        if rec is None:
            sys.exit(1)
        if fmt == "text":
            with Progress(console=err_console, transient=True) as progress:
                progress.add_task("rendering", total=None)
                data = replay_mod.to_text(rec).encode()
        else:
            data = replay_mod.to_json(rec).encode() + b"\n"
    if output:
        try:
            replay_mod.write_new(output, data, overwrite=force)
        except FileExistsError:
            err_console.print(Text.assemble(("error: ", "red"), shown(output),
                                            " exists; --force overwrites it"))
            sys.exit(1)
        except OSError as e:
            err_console.print(Text.assemble(("error: ", "red"),
                                            shown(f"{output}: {e.strerror or e}")))
            sys.exit(1)
        return
    if not raw and sys.stdout.isatty():
        data = replay_mod.for_terminal(data)
    sys.stdout.buffer.write(data)
    sys.stdout.flush()


@click.command()
@click.argument("recording_id")
@click.option("--speed", default=1.0, show_default=True, type=float,
              help="Playback speed; 0 dumps everything at once.")
@click.option("--idle-limit", type=float, default=None,
              help="Cap pauses at this many seconds.")
@click.option("--raw", is_flag=True, help="Do not neutralise escape sequences (OSC 52 "
                                          "clipboard writes, title changes, terminal queries).")
@config_option
@_storage_errors
def replay(recording_id: str, speed: float, idle_limit: float | None, raw: bool,
           config_path: str | None) -> None:
    """Play a recording in the terminal. Keys: space pause/resume, . step, q quit (exit 0)."""
    from ..recording import replay as replay_mod

    cfg = get_config(config_path)
    store = _store(cfg)  # holds the local copy until the command ends
    rec = _load(_find(cfg, store, recording_id)[0])
    if rec is None:
        sys.exit(1)
    tty = sys.stdout.isatty()

    def status(msg: str) -> None:
        if tty:
            sys.stderr.write(f"\x1b7\x1b[999;1H\x1b[2K\x1b[7m sshgate replay {rec.id}: {msg} "
                             f"\x1b[0m\x1b8")
        else:
            sys.stderr.write(f"sshgate replay {rec.id}: {msg}\n")
        sys.stderr.flush()

    replay_mod.play(rec, speed=speed, idle_limit=idle_limit, raw=raw, status=status)
    if tty:  # the status bar sits over the bottom line: leave the screen as it was
        sys.stderr.write("\x1b7\x1b[999;1H\x1b[2K\x1b8")
        sys.stderr.flush()
    sys.exit(0)  # the end or `q`: both are a normal end of playback
