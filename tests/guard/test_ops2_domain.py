"""Everyday SRE lines (sshgate/guard/tools/ops2.py and the small safe.py shapes it extended):
each ordinary read or status line is allowed; each left-out class (a verb or command word that
changes the host, a file read as commands or configuration, stdin fed to a tool that acts on
it, output to a file, a secret operand, computed words) has a look-alike that is held."""

from __future__ import annotations

from .expect import allowed, each, grouped_tests, held

ALLOWED = {
    "users": ["users", "users | wc -w", "users | tr ' ' '\\n' | sort -u"],
    "httpd": [
        "httpd -t", "sudo httpd -t", "httpd -S", "sudo httpd -M | grep ssl", "httpd -v",
        "httpd -V", "httpd -t -D DUMP_VHOSTS", "httpd -t -D DUMP_INCLUDES", "httpd -l",
        "httpd -S 2>&1 | head -40",
    ],
    "ipset": [
        "sudo ipset list", "sudo ipset list -n", "ipset list -t", "sudo ipset list blocklist",
        "sudo ipset list blocklist | head -20", "sudo ipset -L", "ipset list -o save",
        "sudo ipset save", "sudo ipset save blocklist", "ipset version", "ipset -v",
        "sudo ipset list -terse | grep 'Number of entries'",
    ],
    "iw": [
        "iw dev", "iw dev wlan0 info", "iw dev wlan0 link", "sudo iw dev wlan0 station dump",
        "iw dev wlp2s0 survey dump", "iw list | head -50", "iw phy", "iw phy phy0 info",
        "iw reg get", "iw --version", "iw dev wlan0 get power_save",
    ],
    "systemd-resolve, run-parts, caddy": [
        "systemd-resolve --status", "systemd-resolve --status | grep 'DNS Servers'",
        "systemd-resolve --statistics", "systemd-resolve example.com",
        "systemd-resolve -t MX example.com", "systemd-resolve --status eth0",
        "run-parts --test /etc/cron.daily", "run-parts --list /etc/cron.hourly",
        "sudo run-parts --test --verbose /etc/cron.weekly",
        "run-parts --test --regex '^[a-z]+$' /etc/cron.daily",
        "caddy version", "caddy list-modules", "caddy list-modules --versions | grep http",
        "caddy validate --config /etc/caddy/Caddyfile",
        "sudo caddy validate --config /etc/caddy/Caddyfile --adapter caddyfile",
        "caddy validate -c /etc/caddy/caddy.json", "caddy build-info",
    ],
    "subcommands of listed tools": [
        "systemctl get-default", "systemctl is-system-running",
        "systemctl is-system-running --wait", "systemctl is-system-running -q && echo ok",
        "systemctl list-machines", "systemctl list-paths", "systemctl list-automounts",
        "systemctl list-paths --all --no-pager", "apt-cache showpkg nginx",
        "apt-cache stats", "apt-cache showsrc openssl | head", "apt-cache pkgnames | wc -l",
        "apt-cache pkgnames nginx", "certbot --version", "sudo certbot --version",
    ],
    "safe.py shapes extended": [
        "sudo nginx -t -c /etc/nginx/nginx.conf", "nginx -T -c /etc/nginx/nginx.conf",
        "sudo nginx -t -q -c /etc/nginx/conf.d/site.conf",
        "sudo nginx -c /etc/nginx/nginx.conf -t",
        "dpkg -V nginx", "sudo dpkg --verify", "dpkg -V openssh-server | head",
        "blkid /dev/sda1", "sudo blkid /dev/nvme0n1p2", "sudo blkid -o value -s UUID /dev/sda1",
        "sudo blkid -p /dev/sdb", "blkid -s TYPE /dev/mapper/vg0-root",
        "kubectl auth can-i list pods --as=system:serviceaccount:prod:ci -n prod",
        "kubectl auth can-i create deployments -n prod --as system:serviceaccount:prod:ci",
        "kubectl auth can-i '*' '*' --as alice --as-group admins",
        "kubectl auth can-i --list --as bob -n staging",
    ],
}

HELD = {
    "users, left out": [
        "users /etc/shadow", "users /var/run/utmp", "users $F", "users > ~/.bashrc",
        # lastb prints mistyped passwords as user names; parted answers questions from stdin
        "lastb", "sudo lastb -n 20", "sudo parted -l", "sudo parted /dev/sda print",
    ],
    "httpd": [
        "httpd", "sudo httpd -k start", "httpd -k graceful", "httpd -k stop", "httpd -X",
        "httpd -t -f /tmp/httpd.conf", "httpd -t -C 'LoadModule x /tmp/x.so'",
        "httpd -t -c 'Include /etc/shadow'", "httpd -t -d /tmp/root", "httpd -D FOREGROUND",
        "httpd -t -D $X", "httpd configtest", "httpd -S -e debug",
    ],
    "ipset": [
        "sudo ipset add blocklist 1.2.3.4", "sudo ipset del blocklist 1.2.3.4",
        "sudo ipset flush", "sudo ipset destroy blocklist",
        "sudo ipset create x hash:ip", "sudo ipset restore < /tmp/sets",
        "sudo ipset -file /tmp/out save", "sudo ipset save -file /tmp/out",
        "sudo ipset swap a b", "ipset list $SET", "ipset list /etc/shadow",
        "sudo ipset save > /etc/ipset.conf", "ipset -! list", "ipset list a b",
    ],
    "iw": [
        "sudo iw dev wlan0 set power_save off", "sudo iw dev wlan0 connect corp",
        "sudo iw dev wlan0 scan", "sudo iw dev wlan0 disconnect", "sudo iw dev wlan0 del",
        "sudo iw dev wlan0 interface add mon0 type monitor", "sudo iw reg set US",
        "iw event", "sudo iw phy phy0 set txpower fixed 100", "iw dev $IF info",
        "iw dev wlan0 station dump extra", "iw phy phy0 interface add x type monitor",
        "iw --debug dev",
    ],
    "systemd-resolve, run-parts, caddy": [
        "systemd-resolve --flush-caches", "systemd-resolve --set-dns=1.1.1.1 --interface=eth0",
        "systemd-resolve --revert --interface=eth0", "systemd-resolve --reset-statistics",
        "systemd-resolve $NAME", "systemd-resolve /etc/shadow",
        "run-parts /etc/cron.daily", "sudo run-parts /etc/cron.daily",
        "run-parts --report /etc/cron.daily", "run-parts --test /tmp/a /tmp/b",
        "run-parts --test", "run-parts --test -a x /etc/cron.daily",
        "caddy run", "caddy start --config /etc/caddy/Caddyfile", "caddy stop",
        "caddy reload --config /etc/caddy/Caddyfile", "caddy adapt --config /etc/caddy/Caddyfile",
        "caddy environ", "caddy fmt --overwrite /etc/caddy/Caddyfile", "caddy validate",
        "caddy validate --config Caddyfile", "caddy validate --config /tmp/Caddyfile",
        "caddy validate --config /etc/shadow", "caddy validate --config /etc/caddy/../shadow",
        "caddy validate --config /etc/caddy/secrets.json",
        "caddy validate --config /etc/caddy/Caddyfile --envfile /etc/caddy/.env",
        "caddy validate --config /etc/caddy/Caddyfile --adapter nginx",
        "caddy validate --config $CONF", "caddy list-modules > /etc/caddy/Caddyfile",
        "caddy hash-password --plaintext x", "caddy trust", "caddy upgrade",
        "caddy add-package github.com/x/y",
    ],
    "subcommands of listed tools": [
        "systemctl set-default rescue.target", "systemctl isolate rescue.target",
        "systemctl --user status", "systemctl -H prod1 get-default",
        "systemctl get-default extra", "systemctl list-paths $P",
        "systemctl is-system-running --root=/mnt", "apt-cache -o Dir::Cache=/tmp showpkg x",
        "apt-cache showpkg $PKG", "apt-cache gencaches", "apt-cache showpkg ../x",
        "certbot --version --config /tmp/x",
        "certbot renew", "certbot delete --cert-name x",
    ],
    "safe.py shapes extended": [
        "nginx -c /etc/nginx/nginx.conf", "sudo nginx -t -c /tmp/nginx.conf",
        "nginx -t -c /etc/nginx/.htpasswd", "nginx -T -c /etc/nginx/htpasswd.conf",
        "nginx -t -c /etc/nginx/ssl/server.key", "nginx -t -c /etc/nginx/../shadow.conf",
        "nginx -t -c /etc/shadow", "nginx -t -c $CONF",
        "nginx -t -c /etc/nginx/nginx.conf -g 'load_module /tmp/x.so;'",
        "nginx -t -c /etc/nginx/nginx.conf -p /tmp", "nginx -t -c",
        "nginx -t -c /etc/nginx/api-keys.conf", "nginx -t -c /etc/nginx/.hidden/x.conf",
        "dpkg -i /tmp/x.deb", "dpkg --purge nginx", "dpkg -V $PKG nginx; dpkg -r nginx",
        "dpkg --verify-format rpm -V nginx",
        "blkid -c /tmp/cache /dev/sda1", "blkid -g", "blkid $DEV",
        "blkid -o value /dev/sda1 > ~/.profile",
        "kubectl --as=admin get secrets", "kubectl get pods --as=admin",
        "kubectl auth can-i list pods --as=$WHO", "kubectl auth reconcile -f x.yaml",
        "kubectl --as admin auth can-i list pods",
    ],
}


test_held, test_allowed = grouped_tests(HELD, ALLOWED)



def test_blkid_names_a_device_but_a_cat_of_it_is_still_held() -> None:
    """blkid prints a device's superblock tags; reading the device itself stays a secret read."""
    each(["sudo blkid /dev/sda1"], allowed)
    each(["sudo cat /dev/sda1", "sudo dd if=/dev/sda1 bs=1M count=1",
          "sudo head -c 4096 /dev/nvme0n1"], held)
