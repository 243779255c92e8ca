package sark.business_hours_test

import data.sark.business_hours

# 2026-11-26 is a Thursday.
test_within_hours if business_hours.within with input as {"context": {"timestamp": "2026-11-26T10:30:00Z"}}

test_evening_outside if not business_hours.within with input as {"context": {"timestamp": "2026-11-26T18:00:00Z"}}

test_weekend_outside if not business_hours.within with input as {"context": {"timestamp": "2026-11-28T10:30:00Z"}}

test_request_timezone_used if {
	# 16:00 UTC is 11:00 in New York; 08:00 UTC is 03:00 there.
	business_hours.within with input as {"context": {"timestamp": "2026-11-26T16:00:00Z", "timezone": "America/New_York"}}
	not business_hours.within with input as {"context": {"timestamp": "2026-11-26T08:00:00Z", "timezone": "America/New_York"}}
}

test_non_critical_unrestricted if business_hours.ok with input as {"tool": {"sensitivity": "high"}, "context": {"timestamp": "2026-11-28T03:00:00Z"}}

test_critical_without_timestamp_denied if not business_hours.ok with input as {"tool": {"sensitivity": "critical"}}
