package io.hookline.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.testsupport.UnitTest;
import io.hookline.testsupport.Validators;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The constraints of the request records and their 422: the JSON path of each field, the order of the record's
 * fields, one message per rule, at most 20 listed and the rest counted.
 */
@UnitTest
class RequestConstraintsTest {
    static final Validator VALIDATOR = Validators.forRequests(false);
    static final ObjectMapper JSON = new ObjectMapper();

    private static List<Problem.FieldError> errors(Object request) {
        return new Validation()
                .add(VALIDATOR.validate(request))
                .problem()
                .toProblem()
                .errors();
    }

    private static Problem problem(Validation v) {
        return v.problem().toProblem();
    }

    @Test
    void a_valid_create_has_no_violation() {
        assertEquals(
                Collections.emptySet(),
                VALIDATOR.validate(new WebhookApi.Create(
                        "https://example.com/h", "Ledger", List.of("transaction.*", "subscription.created"), null)));
    }

    @Test
    void errors_follow_the_fields_of_the_record_then_the_position_in_a_list() {
        List<String> types = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            types.add(i % 3 == 0 ? "Bad" + i : "ok." + i);
        }
        types.set(1, null);
        types.set(2, "");
        assertEquals(
                List.of(
                        new Problem.FieldError("url", "must use https"),
                        new Problem.FieldError("description", "must be at most 512 characters"),
                        new Problem.FieldError(
                                "eventTypes[0]",
                                "must be made of a-z, 0-9, '_', '.', '-', optionally ending in '*' (e.g. transaction.*)"),
                        new Problem.FieldError("eventTypes[1]", "must be a string"),
                        new Problem.FieldError("eventTypes[2]", "must not be empty"),
                        new Problem.FieldError(
                                "eventTypes[3]",
                                "must be made of a-z, 0-9, '_', '.', '-', optionally ending in '*' (e.g. transaction.*)"),
                        new Problem.FieldError(
                                "eventTypes[6]",
                                "must be made of a-z, 0-9, '_', '.', '-', optionally ending in '*' (e.g. transaction.*)"),
                        new Problem.FieldError(
                                "eventTypes[9]",
                                "must be made of a-z, 0-9, '_', '.', '-', optionally ending in '*' (e.g. transaction.*)")),
                errors(new WebhookApi.Create("http://example.com", "d".repeat(513), types, null)));
    }

    @Test
    void a_list_over_its_bound_is_one_error_without_looking_at_the_entries() {
        List<String> types = Collections.nCopies(100_000, "Not Valid");
        assertEquals(
                List.of(new Problem.FieldError("eventTypes", "must have at most 100 entries (has 100000)")),
                errors(new WebhookApi.Create("https://example.com", null, types, null)));
    }

    @Test
    void at_most_20_errors_are_listed_and_the_rest_counted_in_the_detail() {
        Problem p = problem(new Validation()
                .add(VALIDATOR.validate(
                        new WebhookApi.Create("https://example.com", null, Collections.nCopies(100, "Bad"), null))));
        assertEquals(422, p.status());
        assertEquals(20, p.errors().size());
        assertEquals("eventTypes[19]", p.errors().get(19).field());
        assertTrue(p.detail().endsWith("; and 80 more errors"), p.detail());
    }

    @Test
    void a_description_postgresql_cannot_store_is_refused() {
        assertEquals(
                List.of(new Problem.FieldError("description", Text.UNSTORABLE)),
                errors(new WebhookApi.Create("https://example.com", "a\u0000b", null, null)));
        assertEquals(
                List.of(new Problem.FieldError("description", Text.UNSTORABLE)),
                errors(new WebhookApi.Update(null, "\ud800", null, null, null)));
    }

    @Test
    void the_grace_period_is_between_0_and_30_days() {
        String rule = "must be between 0 and 2592000 (30 days)";
        assertEquals(List.of(new Problem.FieldError("graceSeconds", rule)), errors(new WebhookApi.Rotate(-1L)));
        assertEquals(List.of(new Problem.FieldError("graceSeconds", rule)), errors(new WebhookApi.Rotate(2_592_001L)));
        assertEquals(Collections.emptySet(), VALIDATOR.validate(new WebhookApi.Rotate(2_592_000L)));
        assertEquals(Collections.emptySet(), VALIDATOR.validate(new WebhookApi.Rotate(null)));
    }

    @Test
    void a_patch_names_every_field_of_the_wrong_shape_then_every_value_that_breaks_a_rule() throws Exception {
        JsonNode patch = JSON.readTree("{\"colour\":1,\"url\":\"ftp://x\",\"enabled\":\"yes\",\"description\":5,"
                + "\"eventTypes\":[\"a\",7,\"B\"]}");
        Validation v = new Validation();
        WebhookApi.Update update = WebhookApi.Update.read(patch, v);
        v.add(VALIDATOR.validate(update));
        assertEquals(
                List.of(
                        new Problem.FieldError(
                                "colour",
                                "is not a field that can be changed (url, description, eventTypes, enabled, maxConcurrency)"),
                        new Problem.FieldError("enabled", "must be true or false"),
                        new Problem.FieldError("description", "must be a string or null"),
                        new Problem.FieldError("url", "must be an absolute http or https URL"),
                        new Problem.FieldError("eventTypes[1]", "must be a string"),
                        new Problem.FieldError(
                                "eventTypes[2]",
                                "must be made of a-z, 0-9, '_', '.', '-', optionally ending in '*' (e.g. transaction.*)")),
                problem(v).errors());
    }

    @Test
    void a_patch_reads_absent_and_null_fields_as_unchanged_except_description() throws Exception {
        Validation v = new Validation();
        WebhookApi.Update update = WebhookApi.Update.read(JSON.readTree("{\"description\":null}"), v);
        assertTrue(v.ok());
        assertEquals(new WebhookApi.Update(null, null, null, null, null), update);
        WebhookApi.Update nulls =
                WebhookApi.Update.read(JSON.readTree("{\"url\":null,\"eventTypes\":null,\"enabled\":null}"), v);
        assertEquals(new WebhookApi.Update(null, null, null, null, null), nulls);
        assertEquals(
                List.of("url", "eventTypes", "enabled"),
                problem(v).errors().stream().map(Problem.FieldError::field).toList());
    }

    @Test
    void a_published_type_and_id_obey_their_rules() {
        String typeRule = "must be 1 to 255 characters of a-z, 0-9, '_', '.', '-'";
        assertEquals(
                List.of(
                        new Problem.FieldError("type", typeRule),
                        new Problem.FieldError("id", "must be 1 to 255 characters")),
                errors(new PublishRequest("Has Spaces", new byte[] {'1'}, " ")));
        assertEquals(
                List.of(new Problem.FieldError("type", typeRule)),
                errors(new PublishRequest("a".repeat(256), new byte[] {'1'}, null)));
        assertEquals(
                List.of(new Problem.FieldError("id", Text.UNSTORABLE)),
                errors(new PublishRequest("a.b", new byte[] {'1'}, "key\u0000")));
        assertEquals(
                Collections.emptySet(),
                VALIDATOR.validate(new PublishRequest("a".repeat(255), new byte[] {'1'}, "k".repeat(255))));
    }

    @Test
    void a_header_obeys_the_rules_of_the_field_it_stands_for_under_its_own_name() {
        Validation v = new Validation()
                .add("Idempotency-Key", VALIDATOR.validateValue(PublishRequest.class, "id", "k".repeat(256)));
        ProblemException e = assertThrows(ProblemException.class, v::throwIfInvalid);
        assertEquals(
                List.of(new Problem.FieldError("Idempotency-Key", "must be 1 to 255 characters")),
                e.toProblem().errors());
    }
}
