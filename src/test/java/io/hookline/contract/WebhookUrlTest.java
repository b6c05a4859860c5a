package io.hookline.contract;

import io.hookline.testsupport.UnitTest;
import io.hookline.testsupport.Validators;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link WebhookUrl} constraint on its own, as production applies it
 * ({@code hookline.delivery.allow-private-networks=false}) unless a test says otherwise: each refused URL gets one
 * message, for the first rule it breaks, on the field {@code url}.
 */
@UnitTest
class WebhookUrlTest {
    static final Validator PRODUCTION = Validators.forRequests(false);
    static final Validator DEVELOPMENT = Validators.forRequests(true);

    /** The message for {@code url}, or null when it is accepted. */
    private static String refusal(Validator validator, String url) {
        Set<ConstraintViolation<WebhookApi.Update>> violations =
                validator.validate(new WebhookApi.Update(url, null, null, null, null));
        if (violations.isEmpty()) {
            return null;
        }
        assertEquals(1, violations.size(), url + " -> " + violations);
        ConstraintViolation<WebhookApi.Update> violation = violations.iterator().next();
        assertEquals("url", Validation.field(violation.getPropertyPath()));
        return violation.getMessage();
    }

    private static String refusal(String url) {
        return refusal(PRODUCTION, url);
    }

    @Test
    void localhost_is_refused_in_every_spelling_dns_treats_alike() {
        for (String url : new String[] {
            "https://localhost/",
            "https://localhost./",
            "https://LOCALHOST/",
            "https://LocalHost.:8443/hook",
            "https://foo.localhost/",
            "https://foo.localhost./",
            "https://a.b.LOCALHOST./x"
        }) {
            assertEquals("must not point to a loopback address", refusal(url), url);
        }
    }

    @Test
    void refused_ip_literals_are_refused_with_a_trailing_dot_too() {
        for (String url : new String[] {
            "https://127.0.0.1./", "https://10.0.0.1./", "https://169.254.169.254./", "https://192.0.2.1./"
        }) {
            assertTrue(refusal(url) != null, url + " was accepted");
        }
    }

    @Test
    void literal_addresses_are_judged_by_the_address_rules_without_asking_dns() {
        assertTrue(refusal("https://[::1]/").contains("loopback"));
        assertTrue(refusal("https://[::ffff:127.0.0.1]/").contains("loopback"));
        assertTrue(refusal("https://[64:ff9b::a9fe:a9fe]/").contains("link-local"));
        assertTrue(refusal("https://[2002:808:808::1]/").contains("6to4"));
        assertTrue(refusal("https://192.0.2.10/").contains("documentation"));
        assertTrue(refusal("https://198.18.0.1/").contains("benchmarking"));
        // shorthand and out-of-range forms (127.1 is loopback to the JDK's resolver) are no host at all
        assertTrue(refusal("https://999.1.1.1/") != null);
        assertTrue(refusal("https://127.1/") != null);
        assertTrue(refusal("https://2130706433/") != null);
    }

    @Test
    void public_hosts_and_addresses_are_accepted() {
        for (String url : new String[] {
            "https://example.com/hook",
            "https://example.com./hook",
            "https://localhost.example.com/",
            "https://8.8.8.8/",
            "https://[2606:4700:4700::1111]/",
            "https://[64:ff9b::808:808]/"
        }) {
            assertEquals(null, refusal(url), url);
        }
    }

    @Test
    void each_rule_has_its_message_and_only_the_first_broken_rule_is_reported() {
        assertEquals("is required", refusal(" "));
        assertEquals("must be at most 2048 characters", refusal("ftp://" + "x".repeat(2048)));
        assertEquals(Text.UNSTORABLE, refusal("https://example.com/\u0000"));
        assertEquals(Text.UNSTORABLE, refusal("https://example.com/\ud800"));
        assertEquals("is not a valid URL: Illegal character in path", refusal("https://example.com/a b"));
        assertEquals("must be an absolute http or https URL", refusal("ftp://example.com/"));
        assertEquals("must be an absolute http or https URL", refusal("/relative"));
        assertEquals("must name a host", refusal("https:///path"));
        assertEquals("must not contain user information (user:password@)", refusal("https://user:pw@example.com/"));
        assertEquals("must not contain a fragment (#…); it is never sent", refusal("https://example.com/#top"));
        assertEquals("must use https", refusal("http://example.com/"));
        assertEquals("must not point to a loopback address (127.0.0.0/8)", refusal("https://127.0.0.1/"));
    }

    @Test
    void a_message_is_taken_literally_never_as_a_template() {
        assertEquals("a \\{b\\} \\$\\{c\\} \\\\d", Refusal.literal("a {b} ${c} \\d"));
        // a refusal whose text holds braces comes out as written
        assertEquals("is not a valid URL: Illegal character in path", refusal("https://example.com/{x}"));
    }

    @Test
    void null_is_valid_and_required_only_where_the_record_says_so() {
        assertEquals(null, refusal(null));
        Set<ConstraintViolation<WebhookApi.Create>> violations =
                PRODUCTION.validate(new WebhookApi.Create(null, null, null, null));
        assertEquals(1, violations.size(), violations.toString());
        ConstraintViolation<WebhookApi.Create> violation = violations.iterator().next();
        assertEquals("url", Validation.field(violation.getPropertyPath()));
        assertEquals("is required", violation.getMessage());
    }

    @Test
    void with_private_networks_allowed_http_and_local_targets_are_accepted() {
        for (String url : new String[] {"http://localhost:8080/hook", "https://127.0.0.1/", "http://10.0.0.1/"}) {
            assertEquals(null, refusal(DEVELOPMENT, url), url);
        }
        // the rules that hold everywhere still hold
        assertEquals("must be an absolute http or https URL", refusal(DEVELOPMENT, "ftp://localhost/"));
        assertEquals("must not contain user information (user:password@)", refusal(DEVELOPMENT, "http://u@localhost/"));
    }
}
