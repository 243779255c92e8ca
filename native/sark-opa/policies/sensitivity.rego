# Tool sensitivity levels. A tool without a known level is treated as critical, so a
# missing label can only make a decision stricter.
package sark.sensitivity

levels := {"low": 1, "medium": 2, "high": 3, "critical": 4}

default tool_level := 4

tool_level := levels[input.tool.sensitivity]

cleared if data.sark.rbac.clearance >= tool_level

elevated if tool_level >= 3
