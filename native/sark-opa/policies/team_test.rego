package sark.team_test

import data.sark.team

test_member if team.owner_member with input as {"user": {"teams": ["platform"]}, "tool": {"owner_team": "platform"}}

test_manager_from_input if team.owner_manager with input as {"user": {"id": "x", "managed_teams": ["data"]}, "tool": {"owner_team": "data"}}

test_manager_from_data if team.owner_manager with input as {"user": {"id": "carol"}, "tool": {"owner_team": "platform"}}

test_other_team_not_manager if not team.owner_manager with input as {"user": {"id": "carol"}, "tool": {"owner_team": "data"}}
