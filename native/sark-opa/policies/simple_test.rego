package sark.simple_test

import data.sark.simple

test_admin_allowed if simple.allow with input as {"user": {"roles": ["admin"]}, "action": "server:delete"}

test_developer_invoke_allowed if simple.allow with input as {"user": {"roles": ["developer"]}, "action": "tool:invoke"}

test_developer_other_action_denied if not simple.allow with input as {"user": {"roles": ["developer"]}, "action": "policy:write"}

test_empty_input_denied if not simple.allow with input as {}
