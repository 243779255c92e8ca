package sark.network_test

import data.sark.network

test_blocked if network.blocked with input as {"context": {"client_ip": "203.0.113.9"}}

test_low_tool_from_anywhere if network.permitted with input as {"tool": {"sensitivity": "low"}, "context": {"client_ip": "8.8.8.8"}}

test_high_tool_needs_allow_list if not network.permitted with input as {"tool": {"sensitivity": "high"}, "context": {"client_ip": "8.8.8.8"}}

test_high_tool_from_allow_list if network.permitted with input as {"tool": {"sensitivity": "high"}, "context": {"client_ip": "10.2.3.4"}}

test_blocked_beats_allow if not network.permitted with input as {"tool": {"sensitivity": "low"}, "context": {"client_ip": "198.51.100.66"}}
