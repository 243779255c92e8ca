# SARK's authorization decision for one MCP tool call: deny by default; allow when a grant
# applies and no guard (network, MFA, business hours) objects.
package sark.authz

# Rules of the other packages are referenced by their full path (data.sark.rbac.is_admin),
# not through `import data.sark.rbac`: regorus's bytecode compiler turns a reference through
# an import into a lookup of the whole imported package, which evaluates every rule in it and
# builds the package object on every call (2.2x the instructions; see ../README.md).

default allow := false

allow if {
	grant
	count(denials) == 0
}

grant if data.sark.rbac.is_admin

grant if {
	data.sark.rbac.action_permitted
	data.sark.sensitivity.cleared
}

# Team managers may use their team's tools whatever the sensitivity; members need clearance.
grant if {
	input.action == "tool:invoke"
	data.sark.team.owner_manager
}

denials contains "ip_blocked" if data.sark.network.blocked

denials contains "ip_not_allowed" if {
	not data.sark.network.blocked
	not data.sark.network.permitted
}

denials contains "mfa_required" if not data.sark.mfa.ok

denials contains "outside_business_hours" if not data.sark.business_hours.ok

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
	"roles": sort([r | some r in data.sark.rbac.roles]),
	"decision": allow,
	"reason": reason,
	"denials": sort([d | some d in denials]),
}

decision := {"allow": allow, "reason": reason, "audit": audit}
