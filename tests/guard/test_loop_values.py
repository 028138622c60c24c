"""A ``for`` loop's words are the values its variable takes (the parser's, ``for_values``): quotes
removed as bash removes them, every value judged, and too many values or words the guard
cannot read exactly leave the variable computed."""

from __future__ import annotations

from .expect import allowed, each, held

ALLOWED = [
    "for svc in nginx app; do systemctl is-active $svc; done",
    "for s in nginx app-worker; do systemctl status $s --no-pager | head -5; done",
    "for ns in default kube-system; do kubectl get pods -n $ns; done",
    "for f in a.log b.log; do wc -l \"$f\"; done",
    "for x in a b c d e f g h i; do cat \"$x\"; done",
    "for x in a; do systemctl status '$x'; done",
    # the parser's words (ParseResult.for_values): a quoted ';' is part of a file name
    "for x in a 'b;c'; do cat $x; done",
]

HELD = [
    # a value past the old cut of 8 was never judged (red team of this session)
    "for x in a b c d e f g h ~/.ssh/id_rsa; do cat $x; done",
    "for x in a b c d e f g h i j k l m n o p /etc/shadow; do cat \"$x\"; done",
    "for a in 1 2 3 4 5 6 7 8 9; do for b in 1 2 3 4 5 6 7 /etc/shadow; do cat \"$a$b\"; "
    "done; done",
    # quoted values are the words bash gives the loop
    "for x in '/etc/shadow'; do cat $x; done", "for x in \"/root/.ssh/id_rsa\"; do cat $x; done",
    "for x in '~/.ssh'/id_rsa; do cat \"$x\"; done",
    "for x in a 'b;c' '/etc/shadow'; do cat $x; done",
    "for x in $'\\x2fetc/shadow'; do cat \"$x\"; done",
    # a plain value in any position is judged as the word it becomes
    "for u in reboot.target; do systemctl start $u; done", "for o in -rf; do rm $o /srv/x; done",
    "for p in --force; do git push $p origin main; done",
    "for n in prod; do kubectl delete ns $n; done",
    "for x in secret; do kubectl get $x -o yaml; done",
    # a value with a blank or a glob splits or expands: not one known word
    "for x in \"a b\"; do systemctl status $x; done", "for x in 'a*'; do systemctl status $x; done",
]


def test_loop_values_make_plain_words_known() -> None:
    each(ALLOWED, allowed)


def test_every_loop_value_is_judged() -> None:
    each(HELD, held)
