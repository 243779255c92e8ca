# SARK's authorization decision for one MCP tool call: deny by default; allow when a grant
# applies and no guard (network, MFA, business hours) objects.
package sark.authz

import data.sark.business_hours
import data.sark.mfa
import data.sark.network
import data.sark.rbac
import data.sark.sensitivity
import data.sark.team

default allow := false

allow if {
	grant
	count(denials) == 0
}

grant if rbac.is_admin

grant if {
	rbac.action_permitted
	sensitivity.cleared
}

# Team managers may use their team's tools whatever the sensitivity; members need clearance.
grant if {
	input.action == "tool:invoke"
	team.owner_manager
}

denials contains "ip_blocked" if network.blocked

denials contains "ip_not_allowed" if {
	not network.blocked
	not network.permitted
}

denials contains "mfa_required" if not mfa.ok

denials contains "outside_business_hours" if not business_hours.ok

default reason := "no_grant"

reason := "allowed" if allow

reason := concat(",", sort(denials)) if {
	grant
	count(denials) > 0
}

audit := {
	"user": object.get(input, ["user", "id"], null),
	"action": object.get(input, "action", null),
	"tool": object.get(input, ["tool", "name"], null),
	"sensitivity": object.get(input, ["tool", "sensitivity"], null),
	"roles": sort([r | some r in rbac.roles]),
	"decision": allow,
	"reason": reason,
	"denials": sort([d | some d in denials]),
}

decision := {"allow": allow, "reason": reason, "audit": audit}
