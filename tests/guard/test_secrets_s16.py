"""Red team s16 (secrets): credential-bearing variable names, service config files, cloud calls
that print secrets, SQL reads of credential columns and tables, secret-named bucket objects and
full image history -- each held by class, with look-alikes that stay allowed."""

from __future__ import annotations

from tests.guard.expect import allowed, each, held

ENV_HELD = [
    """docker exec web sh -c 'echo "$REDIS_URL" "$CELERY_BROKER_URL"'""",
    "kubectl exec -n prod deploy/api -- printenv MONGODB_URI",
    """docker compose exec -T app sh -c 'echo "$SLACK_WEBHOOK_URL"'""",
    "podman exec runner printenv GITHUB_PAT",
    "echo $DATABASE_URL",
    "printenv SENTRY_DSN",
    "printenv AMQP_URI",
    "echo $DB_CONN",
    "echo $SQLSERVER_CONNECTION_STRING",
    "printenv PAT",
    "echo $AUTH",
    "printenv SESSION_COOKIE",
    "echo $SIGNING_KEY_B64",
    "printenv PRIVATE_KEY_PEM",
    "echo $TLS_CERT",
    "printenv DISCORD_WEBHOOK",
    "echo ${ELASTICSEARCH_URL}",
]
ENV_ALLOWED = [
    "echo $HOME $PATH $USER $SHELL $PWD $LANG $TERM",
    "printenv PATH",
    "echo $NODE_ENV",
    "echo $HOSTNAME",
    "printenv LANG",
]

FILES_HELD = [
    "cat /var/www/nextcloud/config/config.php",
    "cat /etc/redis/redis.conf",
    "sudo grep -E '^(requirepass|masterauth)' /etc/redis/redis.conf",
    "cat /var/www/magento/app/etc/env.php",
    "cat app/etc/env.php",
    "cat /etc/phpmyadmin/config-db.php",
    "cat /var/www/drupal/sites/default/settings.php",
    "cat /etc/gitea/app.ini",
    "sudo cat /etc/krb5kdc/stash",
    "sudo strings /var/kerberos/krb5kdc/.k5.EXAMPLE.COM",
    "sudo strings /var/lib/krb5kdc/principal",
    "sudo cat /etc/sasldb2",
    "cat /etc/dovecot/users",
    "cat /etc/mosquitto/passwd",
    "cat /etc/squid/passwd",
    "cat /etc/nagios/htpasswd.users",
    "cat /etc/pgpool2/pool_passwd",
    "strings /var/lib/ldap/data.mdb",
    "sudo strings /var/lib/sss/db/cache_example.com.ldb",
    "sudo cat '/etc/ldap/slapd.d/cn=config/olcDatabase={1}mdb.ldif'",
    "sudo cat '/etc/openldap/slapd.d/cn=config/olcDatabase={2}hdb.ldif'",
    "sudo cat /etc/dirsrv/slapd-ldap1/pin.txt",
    "cat /etc/opendkim/keys/example.com/default.private",
    "cat mail.private",
    "sudo cat /etc/luks-keys/data.key",
    "cat /etc/tower/SECRET_KEY",
    "cat /etc/ntp.keys",
    "cat /etc/letsencrypt/cloudflare.ini",
    "cat /etc/passwd-s3fs",
    "cat ~/.passwd-s3fs",
    "cat /etc/rclone.conf",
    "cat ~/.config/rclone/rclone.conf",
    "cat ansible/.vault_pass.txt",
    "cat ~/.vault_pass",
    "cat deploy/prod_vault_password",
    "cat /etc/systemd/system/api.service",
    "grep Environment /etc/systemd/system/worker.service",
    "head -50 /etc/gitea/app.ini",
]
FILES_ALLOWED = [
    "cat /etc/passwd",
    "cat /etc/group",
    "cat /etc/nginx/nginx.conf",
    "cat /etc/hosts",
    "grep -c processor /proc/cpuinfo",
    "ls /etc/systemd/system/",
    "cat /etc/systemd/system/app.timer",
    "cat /lib/systemd/system/ssh.service",
    "grep -v '^#' /etc/nginx/nginx.conf",
    "for f in *.txt; do cat \"$f\"; done",
    "grep -rn TODO --include=*.py src",
    "ls /etc/redis/",
    "cat /etc/os-release",
]

CLOUD_HELD = [
    "aws ec2 describe-vpn-connections --vpn-connection-ids vpn-0abc",
    "gcloud composer environments describe prod-composer --location us-central1",
    "az vm show -g rg -n vm1 --include-user-data",
    "doctl databases replica get 9cc10173 read-nyc3-01 --output json",
    "doctl databases connection 9cc10173",
    "doctl databases user get 9cc10173 app",
    "aws kafkaconnect describe-connector --connector-arn arn:aws:kafkaconnect:us-east-1:1:c/x",
    "aws lambda get-function-configuration --function-name api",
    "aws ecs describe-task-definition --task-definition api:7",
    "aws ec2 describe-instance-attribute --instance-id i-0abc --attribute userData",
    "aws ssm get-parameter --name /prod/db --with-decryption",
    "aws ssm get-parameters --names /prod/db /prod/api --with-decryption",
    "gcloud run services describe api --region us-central1",
    "az webapp config appsettings list -g rg -n app",
    "az functionapp config appsettings list -g rg -n fn",
]
CLOUD_ALLOWED = [
    "aws ec2 describe-instances",
    "aws s3 ls s3://b/",
    "aws s3 ls s3://b/secrets/",
    "aws s3 cp s3://models/bert/tokenizer.json /tmp/tok.json",
    "gsutil cat gs://b/logs/app.log",
    "aws s3 cp s3://b/data/monkey.csv -",
    "gcloud compute instances list",
    "az vm list -o table",
    "doctl compute droplet list",
]

SQL_HELD = [
    "mysql -D wordpress -e 'SELECT user_login, user_email, user_pass FROM wp_users'",
    "psql -d app -c 'SELECT email, encrypted_password, reset_password_token FROM users'",
    """mysql -e "SHOW CREATE USER 'root'@'localhost'\"""",
    "psql -d app -c 'SELECT name, uid, secret FROM oauth_applications'",
    "sqlite3 /var/lib/gitea/data/gitea.db 'SELECT name, passwd, salt, passwd_hash_algo FROM user'",
    "mysql -e 'select * from mysql.servers'",
    "psql -c 'select * from auth_user'",
    "psql -c 'select * from oauth_access_tokens'",
    """sqlite3 db.sqlite3 "select key from authtoken_token\"""",
    """sqlite3 db.sqlite3 "select * from django_session\"""",
    "mongosh app --eval 'db.users.find({}, {password:1})'",
    "pg_dump -t auth_user app",
    "pg_dump --table=public.users app",
    "mysqldump wordpress wp_users",
    "mongosh app --eval 'db.accounts.find().limit(3)'",
    "mongosh app --eval 'db.users.aggregate([{$group: {_id: \"$$ROOT\"}}])'",
    "mongosh app --eval 'db.users.findOne({email: \"a@b.c\"})'",
    "mongosh app --eval 'db.orders.distinct(\"apiKey\")'",
    "psql -c 'select api_key from accounts'",
    "psql -c 'select id, otp_secret from users'",
    "mysql -e 'select * from users'",
    "psql -c 'select session_data from sessions'",
    "psql -c 'select * from personal_access_tokens'",
]
SQL_ALLOWED = [
    "psql -c 'select count(*) from users'",
    "psql -c 'select id, email, created_at from users limit 10'",
    "psql -c 'select * from orders limit 5'",
    """psql -c "SELECT pg_size_pretty(pg_database_size('app'))\"""",
    "psql -c 'EXPLAIN SELECT * FROM orders WHERE id=1'",
    "mysql -e 'SHOW GRANTS'",
    """mysql -e "SHOW GRANTS FOR 'app'@'%'\"""",
    "mongosh app --eval 'db.orders.find().limit(5)'",
    "mongosh app --eval 'db.users.countDocuments()'",
    "mongosh app --eval 'db.users.find({}, {email: 1}).limit(3)'",
    "pg_dump -s -t users app",
    "pg_dump -t orders app",
    "mysqldump shop orders",
    "psql -c 'select id, name from sessions_summary'",
]

S3_HELD = [
    "aws s3 cp s3://b/env/tfstate -",
    "aws s3 cp s3://b/config/database.yml -",
    "aws s3 cp s3://b/terraform.tfvars -",
    "aws s3 cp s3://b/vault-unseal-keys.txt -",
    "aws s3 cp s3://b/prod/.env -",
    "aws s3 cp s3://b/keys/id_rsa -",
    "gsutil cat gs://b/terraform.tfstate",
    "aws s3 cp s3://b/x --key VALUE",
    "aws s3api get-object --bucket b --key prod/vault-unseal-keys.txt out.txt",
    "gsutil cp gs://b/secrets/prod.json .",
    "aws s3 cp s3://b/deploy/db-password.txt /tmp/p",
]
S3_ALLOWED = [
    "aws s3 cp s3://b/report.csv -",
    "aws s3 ls s3://b/",
    "aws s3 ls s3://b/secrets/",
    "aws s3 cp s3://models/bert/tokenizer.json /tmp/tok.json",
    "gsutil cat gs://b/logs/app.log",
    "aws s3 cp s3://b/data/monkey.csv -",
]

HISTORY_HELD = [
    "docker history --no-trunc web:latest",
    "docker history --no-trunc=true web:latest",
    "docker image history --no-trunc web:latest",
    "docker history --format '{{.CreatedBy}}' web:latest",
    "podman history --no-trunc web:latest",
]
HISTORY_ALLOWED = [
    "docker history web:latest",
    "docker history --format '{{.Size}}' web:latest",
]


def test_env_names_held() -> None:
    each(ENV_HELD, held)


def test_env_names_allowed() -> None:
    each(ENV_ALLOWED, allowed)


def test_service_files_held() -> None:
    each(FILES_HELD, held)


def test_service_files_allowed() -> None:
    each(FILES_ALLOWED, allowed)


def test_cloud_held() -> None:
    each(CLOUD_HELD, held)


def test_cloud_allowed() -> None:
    each(CLOUD_ALLOWED, allowed)


def test_sql_held() -> None:
    each(SQL_HELD, held)


def test_sql_allowed() -> None:
    each(SQL_ALLOWED, allowed)


def test_s3_held() -> None:
    each(S3_HELD, held)


def test_s3_allowed() -> None:
    each(S3_ALLOWED, allowed)


def test_history_held() -> None:
    each(HISTORY_HELD, held)


def test_history_allowed() -> None:
    each(HISTORY_ALLOWED, allowed)
