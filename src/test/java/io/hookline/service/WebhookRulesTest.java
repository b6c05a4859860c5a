package io.hookline.service;

import io.hookline.contract.ProblemException;
import io.hookline.contract.Validation;
import io.hookline.testsupport.UnitTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The URL rules as production applies them ({@code hookline.delivery.allow-private-networks=false}). */
@UnitTest
class WebhookRulesTest {

    private static String refusal(String url) {
        Validation v = new Validation();
        WebhookRules.checkUrl(url, false, v);
        try {
            v.throwIfInvalid();
            return null;
        } catch (ProblemException e) {
            return e.getMessage();
        }
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
            String refusal = refusal(url);
            assertTrue(refusal != null && refusal.contains("loopback"), url + " -> " + refusal);
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
}
