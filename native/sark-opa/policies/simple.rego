# Two-rule RBAC: the smallest realistic SARK decision, used as a latency floor.
package sark.simple

default allow := false

allow if "admin" in input.user.roles

allow if {
	"developer" in input.user.roles
	input.action == "tool:invoke"
}
