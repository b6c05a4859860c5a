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
                                        + "deliveries. Every /v1 operation needs an OIDC bearer access token carrying the tenant claim.",
                        license = @License(name = "Apache-2.0", url = "https://www.apache.org/licenses/LICENSE-2.0")),
        security = @SecurityRequirement(name = "bearer"),
        tags = {
            @Tag(name = "webhooks", description = "Endpoints that receive deliveries, and their signing secrets"),
            @Tag(name = "events", description = "Publishing events, and the event feed for consumers who poll"),
            @Tag(name = "deliveries", description = "The delivery log and replays")
        })
@SecurityScheme(
        securitySchemeName = "bearer",
        type = SecuritySchemeType.HTTP,
        scheme = "bearer",
        bearerFormat = "JWT",
        description = "OIDC access token (client-credentials grant)")
public class ApiDoc extends Application {}
