package sark.mfa_test

import data.sark.mfa

test_low_tool_no_mfa if mfa.ok with input as {"user": {"roles": ["developer"]}, "tool": {"sensitivity": "low"}}

test_high_tool_needs_mfa if not mfa.ok with input as {"user": {"roles": ["developer"]}, "tool": {"sensitivity": "high"}}

test_stale_mfa_rejected if {
	not mfa.ok with input as {
		"user": {"roles": ["developer"], "mfa": {"verified": true, "age_seconds": 7200}},
		"tool": {"sensitivity": "high"},
	}
}

test_admin_needs_mfa if not mfa.ok with input as {"user": {"roles": ["admin"]}, "tool": {"sensitivity": "low"}}
