"""Publishing: accounts with secrets in the OS keyring, one publisher per platform, the outbox. No Qt.

The flow (`service.publish_draft`): ask the trust policy, plan one publish record per target account
(fixing every id that makes a retry idempotent), then send; failures that waiting can cure stay in the
outbox and are retried with backoff.
"""
