package sark.sensitivity_test

import data.sark.sensitivity

test_unknown_sensitivity_is_critical if {
	sensitivity.tool_level == 4 with input as {"tool": {"sensitivity": "secret"}}
}

test_developer_cleared_for_high if sensitivity.cleared with input as {"user": {"roles": ["developer"]}, "tool": {"sensitivity": "high"}}

test_developer_not_cleared_for_critical if not sensitivity.cleared with input as {"user": {"roles": ["developer"]}, "tool": {"sensitivity": "critical"}}
