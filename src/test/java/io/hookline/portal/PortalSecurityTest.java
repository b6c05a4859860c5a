package io.hookline.portal;

import io.hookline.testsupport.Api;
import io.hookline.testsupport.Db;
import io.hookline.testsupport.LogCapture;
import io.hookline.testsupport.Portal;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The portal's doors and walls over plain HTTP: links, sessions, CSRF, headers, tenant isolation, escaping. */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class PortalSecurityTest {

    final Api api = Api.newTenant();

    @Test
    void a_tenant_token_gets_a_one_time_link_that_expires_within_five_minutes() {
        Instant before = Instant.now();
        Response answer = api.request().post("/v1/portal/sessions");
        answer.then()
                .statusCode(201)
                .header("Cache-Control", "no-store")
                .body("url", matchesPattern("http://localhost:\\d+/portal/login/[A-Za-z0-9_-]{43}"));
        Instant expires = Instant.parse(answer.path("expiresAt"));
        assertTrue(
                !expires.isBefore(before.plus(5, ChronoUnit.MINUTES).minusSeconds(1))
                        && !expires.isAfter(
                                Instant.now().plus(5, ChronoUnit.MINUTES).plusSeconds(1)),
                "expiresAt " + expires + " is not 5 minutes after issue");
    }

    @Test
    void issuing_a_link_needs_a_token() {
        given().post("/v1/portal/sessions").then().statusCode(401);
    }

    @Test
    void the_database_holds_only_the_sha256_of_a_link_and_of_a_session() throws Exception {
        String url = Portal.link(api);
        String token = url.substring(url.lastIndexOf('/') + 1);
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        assertEquals(
                1, Db.count("SELECT count(*) FROM portal_link WHERE token_hash = ? AND tenant = ?", hash, api.tenant));
        assertEquals(
                0,
                Db.count(
                        "SELECT count(*) FROM portal_link WHERE encode(token_hash, 'escape') LIKE ?",
                        "%" + token + "%"));

        String session = Portal.open(url).getCookie(Portal.COOKIE);
        byte[] sessionHash = MessageDigest.getInstance("SHA-256").digest(session.getBytes(StandardCharsets.US_ASCII));
        assertEquals(
                1,
                Db.count(
                        "SELECT count(*) FROM portal_session WHERE id_hash = ? AND tenant = ?",
                        sessionHash,
                        api.tenant));
        assertEquals(
                0, Db.count("SELECT count(*) FROM portal_link WHERE token_hash = ?", hash), "the used link is gone");
    }

    @Test
    void a_link_opens_once_and_its_session_cookie_is_http_only_lax_and_scoped_to_the_portal() {
        String url = Portal.link(api);
        Response first = Portal.open(url);
        first.then().statusCode(303).header("Location", matchesPattern("http://localhost:\\d+/portal"));
        String cookie = first.getHeader("Set-Cookie");
        assertNotNull(cookie);
        assertTrue(
                cookie.matches("hookline_portal=[A-Za-z0-9_-]{43}; Path=/portal; Max-Age=3600; HttpOnly; SameSite=Lax"),
                cookie);

        Portal.open(url)
                .then()
                .statusCode(403)
                .contentType(containsString("text/html"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .body(containsString("This link cannot be used"));
    }

    @Test
    void an_expired_link_is_refused() {
        String url = Portal.link(api);
        Db.update(
                "UPDATE portal_link SET created_at = now() - interval '10 minutes', expires_at = now() - interval '1 second'"
                        + " WHERE tenant = ?",
                api.tenant);
        Portal.open(url).then().statusCode(403).body(containsString("expired"));
        assertEquals(0, Db.count("SELECT count(*) FROM portal_session WHERE tenant = ?", api.tenant));
    }

    @Test
    void a_made_up_link_is_refused_like_a_used_one() {
        given().redirects()
                .follow(false)
                .get("/portal/login/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
                .then()
                .statusCode(403);
        given().redirects().follow(false).get("/portal/login/short").then().statusCode(403);
    }

    @Test
    void pages_without_a_session_say_so_and_carry_the_security_headers() {
        given().get("/portal")
                .then()
                .statusCode(401)
                .contentType(containsString("text/html"))
                .header(
                        "Content-Security-Policy",
                        equalTo("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                                + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"))
                .header("X-Frame-Options", "DENY")
                .header("Cache-Control", "no-store")
                .header("Referrer-Policy", "no-referrer")
                .header("X-Content-Type-Options", "nosniff")
                .body(containsString("Signed out"));
        given().cookie(Portal.COOKIE, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
                .get("/portal")
                .then()
                .statusCode(401);
    }

    @Test
    void a_session_shows_its_tenant_with_the_security_headers() {
        String session = Portal.session(api);
        given().cookie(Portal.COOKIE, session)
                .get("/portal")
                .then()
                .statusCode(200)
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("Content-Security-Policy", not(containsString("unsafe-inline")))
                .header("Cache-Control", "no-store")
                .body(containsString(api.tenant))
                .body(containsString("No endpoints yet"));
    }

    @Test
    void a_post_without_the_sessions_csrf_token_is_refused_and_changes_nothing() {
        String session = Portal.session(api);
        given().cookie(Portal.COOKIE, session)
                .contentType("application/x-www-form-urlencoded")
                .formParam("url", "https://example.com/hook")
                .post("/portal/endpoints")
                .then()
                .statusCode(403)
                .body(containsString("nothing was changed"));
        given().cookie(Portal.COOKIE, session)
                .contentType("application/x-www-form-urlencoded")
                .formParam("url", "https://example.com/hook")
                .formParam("_csrf", "not-the-token")
                .post("/portal/endpoints")
                .then()
                .statusCode(403);
        given().cookie(Portal.COOKIE, session)
                .header("X-CSRF-Token", "not-the-token")
                .post("/portal/logout")
                .then()
                .statusCode(403);
        // another session's token is no better
        String other = Portal.csrf(Portal.session(api));
        given().cookie(Portal.COOKIE, session)
                .contentType("application/x-www-form-urlencoded")
                .formParam("url", "https://example.com/hook")
                .formParam("_csrf", other)
                .post("/portal/endpoints")
                .then()
                .statusCode(403);
        assertEquals(0, Db.count("SELECT count(*) FROM webhook WHERE tenant = ?", api.tenant));

        given().cookie(Portal.COOKIE, session)
                .contentType("application/x-www-form-urlencoded")
                .formParam("url", "https://example.com/hook")
                .formParam("_csrf", Portal.csrf(session))
                .post("/portal/endpoints")
                .then()
                .statusCode(200)
                .body(containsString("whsec_"));
        assertEquals(1, Db.count("SELECT count(*) FROM webhook WHERE tenant = ?", api.tenant));
    }

    @Test
    void another_tenants_endpoints_and_deliveries_are_not_found_and_stay_unchanged() {
        Api other = Api.newTenant();
        String theirs = other.createWebhook("https://example.com/theirs");
        String theirDelivery = other.request()
                .post("/v1/webhooks/" + theirs + "/test")
                .then()
                .statusCode(200)
                .extract()
                .path("deliveryId");
        String session = Portal.session(api);
        String csrf = Portal.csrf(session);

        for (String path : new String[] {"/portal/endpoints/" + theirs, "/portal/deliveries/" + theirDelivery}) {
            given().cookie(Portal.COOKIE, session)
                    .get(path)
                    .then()
                    .statusCode(404)
                    .contentType(containsString("text/html"))
                    .body(not(containsString("example.com/theirs")));
        }
        for (String action : new String[] {"disable", "rotate", "revoke", "test"}) {
            given().cookie(Portal.COOKIE, session)
                    .contentType("application/x-www-form-urlencoded")
                    .formParam("_csrf", csrf)
                    .formParam("graceSeconds", "0")
                    .redirects()
                    .follow(false)
                    .post("/portal/endpoints/" + theirs + "/" + action)
                    .then()
                    .statusCode(404);
        }
        given().cookie(Portal.COOKIE, session)
                .contentType("application/x-www-form-urlencoded")
                .formParam("_csrf", csrf)
                .formParam("url", "https://attacker.example/")
                .post("/portal/endpoints/" + theirs)
                .then()
                .statusCode(404);
        given().cookie(Portal.COOKIE, session)
                .contentType("application/x-www-form-urlencoded")
                .formParam("_csrf", csrf)
                .redirects()
                .follow(false)
                .post("/portal/deliveries/" + theirDelivery + "/redeliver")
                .then()
                .statusCode(404);

        other.request()
                .get("/v1/webhooks/" + theirs)
                .then()
                .statusCode(200)
                .body("url", equalTo("https://example.com/theirs"))
                .body("enabled", equalTo(true));
        assertEquals(1, Db.count("SELECT count(*) FROM delivery WHERE webhook_id = ?", theirs));
        assertEquals(1, Db.count("SELECT count(*) FROM webhook_secret WHERE webhook_id = ?", theirs));
    }

    @Test
    void a_description_with_markup_is_shown_as_text() {
        String id = api.request()
                .body("{\"url\":\"https://example.com/x\",\"description\":\"<script>alert(1)</script>\"}")
                .post("/v1/webhooks")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        String session = Portal.session(api);
        for (String path : new String[] {"/portal", "/portal/endpoints/" + id}) {
            String html = given().cookie(Portal.COOKIE, session)
                    .get(path)
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
            assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), path + " does not escape: " + html);
            assertFalse(html.contains("<script>alert(1)"), path);
        }
    }

    @Test
    void the_secret_is_on_the_page_that_creates_it_only_and_never_in_the_log() {
        String session = Portal.session(api);
        String csrf = Portal.csrf(session);
        String secret;
        String id;
        try (LogCapture log = LogCapture.start()) {
            Response created = given().cookie(Portal.COOKIE, session)
                    .contentType("application/x-www-form-urlencoded")
                    .formParam("_csrf", csrf)
                    .formParam("url", "https://example.com/secret")
                    .post("/portal/endpoints");
            created.then().statusCode(200).header("HX-Push-Url", matchesPattern("/portal/endpoints/wh_[0-9a-z]{26}"));
            String html = created.asString();
            int at = html.indexOf("whsec_");
            secret = html.substring(at, html.indexOf('<', at));
            id = created.getHeader("HX-Push-Url").substring("/portal/endpoints/".length());
            String rotated = given().cookie(Portal.COOKIE, session)
                    .contentType("application/x-www-form-urlencoded")
                    .formParam("_csrf", csrf)
                    .formParam("graceSeconds", "3600")
                    .post("/portal/endpoints/" + id + "/rotate")
                    .then()
                    .statusCode(200)
                    .body(containsString("keeps working for 1 hour"))
                    .extract()
                    .asString();
            String newSecret =
                    rotated.substring(rotated.indexOf("whsec_"), rotated.indexOf('<', rotated.indexOf("whsec_")));
            for (LogCapture.Line line : log.lines()) {
                assertFalse(line.toString().contains(secret) || line.toString().contains(newSecret), line.toString());
            }
        }
        for (String path : new String[] {"/portal", "/portal/endpoints/" + id}) {
            given().cookie(Portal.COOKIE, session)
                    .get(path)
                    .then()
                    .statusCode(200)
                    .body(not(containsString("whsec_")));
        }
    }

    @Test
    void signing_out_ends_the_session_everywhere() {
        String session = Portal.session(api);
        given().cookie(Portal.COOKIE, session)
                .header("X-CSRF-Token", Portal.csrf(session))
                .post("/portal/logout")
                .then()
                .statusCode(200)
                .header("Set-Cookie", containsString("Max-Age=0"));
        given().cookie(Portal.COOKIE, session).get("/portal").then().statusCode(401);
    }

    @Test
    void an_expired_session_is_refused() {
        String session = Portal.session(api);
        Db.update(
                "UPDATE portal_session SET created_at = now() - interval '2 hours', expires_at = now() - interval '1 second'"
                        + " WHERE tenant = ?",
                api.tenant);
        given().cookie(Portal.COOKIE, session).get("/portal").then().statusCode(401);
    }

    @Test
    void signing_in_at_the_provider_is_not_offered_while_the_portal_oidc_tenant_is_off() {
        given().get("/portal").then().statusCode(401).body(not(containsString("/portal/oidc/login")));
        given().redirects()
                .follow(false)
                .get("/portal/oidc/login")
                .then()
                .statusCode(404)
                .contentType(containsString("text/html"))
                .body(containsString("Signing in is not available"));
    }

    @Test
    void a_field_error_from_the_api_is_shown_next_to_its_field() {
        String session = Portal.session(api);
        String html = given().cookie(Portal.COOKIE, session)
                .contentType("application/x-www-form-urlencoded")
                .formParam("_csrf", Portal.csrf(session))
                .formParam("url", "ftp://example.com/")
                .formParam("otherTypes", "invoice.paid, Bad Type")
                .post("/portal/endpoints")
                .then()
                .statusCode(422)
                .extract()
                .asString();
        assertTrue(
                html.contains("<p class=\"error\" id=\"url-error\">must be an absolute http or https URL</p>"), html);
        assertTrue(html.contains("id=\"types-error\">&#39;Bad&#39; must be made of"), html);
        assertTrue(html.contains("value=\"ftp://example.com/\""), "the form keeps what was typed");
        assertEquals(0, Db.count("SELECT count(*) FROM webhook WHERE tenant = ?", api.tenant));
    }
}
