package sark.authz_test

import data.sark.authz

base := {
	"user": {
		"id": "alice", "roles": ["developer"], "teams": ["platform"], "managed_teams": [],
		"mfa": {"verified": true, "age_seconds": 120},
	},
	"action": "tool:invoke",
	"tool": {"name": "db_query", "sensitivity": "high", "owner_team": "platform"},
	"context": {"client_ip": "10.1.2.3", "timestamp": "2026-11-26T10:30:00Z"},
}

test_deny_by_default if {
	not authz.allow with input as {}
	authz.reason == "no_grant" with input as {}
	authz.decision.allow == false with input as {}
}

test_developer_high_tool_allowed if {
	authz.allow with input as base
	authz.reason == "allowed" with input as base
}

test_developer_critical_denied if {
	inp := json.patch(base, [{"op": "replace", "path": "/tool/sensitivity", "value": "critical"}])
	not authz.allow with input as inp
	authz.reason == "no_grant" with input as inp
}

test_manager_critical_in_hours if {
	inp := json.patch(base, [
		{"op": "replace", "path": "/tool/sensitivity", "value": "critical"},
		{"op": "replace", "path": "/user/id", "value": "carol"},
	])
	authz.allow with input as inp
}

test_manager_critical_after_hours_denied if {
	inp := json.patch(base, [
		{"op": "replace", "path": "/tool/sensitivity", "value": "critical"},
		{"op": "replace", "path": "/user/id", "value": "carol"},
		{"op": "replace", "path": "/context/timestamp", "value": "2026-11-26T22:00:00Z"},
	])
	authz.reason == "outside_business_hours" with input as inp
}

test_reasons_are_combined if {
	inp := json.patch(base, [
		{"op": "replace", "path": "/context/client_ip", "value": "8.8.8.8"},
		{"op": "replace", "path": "/user/mfa/verified", "value": false},
	])
	authz.reason == "ip_not_allowed,mfa_required" with input as inp
	authz.audit.denials == ["ip_not_allowed", "mfa_required"] with input as inp
}
