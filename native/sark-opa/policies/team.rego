# Team ownership: members of a tool's owner team may use it; managers of that team may use
# it above their role clearance.
package sark.team

owner_member if input.tool.owner_team in input.user.teams

owner_manager if input.tool.owner_team in input.user.managed_teams

owner_manager if input.user.id in data.sark_config.teams[input.tool.owner_team].managers
