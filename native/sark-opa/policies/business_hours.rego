# Critical tools may only be used during business hours (workdays, start <= hour < end)
# in the configured or the request's time zone.
package sark.business_hours

cfg := data.sark_config.business_hours

request_ns := time.parse_rfc3339_ns(input.context.timestamp)

tz := object.get(input.context, "timezone", cfg.timezone)

hour := time.clock([request_ns, tz])[0]

weekday := time.weekday([request_ns, tz])

within if {
	weekday in cfg.workdays
	hour >= cfg.start_hour
	hour < cfg.end_hour
}

restricted if input.tool.sensitivity == "critical"

default ok := false

ok if not restricted

ok if within
