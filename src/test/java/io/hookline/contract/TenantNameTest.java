package io.hookline.contract;

import io.hookline.testsupport.UnitTest;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@UnitTest
class TenantNameTest {
    @Test
    void what_identity_providers_put_in_tenant_claims_is_valid() {
        for (String tenant : List.of(
                "acme",
                "acme-billing",
                "acme_billing.eu",
                "tenant-0b5e1a34-8f3d-4c61-9d7e-2b6c5a4f3e21",
                "ops@acme.example",
                "first.last+billing@acme.example",
                "auth0|5f7c8ec7c33c6c004bbafe82",
                "google-oauth2|104012345678901234567",
                "x3kd8Zq@clients",
                "urn:acme:eu",
                "A",
                "a".repeat(255))) {
            assertTrue(TenantName.valid(tenant), tenant);
        }
    }

    @Test
    void empty_long_spaced_punctuated_or_non_ascii_values_are_not() {
        for (String tenant : List.of(
                "",
                "a".repeat(256),
                " acme",
                "acme ",
                "acme corp",
                "acme/eu",
                "acme\\eu",
                "acme,globex",
                "acme;q=1",
                "\"acme\"",
                "'acme'",
                "<script>",
                "acme%20",
                "acme\n",
                "acme\u0000",
                "caf\u00e9",
                "\u0430cme", // Cyrillic a: looks like acme
                "acme\ud800")) {
            assertFalse(TenantName.valid(tenant), tenant);
        }
        assertFalse(TenantName.valid(null));
    }
}
