package io.hookline.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules of the {@code hookline.portal.*} values, which {@link ConfigRules} applies while the configuration is built.
 * Several of them end up in HTTP headers (the CSP, links), so anything that could break out of its place there (a ';',
 * a quote, a space) is refused here rather than escaped.
 */
public final class PortalConfigCheck {
    /** A CSP source expression naming one origin: scheme, host (a leading '*.' allowed), optional port. */
    static final Pattern ORIGIN = Pattern.compile("https?://(\\*\\.)?[A-Za-z0-9.-]+(:[0-9]{1,5})?");

    static final Pattern COLOUR = Pattern.compile("#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})");
    static final int MAX_PRODUCT_NAME = 60;

    private PortalConfigCheck() {}

    /** Every rule the portal's configuration breaks, as "key: rule (was value)". Empty when all is well. */
    public static List<String> problems(PortalConfig c) {
        List<String> p = new ArrayList<>();
        atLeast(p, "hookline.portal.link-lifetime", c.linkLifetime(), Duration.ofSeconds(10));
        atLeast(p, "hookline.portal.session-lifetime", c.sessionLifetime(), Duration.ofMinutes(1));
        for (String origin : c.frameAncestors().orElse(List.of())) {
            if (!ORIGIN.matcher(origin).matches()) {
                p.add("hookline.portal.frame-ancestors: each entry must be an origin such as https://app.example.com"
                        + " (was '" + origin + "')");
            }
        }
        c.publicUrl().ifPresent(url -> {
            if (!absoluteHttp(url) || URI.create(url).getRawPath().length() > 1) {
                p.add(
                        "hookline.portal.public-url: must be an http(s) URL with no path, such as https://hooks.example.com"
                                + " (was '" + url + "')");
            }
        });
        String name = c.productName();
        if (name.isBlank() || name.length() > MAX_PRODUCT_NAME || name.chars().anyMatch(ch -> ch < 0x20)) {
            p.add("hookline.portal.product-name: must be 1 to " + MAX_PRODUCT_NAME + " printable characters");
        }
        c.logoUrl().ifPresent(url -> {
            boolean path =
                    url.startsWith("/") && !url.startsWith("//") && url.chars().noneMatch(ch -> ch <= 0x20);
            if (!path && !absoluteHttp(url)) {
                p.add("hookline.portal.logo-url: must be an http(s) URL or a path starting with '/' (was '" + url
                        + "')");
            }
        });
        if (!COLOUR.matcher(c.accentColor()).matches()) {
            p.add("hookline.portal.accent-color: must be #rgb or #rrggbb (was '" + c.accentColor() + "')");
        }
        return p;
    }

    /** The origin of an absolute logo URL, which the CSP must allow images from; empty for a path on this server. */
    public static String logoOrigin(PortalConfig c) {
        return c.logoUrl()
                .filter(PortalConfigCheck::absoluteHttp)
                .map(url -> {
                    URI uri = URI.create(url);
                    return uri.getScheme() + "://" + uri.getRawAuthority();
                })
                .orElse("");
    }

    private static boolean absoluteHttp(String url) {
        if (url.chars().anyMatch(ch -> ch <= 0x20 || ch == '"' || ch == '\'' || ch == ';' || ch == ',')) {
            return false;
        }
        try {
            URI uri = URI.create(url);
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                    && uri.getHost() != null
                    && uri.getRawUserInfo() == null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void atLeast(List<String> p, String key, Duration value, Duration min) {
        if (value.compareTo(min) < 0) {
            p.add(key + ": must be at least " + min.toSeconds() + "s (was " + value + ")");
        }
    }
}
