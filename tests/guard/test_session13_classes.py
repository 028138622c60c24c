"""Session 13's ordinary classes (a cd into the home or a deploy root, the tree's virtualenv,
the frameworks' own deploy verbs, a quoted pattern of a cloud CLI) and the look-alikes of each
that stay held."""

from __future__ import annotations

from .expect import allowed, each, held

ALLOWED = [
    # a cd into the home or a deploy root names the same files a relative cd would
    "cd ~/infra/ansible && ansible-playbook -i inventories/staging/hosts.yml site.yml --check",
    "cd /srv/infra/ansible && ansible-playbook -i inventories/staging/hosts.yml site.yml "
    "--syntax-check",
    "cd ~/repos/platform && docker build -f docker/api.Dockerfile -t api:dev .",
    "cd ~/svc/api && pytest tests/ -q",
    # the tree's virtualenv, wherever the cd put the tree
    "cd ~/projects/shop && .venv/bin/pytest -q -n 4 2>&1 | tail -8",
    "cd ~/projects/shop && .venv/bin/ruff check src/ && .venv/bin/black --check src/",
    "cd /srv/shop && .venv/bin/python manage.py showmigrations orders",
    "cd /srv/shop && source .venv/bin/activate && python manage.py check --deploy",
    "cd api && source .venv/bin/activate && pytest",
    # the frameworks' forward migration and deploy steps
    "python manage.py migrate", "python manage.py migrate orders --noinput",
    "cd /srv/shop && .venv/bin/python manage.py migrate",
    "python manage.py collectstatic --noinput",
    "cd /var/www/ledger && bin/rails db:migrate:status | tail -15",
    "cd ~/code/ledger && bin/rails db:migrate && git status --short",
    "bundle exec rails zeitwerk:check", "rails g migration AddDueAtToInvoices due_at:datetime",
    "cd /var/www/bookings && php artisan migrate --force && php artisan optimize",
    "php artisan config:cache && php artisan route:cache && php artisan view:cache",
    "php artisan make:model Waitlist -mf", "php artisan queue:failed | head -20",
    # a quoted pattern is the CLI's own
    "aws s3 ls s3://bucket/data/ --recursive --exclude '*.tmp'",
]

HELD = [
    # the home's dot-directories, another login's home, secrets, scratch
    "ansible-playbook -i ~/.ssh/hosts site.yml", "ansible-playbook -i /home/bob/hosts site.yml",
    "pytest ~/.local/lib", "pytest /tmp/other/tests", "terraform plan -var-file=/home/u/x.tfvars",
    "docker build -f ~/.cache/Dockerfile .", "ln -sfn ~/releases/42 current",
    "/home/other/.venv/bin/pytest", "~/.venv/bin/pytest", "source ~/.venv/bin/activate",
    "cd /tmp/x && .venv/bin/pytest", "source /tmp/.venv/bin/activate",
    # migrations back down, resets, prompts, code
    "python manage.py migrate orders zero", "python manage.py migrate orders 0041",
    "python manage.py migrate --fake", "python manage.py collectstatic --clear --noinput",
    "python manage.py flush --noinput", "cd /srv/shop && python manage.py shell",
    "bin/rails db:migrate VERSION=0", "bin/rails db:rollback", "bin/rails db:reset",
    "rails g migration DropUsers", "bin/rails runner 'puts 1'",
    "php artisan migrate:fresh", "php artisan migrate --path=/tmp/x", "php artisan db:wipe",
    "php artisan migrate --force --seed", "php artisan tinker", "php artisan down",
    # an unquoted glob may expand into an option
    "aws s3 ls s3://bucket/ [-]*",
]


def test_allowed():
    each(ALLOWED, allowed)


def test_held():
    each(HELD, held)
