package io.hookline.portal;

import io.hookline.config.PortalConfig;
import io.hookline.config.PortalConfigCheck;
import io.hookline.testsupport.UnitTest;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** hookline.portal.*: the start-up check, and what the values become in the CSP and the session cookie. */
@UnitTest
class PortalConfigTest {

    private static PortalConfig config(Map<String, String> values) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(PortalConfig.class)
                .withDefaultValues(values)
                .build();
        return config.getConfigMapping(PortalConfig.class);
    }

    private static PortalBranding branding(Map<String, String> values) {
        PortalBranding branding = new PortalBranding();
        branding.config = config(values);
        return branding;
    }

    @Test
    void the_defaults_are_valid_and_give_five_minute_links_and_one_hour_sessions() {
        PortalConfig c = config(Map.of());
        assertEquals(List.of(), PortalConfigCheck.problems(c));
        assertEquals(Duration.ofMinutes(5), c.linkLifetime());
        assertEquals(Duration.ofHours(1), c.sessionLifetime());
    }

    @Test
    void every_broken_rule_is_reported_with_its_key() {
        List<String> problems = PortalConfigCheck.problems(config(Map.of(
                "hookline.portal.link-lifetime", "1s",
                "hookline.portal.session-lifetime", "10s",
                "hookline.portal.frame-ancestors", "https://ok.example.com,https://evil.example.com; script-src *",
                "hookline.portal.public-url", "https://hooks.example.com/base",
                "hookline.portal.logo-url", "javascript:alert(1)",
                "hookline.portal.accent-color", "red; background: url(x)")));
        assertEquals(6, problems.size(), String.join("\n", problems));
        for (String key : List.of(
                "link-lifetime", "session-lifetime", "frame-ancestors", "public-url", "logo-url", "accent-color")) {
            assertTrue(
                    problems.stream().anyMatch(p -> p.startsWith("hookline.portal." + key + ":")),
                    key + " not reported: " + problems);
        }
    }

    @Test
    void by_default_no_page_may_frame_the_portal_and_the_cookie_is_lax_and_secure() {
        PortalBranding b = branding(Map.of());
        assertEquals(
                "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
                        + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
                b.contentSecurityPolicy());
        assertEquals(
                "hookline_portal=abc; Path=/portal; Max-Age=3600; HttpOnly; Secure; SameSite=Lax",
                b.sessionCookie("abc", 3600));
    }

    @Test
    void configured_origins_may_frame_it_and_the_cookie_then_works_in_a_cross_site_iframe() {
        PortalBranding b = branding(Map.of(
                "hookline.portal.frame-ancestors", "https://app.example.com,https://*.example.org",
                "hookline.portal.secure-cookie", "false"));
        assertTrue(
                b.contentSecurityPolicy().endsWith("frame-ancestors https://app.example.com https://*.example.org"),
                b.contentSecurityPolicy());
        assertEquals(
                "hookline_portal=abc; Path=/portal; Max-Age=60; HttpOnly; Secure; SameSite=None; Partitioned",
                b.sessionCookie("abc", 60));
    }

    @Test
    void a_logo_from_another_origin_is_allowed_as_an_image_and_nothing_else() {
        PortalBranding b = branding(Map.of(
                "hookline.portal.logo-url", "https://cdn.example.com/brand/logo.svg",
                "hookline.portal.accent-color", "#0a7"));
        assertTrue(b.contentSecurityPolicy().contains("img-src 'self' https://cdn.example.com;"));
        assertEquals(":root { --accent: #0a7; }\n", b.themeCss());
    }
}
