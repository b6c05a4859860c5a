package io.hookline.testsupport;

import io.restassured.response.Response;
import java.net.URI;

import static io.restassured.RestAssured.given;

/** Portal links and sessions for tests: issued through the API, opened like a browser would (without following). */
public final class Portal {
    public static final String COOKIE = "hookline_portal";

    private Portal() {}

    /** POST /v1/portal/sessions as this tenant; returns the link's URL. */
    public static String link(Api api) {
        return api.request()
                .post("/v1/portal/sessions")
                .then()
                .statusCode(201)
                .extract()
                .path("url");
    }

    /** The path of a link (the test's RestAssured base URI supplies scheme, host and port). */
    public static String path(String url) {
        return URI.create(url).getRawPath();
    }

    /** Opens a link without following the redirect. */
    public static Response open(String url) {
        return given().redirects().follow(false).get(path(url));
    }

    /** Opens a fresh link for this tenant and returns the session cookie's value. */
    public static String session(Api api) {
        Response opened = open(link(api));
        if (opened.statusCode() != 303) {
            throw new AssertionError("opening a fresh portal link answered " + opened.statusCode());
        }
        return opened.getCookie(COOKIE);
    }

    /** The CSRF token a page of this session carries (meta csrf-token). */
    public static String csrf(String session) {
        String html = given().cookie(COOKIE, session)
                .get("/portal")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        int at = html.indexOf("name=\"csrf-token\" content=\"");
        if (at < 0) {
            throw new AssertionError("no csrf-token meta in the portal page");
        }
        int start = at + "name=\"csrf-token\" content=\"".length();
        return html.substring(start, html.indexOf('"', start));
    }
}
