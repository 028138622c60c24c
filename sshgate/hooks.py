"""The gateway's hooks as deployed: guard + approvals + recording, wired to one config."""

from __future__ import annotations

from collections.abc import Callable

from .config import Config
from .gateway.server import AgentConnection, Gateway, GatewayHooks
from .gateway.session import AgentSession
from .policy.evaluate import Decision, classify_for, decide
from .policy.model import Action


class DeployedHooks(GatewayHooks):
    """Classify every command, hold or refuse per policy, record and audit everything."""

    def __init__(self, gateway: Gateway, config: Config | None = None):
        self.gateway = gateway
        self.config = config

    def decide(self, conn: AgentConnection, command: str) -> Decision:
        auth = conn.authorization
        policy = conn.policy
        return decide(policy, classify_for(policy, command),
                      identity=auth.identity.name if auth else None,
                      target=auth.target.name if auth else None)

    async def check_command(self, conn: AgentConnection, session: AgentSession,
                            command: str) -> bool:
        decision = self.decide(conn, command)
        conn.audit("command.decision", command=command, decision=decision.action.value,
                   findings=decision.to_json()["findings"], mode=session.mode)
        if decision.action is Action.ALLOW:
            return True
        if decision.action is Action.DENY:
            session.refuse(f"denied: {decision.reason}")
            return False
        return await self.hold(conn, session, command, decision)

    async def hold(self, conn: AgentConnection, session: AgentSession, command: str,
                   decision: Decision) -> bool:
        session.refuse(f"denied: approval required and no approval service is running "
                       f"({decision.reason})")
        return False


def default_hooks_factory(config: Config) -> Callable[[Gateway], GatewayHooks]:
    def make(gw: Gateway) -> GatewayHooks:
        return DeployedHooks(gw, config)

    return make
