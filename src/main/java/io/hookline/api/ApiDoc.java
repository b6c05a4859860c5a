package io.hookline.api;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The OpenAPI document's header: what clients generated from openapi/openapi.yaml are told about the API. */
@OpenAPIDefinition(
        info =
                @Info(
                        title = "Hookline API",
                        version = "1",
                        description =
                                "Outbound webhook delivery: register endpoints, publish events, inspect and replay "
                                        + "deliveries. Every /v1 operation needs an OIDC bearer access token carrying the tenant claim, "
                                        + "or the platform role and the Hookline-Tenant header naming the tenant to act for.",
                        license = @License(name = "Apache-2.0", url = "https://www.apache.org/licenses/LICENSE-2.0")),
        security = @SecurityRequirement(name = "bearer"),
        tags = {
            @Tag(name = "webhooks", description = "Endpoints that receive deliveries, and their signing secrets"),
            @Tag(name = "events", description = "Publishing events, and the event feed for consumers who poll"),
            @Tag(name = "deliveries", description = "The delivery log and replays"),
            @Tag(name = "audit", description = "Who changed what for the tenant"),
            @Tag(
                    name = "sources",
                    description = "Inbound sources: providers' webhooks (Stripe, GitHub, Standard Webhooks, a hex "
                            + "HMAC) verified and turned into the tenant's events"),
            @Tag(
                    name = "ingest",
                    description = "Where providers post their webhooks: no bearer token, the provider's signature "
                            + "is checked"),
            @Tag(name = "portal", description = "One-time links into the customer portal (/portal)")
        })
@SecurityScheme(
        securitySchemeName = "bearer",
        type = SecuritySchemeType.HTTP,
        scheme = "bearer",
        bearerFormat = "JWT",
        description = "OIDC access token (client-credentials grant). A tenant's token carries the tenant in a claim "
                + "(`tenant` by default, hookline.tenant-claim) and acts for that tenant only. A platform's backend "
                + "token carries the platform role (`hookline-platform` by default, hookline.platform-role; from the "
                + "`groups` claim, or Keycloak realm or client roles) and acts for any tenant, named in the "
                + "`Hookline-Tenant` header of each call; without the header such a call is a 400. The header on a "
                + "token without the role is a 403, unless it names the token's own tenant. The admin operations "
                + "need the admin role (`hookline-admin`, hookline.dispatcher.admin-role) and no tenant.")
public class ApiDoc extends Application {}
