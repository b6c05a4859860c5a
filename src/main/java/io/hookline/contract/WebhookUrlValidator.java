package io.hookline.contract;

import io.hookline.config.HooklineConfig;
import io.hookline.net.AddressRules;
import io.netty.util.NetUtil;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * The rules of {@link WebhookUrl}, each with the message a caller sees when it is broken. A bean, so that it reads
 * {@code hookline.delivery.allow-private-networks}; {@link #WebhookUrlValidator(boolean)} builds one without CDI.
 * This class is threadsafe.
 */
@Singleton
public class WebhookUrlValidator implements ConstraintValidator<WebhookUrl, String> {
    private static final Pattern IPV4_LITERAL = Pattern.compile("[0-9.]+");

    private final BooleanSupplier allowPrivateNetworks;

    /**
     * Quarkus builds every constraint validator when it builds the validator factory, before the runtime
     * configuration exists; the key is therefore read at each validation, not here.
     */
    @Inject
    WebhookUrlValidator(Provider<HooklineConfig> config) {
        this.allowPrivateNetworks = () -> config.get().delivery().allowPrivateNetworks();
    }

    /** @param allowPrivateNetworks {@code hookline.delivery.allow-private-networks} */
    public WebhookUrlValidator(boolean allowPrivateNetworks) {
        this.allowPrivateNetworks = () -> allowPrivateNetworks;
    }

    @Override
    public boolean isValid(String url, ConstraintValidatorContext context) {
        if (url == null) {
            return true;
        }
        Optional<String> refusal = refusal(url, allowPrivateNetworks.getAsBoolean());
        return refusal.isEmpty() || Refusal.refuse(context, refusal.get());
    }

    /** Why {@code url} is refused (the first rule it breaks), or empty when a webhook may deliver to it. */
    public static Optional<String> refusal(String url, boolean allowPrivateNetworks) {
        if (url.isBlank()) {
            return Optional.of("is required");
        }
        if (url.length() > WebhookUrl.MAX_LENGTH) {
            return Optional.of("must be at most " + WebhookUrl.MAX_LENGTH + " characters");
        }
        if (!Text.storable(url)) {
            return Optional.of(Text.UNSTORABLE);
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !("https".equals(scheme) || "http".equals(scheme))) {
            return Optional.of("must be an absolute http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of("must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("must not contain user information (user:password@)");
        }
        if (uri.getRawFragment() != null) {
            return Optional.of("must not contain a fragment (#…); it is never sent");
        }
        if (allowPrivateNetworks) {
            return Optional.empty();
        }
        if (!"https".equals(scheme)) {
            return Optional.of("must use https");
        }
        String host = hostName(uri.getHost());
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return Optional.of("must not point to a loopback address");
        }
        if (host.startsWith("[") || IPV4_LITERAL.matcher(host).matches()) {
            // a literal: parsed, never resolved
            byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
            if (literal == null) {
                return Optional.of("has a malformed IP address");
            }
            try {
                return AddressRules.blockedReason(InetAddress.getByAddress(literal))
                        .map(reason -> "must not point to a " + reason);
            } catch (UnknownHostException e) {
                return Optional.of("has a malformed IP address");
            }
        }
        return Optional.empty();
    }

    /**
     * The host as DNS sees it: lower case, without the one trailing dot of a fully qualified name, so
     * {@code LOCALHOST}, {@code localhost.} and {@code 127.0.0.1.} meet the same rules as {@code localhost} and
     * {@code 127.0.0.1} (the resolver treats them alike; send time resolved them to loopback and refused them, but
     * registration let them in).
     */
    static String hostName(String uriHost) {
        String host = uriHost.toLowerCase(Locale.ROOT);
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }
}
