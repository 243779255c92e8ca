# Client IP rules: block lists always apply; elevated (high/critical) tools also require an
# address on the allow list.
package sark.network

blocked if {
	some cidr in data.sark_config.network.blocked_cidrs
	net.cidr_contains(cidr, input.context.client_ip)
}

on_allow_list if {
	some cidr in data.sark_config.network.allowed_cidrs
	net.cidr_contains(cidr, input.context.client_ip)
}

default permitted := false

permitted if {
	not blocked
	not data.sark.sensitivity.elevated
}

permitted if {
	not blocked
	on_allow_list
}
