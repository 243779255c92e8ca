# MFA: elevated tools and admin actions need a verified MFA no older than the configured age.
package sark.mfa

required if data.sark.sensitivity.elevated

required if data.sark.rbac.is_admin

satisfied if {
	input.user.mfa.verified == true
	input.user.mfa.age_seconds <= data.sark_config.mfa.max_age_seconds
}

default ok := false

ok if not required

ok if satisfied
