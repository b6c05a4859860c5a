// Drives the generated TypeScript client (target/generated-clients/typescript) against a running Hookline.
// io.hookline.client.GeneratedTypeScriptClientTest compiles this file and the client with tsc (strict), then runs
//     HOOKLINE_TOKEN=... node walkthrough.js BASE_URL WEBHOOK_ID
// It publishes an event, waits in the webhook's delivery log until the delivery succeeded (revoking earlier would
// cancel it), revokes the webhook, reads it once more to get a 404, and prints what happened as one JSON line. Any
// unexpected error exits non-zero.
import {
  Configuration, DeliveriesApi, EventsApi, PublishEvent, ResponseError, WebhooksApi,
} from "../../../../target/generated-clients/typescript";

// Node's globals, declared here so the check needs no @types/node.
declare const process: { argv: string[]; env: Record<string, string | undefined>; exitCode?: number };

// What a TypeScript user writes: a nested object literal, type-checked against the generated PublishEvent.
const event: PublishEvent = {
  type: "transaction.created",
  data: {
    transactionId: "txn_123",
    amount: 4200,
    settled: false,
    note: { text: "caf\u00e9 \u2615", tags: ["vip", "eu"] },
    lines: [{ sku: "A-1", qty: 2 }, { sku: "B-2", qty: 1 }],
    coupon: { code: null },
  },
};

async function main(): Promise<void> {
  const [baseUrl, webhookId] = process.argv.slice(2);
  const config = new Configuration({ basePath: baseUrl, accessToken: process.env.HOOKLINE_TOKEN });
  const published = await new EventsApi(config).publishEvent({ publishEvent: event });
  const deliveries = new DeliveriesApi(config);
  const deadline = Date.now() + 10_000;
  while ((await deliveries.listWebhookDeliveries({ id: webhookId, status: "succeeded" })).data.length === 0) {
    if (Date.now() > deadline) {
      throw new Error("the delivery did not succeed within 10 s");
    }
    await new Promise<void>((resolve) => setTimeout(resolve, 50));
  }
  const webhooks = new WebhooksApi(config);
  const revoked = await webhooks.revokeWebhookRaw({ id: webhookId });
  let notFound: unknown = null;
  try {
    await webhooks.getWebhook({ id: webhookId });
  } catch (e) {
    if (!(e instanceof ResponseError)) {
      throw e;
    }
    notFound = { status: e.response.status, problem: await e.response.json() };
  }
  console.log(JSON.stringify({
    sent: event.data,
    eventId: published.id,
    deliveries: published.deliveries,
    revokeStatus: revoked.raw.status,
    notFound,
  }));
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
