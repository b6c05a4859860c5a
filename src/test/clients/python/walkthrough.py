"""Drives the generated Python client (target/generated-clients/python) against a running Hookline.

Run by io.hookline.client.GeneratedPythonClientTest as
    HOOKLINE_TOKEN=... python3 walkthrough.py BASE_URL WEBHOOK_ID DATA_JSON
It publishes an event whose data is DATA_JSON (a dict, as a user passes it), revokes the webhook, reads it once
more to get a 404, and prints what happened as one JSON line. Any unexpected error exits non-zero.
"""
import json
import os
import sys

import hookline_client
from hookline_client.models.publish_event import PublishEvent

base_url, webhook_id, data = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
config = hookline_client.Configuration(host=base_url, access_token=os.environ["HOOKLINE_TOKEN"])

with hookline_client.ApiClient(config) as client:
    published = hookline_client.EventsApi(client).publish_event(
        PublishEvent(type="transaction.created", data=data))
    webhooks = hookline_client.WebhooksApi(client)
    revoked = webhooks.revoke_webhook_with_http_info(webhook_id)
    try:
        webhooks.get_webhook(webhook_id)
        not_found = None
    except hookline_client.ApiException as e:
        not_found = {"status": e.status, "problem": json.loads(e.body)}

print(json.dumps({
    "eventId": published.id,
    "deliveries": published.deliveries,
    "revokeStatus": revoked.status_code,
    "notFound": not_found,
}))
