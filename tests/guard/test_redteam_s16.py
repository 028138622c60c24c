"""Session 16's red team of the guard (the adaptive round, /tmp/rt16 report): each finding's
attack held, by its mechanism, with the look-alikes that stay allowed."""

from __future__ import annotations

from .expect import allowed, each, held

# 1, 3: a short spelling of an option whose long spelling takes an optional value is a flag,
# and the rest of its cluster more options (cp -u, objdump -d/-C); only getopt's ``x::``
# spellings (sed -i, date -I, git -u/-M/-C) take the rest of the cluster as the value
OPTIONAL_HELD = [
    "cp -ut /etc/cron.d job", "cp -ut /etc passwd", "cp -ut /etc/pam.d sshd",
    "cp -ut /usr/bin ls", "cp -uvt /etc/cron.d job", "sudo cp -ut /etc/cron.d job",
    "cp -ut /var/spool/cron/crontabs root", "mv -ut /etc x",
    "objdump -dS e.o", "objdump -CS -d e.o",
]
OPTIONAL_ALLOWED = [
    "cp -u notes.txt backup/notes.txt", "mv -uv draft.md docs/draft.md", "objdump -d x.o",
    "objdump --disassemble=main -r x.o", "sed -i.bak s/a/b/ f.txt", "git status -uno",
    "git diff -M50% HEAD~1", "date -Iseconds", "make -j8", "journalctl -b -1 -u nginx",
    "git log -n5", "cp --update=none a.txt b.txt",
]


def test_optional_values_held() -> None:
    each(OPTIONAL_HELD, held)


def test_optional_values_allowed() -> None:
    each(OPTIONAL_ALLOWED, allowed)


# 2: a long option is matched in full: the tool resolves a prefix against all its options
PREFIX_HELD = [
    "pylint --output=run.sh --msg-template='id' x.py",
    "pylint --output=important.db x.py", "pylint --out=x x.py",
    "sed --expr=s/a/b/ f", "grep --colo=always x f", "sort --out=f x",
]
PREFIX_ALLOWED = [
    "pylint --output-format=parseable x.py",
    "pylint -f json --msg-template='{path}:{line}' x.py", "sed --expression=s/a/b/ f",
]


def test_prefixes_held() -> None:
    each(PREFIX_HELD, held)


def test_prefixes_allowed() -> None:
    each(PREFIX_ALLOWED, allowed)


# 4: scratch space is where rm runs unasked: moving data into it deletes in two steps
SCRATCH_MOVE_HELD = [
    "mv ~/projects /tmp/p && rm -rf /tmp/p", "mv src /tmp/x; rm -rf /tmp/x",
    "cd ~ && mv data /tmp/x && rm -rf /tmp/x", "mv src /var/tmp/", "mv src /dev/shm/x",
    "mv src //tmp/x", "cd /tmp && mv ~/projects p && rm -rf p", "mv src $TMPDIR/x",
    "mv src \"$(mktemp -d)\"", "mv ~/notes.txt /tmp",
]
SCRATCH_MOVE_ALLOWED = [
    "mv /tmp/a.log /tmp/b.log", "mv build.log logs/build.log", "mv draft.md docs/",
    "mv /tmp/report.csv reports/",
]


def test_moves_into_scratch_held() -> None:
    each(SCRATCH_MOVE_HELD, held)


def test_moves_into_scratch_allowed() -> None:
    each(SCRATCH_MOVE_ALLOWED, allowed)


# 5: cat-file prints any blob by its object id: whole objects only from HEAD's commits and
# trees or by a path the secret check reads; type, size and existence of any id
CAT_FILE_HELD = [
    "git cat-file -p a2654461e340928b36985e2806ff89eec10d9381", "git cat-file -p a265446",
    "git cat-file --batch-all-objects --batch", "git cat-file blob a265446",
    "git cat-file --batch < ids", "git cat-file -p mytag", "git cat-file -p HEAD^{blob}",
    "git cat-file -p HEAD:.env", "git cat-file --batch-command", "git cat-file -p HEAD:",
]
CAT_FILE_ALLOWED = [
    "git cat-file -t a265446", "git cat-file -s a265446", "git cat-file -e a265446",
    "git cat-file --batch-check --batch-all-objects", "git cat-file -p HEAD",
    "git cat-file -p HEAD^{tree}", "git cat-file -p HEAD~2^{commit}",
    "git cat-file -p HEAD:README.md", "git cat-file blob HEAD:src/a.py",
]


def test_cat_file_held() -> None:
    each(CAT_FILE_HELD, held)


def test_cat_file_allowed() -> None:
    each(CAT_FILE_ALLOWED, allowed)


# the review of session 16: a compose project named by an assignment before the command
# acts on another stack as -p does (an exported name or one set through env stays a known gap)
COMPOSE_HELD = [
    "COMPOSE_PROJECT_NAME=payments docker compose -f /opt/tools/docker-compose.yml up -d "
    "--force-recreate",
    "COMPOSE_PROJECT_NAME=payments docker compose -f docker-compose.yml up -d",
    "COMPOSE_PROJECT_NAME=payments docker compose --file=c.yml restart",
]
COMPOSE_ALLOWED = [
    "docker compose -f docker-compose.prod.yml up -d --build", "docker compose up -d",
    "COMPOSE_PROJECT_NAME=shop docker compose ps", "docker compose -p shop ps",
]


def test_compose_other_stack_held() -> None:
    each(COMPOSE_HELD, held)


def test_compose_other_stack_allowed() -> None:
    each(COMPOSE_ALLOWED, allowed)
