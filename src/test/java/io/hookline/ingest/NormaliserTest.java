package io.hookline.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.testsupport.UnitTest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The event a verified request becomes: Stripe's built-in mapping, a source's own mapping, and the other providers. */
@UnitTest
class NormaliserTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SOURCE = "src_test";

    static String stripeEvent(String type, String object) {
        return "{\"id\":\"evt_9\",\"object\":\"event\",\"type\":\"" + type + "\",\"data\":{\"object\":" + object
                + "},\"livemode\":false}";
    }

    static Normaliser.Normalised stripe(String type, String object, Map<String, String> mapping) {
        return Normaliser.normalise(
                Provider.STRIPE,
                SOURCE,
                new Received("evt_9", type),
                stripeEvent(type, object).getBytes(StandardCharsets.UTF_8),
                mapping);
    }

    static JsonNode data(Normaliser.Normalised n) throws Exception {
        return JSON.readTree(n.data());
    }

    @Test
    void the_issue_s_stripe_types_map_to_the_simple_types() {
        Map<String, String> expected = Map.of(
                "customer.subscription.created", "subscription.created",
                "customer.subscription.updated", "subscription.updated",
                "customer.subscription.deleted", "subscription.updated",
                "charge.succeeded", "transaction.created",
                "payment_intent.succeeded", "transaction.created",
                "invoice.paid", "transaction.created",
                "charge.refunded", "transaction.updated",
                "payment_intent.payment_failed", "transaction.updated");
        expected.forEach((stripe, ours) ->
                assertEquals(ours, stripe(stripe, "{}", Map.of()).type(), stripe));
    }

    @Test
    void a_mapped_stripe_event_carries_the_small_shape_and_the_original_id_and_type() throws Exception {
        JsonNode data = data(stripe(
                "charge.succeeded",
                "{\"id\":\"ch_1\",\"object\":\"charge\",\"amount\":4200,\"currency\":\"eur\",\"status\":\"succeeded\","
                        + "\"customer\":\"cus_7\",\"metadata\":{\"order\":\"42\"}}",
                Map.of()));
        assertEquals(
                JSON.readTree("{\"provider\":\"stripe\",\"providerEventId\":\"evt_9\",\"providerEventType\":"
                        + "\"charge.succeeded\",\"sourceId\":\"src_test\",\"id\":\"ch_1\",\"object\":\"charge\","
                        + "\"status\":\"succeeded\",\"customer\":\"cus_7\",\"amount\":4200,\"currency\":\"eur\"}"),
                data);
    }

    @Test
    void an_invoice_s_amount_is_what_was_paid_and_an_expanded_customer_gives_its_id() throws Exception {
        JsonNode data = data(stripe(
                "invoice.paid",
                "{\"id\":\"in_1\",\"object\":\"invoice\",\"amount_due\":0,\"amount_paid\":1999,\"currency\":\"usd\","
                        + "\"status\":\"paid\",\"customer\":{\"id\":\"cus_8\",\"email\":\"a@b.example\"}}",
                Map.of()));
        assertEquals(1999, data.get("amount").asInt());
        assertEquals("cus_8", data.get("customer").asText());
        JsonNode subscription = data(stripe(
                "customer.subscription.created",
                "{\"id\":\"sub_1\",\"object\":\"subscription\",\"status\":\"active\",\"customer\":\"cus_9\"}",
                Map.of()));
        assertTrue(subscription.get("amount").isNull());
        assertTrue(subscription.get("currency").isNull());
        assertEquals("active", subscription.get("status").asText());
    }

    @Test
    void an_unmapped_stripe_event_is_stripe_type_with_the_original_object_byte_for_byte() {
        String object =
                "{\"id\":\"dp_1\",  \"amount\":1e400,\"rate\":1.00000000000000000000001,\"note\":\"caf\\u00e9\"}";
        Normaliser.Normalised n = stripe("charge.dispute.created", object, Map.of());
        assertEquals("stripe.charge.dispute.created", n.type());
        assertEquals(object, new String(n.data(), StandardCharsets.UTF_8));
    }

    @Test
    void a_source_s_mapping_overrides_and_extends_the_built_in_one() throws Exception {
        Map<String, String> mapping =
                Map.of("charge.succeeded", "payment.received", "charge.dispute.created", "transaction.updated");
        assertEquals(
                "payment.received", stripe("charge.succeeded", "{}", mapping).type());
        Normaliser.Normalised dispute = stripe("charge.dispute.created", "{\"id\":\"dp_1\"}", mapping);
        assertEquals("transaction.updated", dispute.type());
        assertEquals("dp_1", data(dispute).get("id").asText());
        assertEquals(
                "transaction.created", stripe("invoice.paid", "{}", mapping).type());
    }

    @Test
    void other_providers_become_provider_type_with_the_body_as_data() {
        String body = "{\"action\":\"opened\", \"n\": 1.50}";
        Normaliser.Normalised github = Normaliser.normalise(
                Provider.GITHUB,
                SOURCE,
                new Received("d-1", "pull_request"),
                body.getBytes(StandardCharsets.UTF_8),
                Map.of());
        assertEquals("github.pull_request", github.type());
        assertEquals(body, new String(github.data(), StandardCharsets.UTF_8));
        assertEquals(
                "code.changed",
                Normaliser.normalise(
                                Provider.GITHUB,
                                SOURCE,
                                new Received("d-2", "push"),
                                body.getBytes(StandardCharsets.UTF_8),
                                Map.of("push", "code.changed"))
                        .type());
        assertEquals(
                "standard-webhooks.user.created",
                Normaliser.normalise(
                                Provider.STANDARD_WEBHOOKS,
                                SOURCE,
                                new Received("msg_1", "user.created"),
                                body.getBytes(StandardCharsets.UTF_8),
                                Map.of())
                        .type());
    }

    @Test
    void a_provider_type_outside_the_event_type_alphabet_is_made_valid() {
        assertEquals(
                "standard-webhooks.user_created_now",
                Normaliser.eventType(Provider.STANDARD_WEBHOOKS, "User Created/Now"));
        assertEquals(255, Normaliser.eventType(Provider.GITHUB, "x".repeat(400)).length());
    }
}
