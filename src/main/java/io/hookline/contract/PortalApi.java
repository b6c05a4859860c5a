package io.hookline.contract;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The response body of POST /v1/portal/sessions. */
public final class PortalApi {
    private PortalApi() {}

    @Schema(name = "PortalLink", description = "A one-time link into the customer portal for one tenant")
    @RegisterForReflection
    public record Link(
            @Schema(
                    required = true,
                    description =
                            "Open it once, before expiresAt, in the customer's browser (a redirect or an iframe): "
                                    + "it starts a portal session for the tenant. Hand it to nobody else; it is not stored.",
                    example = "https://hooks.example.com/portal/login/q3Vj0cT2k8Zb7m1xYw5pLr9sNa4eHd6uGf0iJoKtBvE")
            String url,

            @Schema(required = true, description = "The link cannot be opened after this")
            Instant expiresAt) {

        @Override
        public String toString() {
            return "Link[url=***, expiresAt=" + expiresAt + "]";
        }
    }
}
