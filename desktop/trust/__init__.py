"""Trust levels, policy, identities, signed events and approvals. No Qt."""
