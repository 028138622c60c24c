"""Commands that print secrets the path table protects elsewhere: a workload's spec (its env
values), a service manager's environment, cloud descriptions that carry env, and backups."""

from __future__ import annotations

import pytest

from sshgate.guard import classify

from .expect import table_tests

HELD = [
    # a workload's full object carries its env values, as ``docker inspect`` does
    "kubectl get deploy web -o yaml",
    "kubectl get pods -o json",
    "kubectl get pod web --output=yaml", "kubectl get po/web -o yaml",
    "kubectl get pods.v1 -o json",
    "kubectl get pod web -o=jsonpath='{.spec}'", "kubectl get pod web -ojsonpath='{.spec}'",
    "kubectl get pod web -o jsonpath='{.status.phase}{.spec.containers[0].env}'",
    "kubectl get sts -o yaml",
    "kubectl get daemonsets.apps -o yaml",
    "kubectl get -f s -o yaml",
    "kubectl -n prod get all -o yaml",
    "oc get dc web -o yaml",
    "kubectl get pod web -o jsonpath='{.spec.containers[*].env}'",
    "kubectl get pod web -o jsonpath='{.spec.containers[0].env[0].value}'",
    "kubectl get pods -o jsonpath='{..image}'",
    "kubectl get pods -o jsonpath='{.items}'",
    "kubectl get pods -o jsonpath='{range .items[*]}{@}{end}'",
    "kubectl get pods -o jsonpath='{.metadata.annotations}'",
    "kubectl get pod web -o jsonpath='{}'",
    "kubectl get pod web -o jsonpath-file=x",
    "kubectl get pod web -o go-template='{{.}}'",
    "kubectl get pod web -o go-template='{{range .items}}{{.spec}}{{end}}'",
    "kubectl get pod web -o go-template --template='{{ . }}'",
    "kubectl get pod web -o go-template='{{ printf \"%v\" .spec }}'",
    "kubectl get pod web -o custom-columns=E:.spec.containers[*].env",
    # the service manager's environment, and a unit's Environment= (every property)
    "systemctl show-environment",
    "systemctl show app.service -p Environment",
    "systemctl show app.service --property=Environment",
    "systemctl show nginx",
    # cloud descriptions that print env values or startup scripts
    "gcloud run services describe x",
    "gcloud functions describe f",
    # backups hold copies of everything (an archive of /etc holds shadow); datastore files
    "cat /var/backups/etc.tgz",
    "tar -xOzf /var/backups/etc.tgz -C sub",
    "unzip -p -d sub /var/backups/site.zip",
    "cat /srv/backups/db.sql.gz",
    "tail /var/lib/postgresql/15/main/postmaster.opts",
]

ALLOWED = [
    "kubectl get pods -o wide",
    "kubectl get svc -o yaml",
    "kubectl get deploy -o name",
    "kubectl get pod web -o jsonpath='{.status.phase}'",
    "kubectl get pods -o jsonpath='{.items[*].metadata.name}'",
    "kubectl get pods -o jsonpath='{.items[*].spec.containers[*].image}'",
    "kubectl get pods -o jsonpath='{range .items[*]}{.metadata.name}{\"\\n\"}{end}'",
    "kubectl get pods -o custom-columns=NAME:.metadata.name,STATUS:.status.phase",
    "kubectl get pod web -o go-template='{{.status.phase}}'",
    "kubectl get pod web -o go-template='{{range .items}}{{.metadata.name}}{{end}}'",
    "systemctl show nginx -p ActiveState",
    "systemctl show -p ActiveState,SubState nginx",
    "systemctl status nginx",
    "gcloud run services list",
    "ls /var/backups",
    "cp -r src/ backup/",
    "cat backups/notes.txt",
    "ls -la /var/lib/postgresql",
]

test_held, test_allowed = table_tests(HELD, ALLOWED)


@pytest.mark.parametrize("line", ["kubectl get deploy web -o yaml", "systemctl show-environment",
                                  "gcloud run services describe x"])
def test_named_secret_dump(line: str) -> None:
    assert "secret.dump" in [f.rule for f in classify(line).findings]
