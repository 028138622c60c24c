"""The gateway's hooks as deployed: guard + approvals + recording, wired to one config."""

from __future__ import annotations

from collections.abc import Callable

from .approvals.broker import State
from .approvals.control import ApprovalService, ControlServer
from .config import Config
from .gateway.server import AgentConnection, Gateway, GatewayHooks
from .gateway.session import AgentSession
from .policy.evaluate import Decision, classify_for, decide
from .policy.model import Action, Policy


class DeployedHooks(GatewayHooks):
    """Classify every command, hold or refuse per policy, record and audit everything."""

    def __init__(self, gateway: Gateway, config: Config | None = None):
        self.gateway = gateway
        self.config = config
        policy = gateway.policy
        self.approvals = ApprovalService(policy.approvers, policy.approval,
                                         audit=gateway.audit_log.write)
        self.control: ControlServer | None = None

    async def start(self) -> None:
        if self.config is not None:
            self.control = ControlServer(self.approvals, self.config.control_socket,
                                         self.config.control_group)
            await self.control.start()

    async def close(self) -> None:
        self.approvals.deny_all("the gateway is stopping")
        await self.approvals.close()
        if self.control is not None:
            await self.control.close()

    def on_stopping(self) -> None:
        self.approvals.deny_all("the gateway is stopping")

    def on_policy(self, policy: Policy) -> None:
        self.approvals.update_policy(policy.approvers, policy.approval)

    def on_session_end(self, conn: AgentConnection) -> None:
        self.approvals.forget_session(conn.session_id)

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
            self.approvals.remember(conn.session_id, command, "allow")
            return True
        if decision.action is Action.DENY:
            self.approvals.remember(conn.session_id, command, "deny")
            session.refuse(f"denied: {decision.reason}")
            return False
        allowed = await self.hold(conn, session, command, decision)
        self.approvals.remember(conn.session_id, command, "approved" if allowed else "denied")
        return allowed

    async def hold(self, conn: AgentConnection, session: AgentSession, command: str,
                   decision: Decision) -> bool:
        """Wait for a human. Anything but an approval bound to this session and command
        bytes is a refusal."""
        svc = self.approvals
        auth = conn.authorization
        assert auth is not None
        if svc.stopping:
            session.refuse("denied: the gateway is stopping")
            return False
        req = svc.open(
            session=conn.session_id, identity=auth.identity.name, target=auth.target.name,
            login=auth.login, client=f"{conn.client[0]}:{conn.client[1]}", command=command,
            findings=tuple(d for d in decision.to_json()["findings"]
                           if d["action"] == Action.APPROVE.value),
        )
        first = decision.deciding[0].finding
        session.say(f"waiting for approval {req.id} ({first.rule}: {first.why})")
        if svc.reviewers_connected == 0:
            if conn.policy.approval.no_reviewer == "deny":
                svc.withdraw(req.id, "no reviewer is connected")
                session.refuse("denied: no reviewer is connected")
                return False
            session.say("waiting; no reviewer is connected")
        done = await svc.wait(req)
        if done.state is State.APPROVED and svc.broker.consume(req.id, conn.session_id, command):
            return True
        if done.state is State.DENIED and done.reviewer:
            session.refuse(f"denied by {done.reviewer}: {done.reason}")
        else:
            session.refuse(f"denied: {done.reason}")
        return False


def default_hooks_factory(config: Config) -> Callable[[Gateway], GatewayHooks]:
    def make(gw: Gateway) -> GatewayHooks:
        return DeployedHooks(gw, config)

    return make
