package io.hookline.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The customer portal's keys ({@code hookline.portal.*}): portal links, browser sessions, embedding and the three
 * branding values. A mapping of its own beside {@link HooklineConfig}; its rules are in {@link PortalConfigCheck}.
 */
@ConfigMapping(prefix = "hookline.portal")
public interface PortalConfig {

    /** How long a portal link from POST /v1/portal/sessions may be opened (once). */
    @WithDefault("5m")
    Duration linkLifetime();

    /** How long the browser session a link starts lasts (not extended by use). */
    @WithDefault("1h")
    Duration sessionLifetime();

    /**
     * Origins allowed to show the portal in an iframe (CSP {@code frame-ancestors}), e.g.
     * {@code https://dashboard.example.com}. Empty: no page may frame it ({@code 'none'}). When set, the session cookie is
     * {@code SameSite=None; Secure; Partitioned}, which a cross-site iframe needs.
     */
    Optional<List<String>> frameAncestors();

    /**
     * Whether the session cookie is {@code Secure} (sent over https only). Off in dev mode and tests, which run on
     * http://localhost.
     */
    @WithDefault("true")
    boolean secureCookie();

    /**
     * The portal's public base URL (e.g. {@code https://hooks.example.com}) for the links POST /v1/portal/sessions
     * returns. Absent: the scheme, host and port the request came in on.
     */
    Optional<String> publicUrl();

    /** Shown in the portal's header and page titles. */
    @WithDefault("Hookline")
    String productName();

    /** An image shown beside the product name: https URL or a path on this server. Absent: none. */
    Optional<String> logoUrl();

    /** The colour of buttons and links, as #rgb or #rrggbb. */
    @WithDefault("#1d4ed8")
    String accentColor();
}
