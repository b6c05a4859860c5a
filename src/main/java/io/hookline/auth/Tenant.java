package io.hookline.auth;

import io.hookline.config.HooklineConfig;
import io.hookline.contract.ProblemException;
import io.hookline.contract.Text;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonString;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The tenant of the current request, read from the access token claim named by {@code hookline.tenant-claim}. */
@RequestScoped
public class Tenant {
    private static final int MAX_LENGTH = 255;

    @Inject
    JsonWebToken token;

    @Inject
    HooklineConfig config;

    private String id;

    public String id() {
        if (id == null) {
            String claim = config.tenantClaim();
            Object value = token.getClaim(claim);
            String tenant = value instanceof JsonString json
                    ? json.getString().trim()
                    : value == null ? null : value.toString().trim();
            if (tenant == null || tenant.isEmpty()) {
                throw ProblemException.forbidden("the access token has no '" + claim + "' claim naming the tenant");
            }
            if (tenant.length() > MAX_LENGTH) {
                throw ProblemException.forbidden(
                        "the '" + claim + "' claim is longer than " + MAX_LENGTH + " characters");
            }
            if (!Text.storable(tenant)) {
                throw ProblemException.forbidden("the '" + claim + "' claim " + Text.UNSTORABLE);
            }
            id = tenant;
        }
        return id;
    }
}
