"""systemctl/service start and restart (red team s7, class C17): the site's services may be
restarted (an ordinary deploy step, as docker/compose/kubectl restarts are), but units that
are not the site's services are held by class: the host's own jobs (upgrades, provisioning,
maintenance, backups), its access paths and its security controls and log shippers."""

from __future__ import annotations

from .expect import table_tests

HELD = [
    # the red team's lines
    "systemctl start tmp.mount", "systemctl start apt-daily-upgrade", "systemctl start cloud-init",
    # the host's jobs
    "systemctl start apt-daily-upgrade.service", "systemctl restart cloud-init",
    "systemctl start cloud-final.service", "systemctl start unattended-upgrades",
    "systemctl start fstrim", "systemctl start logrotate", "systemctl start certbot",
    "systemctl start dpkg-db-backup", "systemctl start packagekit", "systemctl start e2scrub_all",
    "systemctl start man-db", "systemctl start db-restore", "sudo systemctl start backup.service",
    "systemctl start anacron", "systemctl start snapd.snap-repair",
    "systemctl try-restart cloud-init", "systemctl reload-or-restart apt-daily",
    # access paths, runtimes, security controls, logs
    "systemctl restart sshd", "systemctl restart ssh", "systemctl restart ssh.service",
    "systemctl restart docker", "systemctl restart containerd", "systemctl restart kubelet",
    "systemctl restart openvpn@server", "systemctl restart wg-quick@wg0",
    "systemctl restart tailscaled", "systemctl restart fail2ban", "systemctl restart rsyslog",
    "systemctl restart auditd", "systemctl restart filebeat", "systemctl start user@0",
    "systemctl restart systemd-journald",
    # the same through service(8)
    "service ssh restart", "service cloud-init start", "service docker restart",
    "service fail2ban restart", "sudo service rsyslog restart", "service x.mount start",
]

ALLOWED = [
    "systemctl restart nginx", "sudo systemctl restart app", "sudo systemctl start app-worker@2",
    "systemctl reload nginx", "sudo service php8.2-fpm restart", "systemctl start postgresql",
    "systemctl start postgresql@15-main", "systemctl try-restart gunicorn",
    "systemctl restart redis-server", "systemctl restart nginx.service",
    "systemctl status sshd", "systemctl status cloud-init", "service ssh status",
    "systemctl is-active docker", "systemctl list-timers", "service nginx reload",
]

test_held, test_allowed = table_tests(HELD, ALLOWED)
