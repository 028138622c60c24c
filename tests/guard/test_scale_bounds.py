"""kubectl scale is ordinary for one named workload to a bounded count above zero."""

from __future__ import annotations

from sshgate.guard.safe import MAX_REPLICAS

from .expect import allowed, each, held


def test_scale_is_bounded_and_named() -> None:
    each(["kubectl scale deployment web --replicas=3",
          "kubectl -n x scale statefulset db --replicas 3",
          f"kubectl scale deploy/web --replicas={MAX_REPLICAS}"], allowed)
    each(["kubectl scale deployment --all --replicas=500 -n orders",
          "kubectl scale deployment --all --replicas=5 -n x",
          "kubectl scale deploy -l app=web --replicas=2",
          "kubectl scale deploy --selector=app=web --replicas=2",
          f"kubectl scale deploy web --replicas={MAX_REPLICAS + 1}",
          "kubectl scale deploy web --replicas=0", "kubectl scale deploy web --replicas=99999"],
         held)
