"""Drives the generated Python client (target/generated-clients/python) against a running Hookline.

Run by io.hookline.client.GeneratedPythonClientTest as
    HOOKLINE_TOKEN=... python3 walkthrough.py BASE_URL WEBHOOK_ID DATA_JSON
It publishes an event whose data is DATA_JSON (a dict, as a user passes it), waits in the webhook's delivery log
until the delivery succeeded (revoking earlier would cancel it), revokes the webhook, reads it once more to get a
404, and prints what happened as one JSON line. Any unexpected error exits non-zero.
"""
import json
import os
import sys
import time

import hookline_client
from hookline_client.models.delivery_status import DeliveryStatus
from hookline_client.models.publish_event import PublishEvent

base_url, webhook_id, data = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
config = hookline_client.Configuration(host=base_url, access_token=os.environ["HOOKLINE_TOKEN"])

with hookline_client.ApiClient(config) as client:
    published = hookline_client.EventsApi(client).publish_event(
        PublishEvent(type="transaction.created", data=data))
    deliveries = hookline_client.DeliveriesApi(client)
    deadline = time.monotonic() + 10
    while not deliveries.list_webhook_deliveries(webhook_id, status=DeliveryStatus.SUCCEEDED).data:
        if time.monotonic() > deadline:
            sys.exit("the delivery did not succeed within 10 s")
        time.sleep(0.05)
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
