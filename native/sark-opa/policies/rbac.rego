# Role-based permissions: which actions each SARK role may perform, and the highest
# tool sensitivity each role is cleared for.
package sark.rbac

role_permissions := {
	"admin": {"tool:invoke", "tool:list", "server:register", "server:delete", "policy:write"},
	"developer": {"tool:invoke", "tool:list", "server:register"},
	"viewer": {"tool:list"},
	"service": {"tool:invoke"},
}

role_clearance := {"admin": "critical", "developer": "high", "viewer": "low", "service": "medium"}

# Unknown role names are ignored rather than trusted.
roles contains role if {
	some role in input.user.roles
	role_permissions[role]
}

is_admin if "admin" in roles

action_permitted if {
	some role in roles
	input.action in role_permissions[role]
}

clearance := max({data.sark.sensitivity.levels[role_clearance[role]] | some role in roles})
