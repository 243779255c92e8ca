package sark.rbac_test

import data.sark.rbac

test_unknown_roles_ignored if {
	rbac.roles == {"viewer"} with input as {"user": {"roles": ["viewer", "root"]}}
}

test_viewer_cannot_invoke if not rbac.action_permitted with input as {"user": {"roles": ["viewer"]}, "action": "tool:invoke"}

test_service_can_invoke if rbac.action_permitted with input as {"user": {"roles": ["service"]}, "action": "tool:invoke"}

test_clearance_is_highest_role if {
	rbac.clearance == 3 with input as {"user": {"roles": ["viewer", "developer"]}}
}

test_no_roles_no_clearance if not rbac.clearance with input as {"user": {"roles": []}}
