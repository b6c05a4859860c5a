package io.hookline.testsupport;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;

/** REST Assured requests as one tenant. */
public final class Api {
    private final String token;
    public final String tenant;

    private Api(String tenant) {
        this.tenant = tenant;
        this.token = Tokens.forTenant(tenant);
    }

    public static Api newTenant() {
        return new Api(Tokens.newTenant());
    }

    /** The bearer token of this tenant, for requests made without REST Assured. */
    public String token() {
        return token;
    }

    public RequestSpecification request() {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    /** Creates a webhook and returns {@code [id, secret]}. */
    public String[] createWebhookWithSecret(String url, String... eventTypes) {
        StringBuilder types = new StringBuilder("[");
        for (int i = 0; i < eventTypes.length; i++) {
            types.append(i == 0 ? "" : ",").append('"').append(eventTypes[i]).append('"');
        }
        var created = request()
                .body("{\"url\":\"" + url + "\",\"eventTypes\":" + types + "]}")
                .post("/v1/webhooks")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        return new String[] {created.getString("id"), created.getString("secret")};
    }

    /** Publishes an event and returns its id. */
    public String publish(String type, String dataJson) {
        return request()
                .body("{\"type\":\"" + type + "\",\"data\":" + dataJson + "}")
                .post("/v1/events")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
    }

    /** Creates a webhook pointing at {@code url} and returns its id. */
    public String createWebhook(String url) {
        return request()
                .body("{\"url\":\"" + url + "\"}")
                .post("/v1/webhooks")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }
}
