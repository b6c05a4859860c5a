package io.hookline.portal;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.hookline.testsupport.Api;
import io.hookline.testsupport.Browser;
import io.hookline.testsupport.Db;
import io.hookline.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.smallrye.jwt.build.Jwt;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The portal's second way in: signing in at the platform's OIDC provider (authorization-code flow, the "portal-web" OIDC
 * tenant of type web-app), in a real browser against the in-process provider. The tenant comes from the access
 * token's tenant claim, as for the API.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@TestProfile(PortalOidcTest.SignIn.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PortalOidcTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String CLIENT = "hookline-portal";

    /** The README's settings for signing in, against the test's provider. */
    public static class SignIn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.oidc.portal-web.tenant-enabled", "true",
                    "quarkus.oidc.portal-web.client-id", CLIENT,
                    "quarkus.oidc.portal-web.credentials.secret", "a-portal-client-secret-of-32-chars-or-more",
                    "quarkus.oidc.portal-web.token.issuer", "https://server.example.com");
        }
    }

    @OidcWireMock
    WireMockServer provider;

    @TestHTTPResource("/")
    URL base;

    Browser browser;

    @BeforeAll
    void startBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void forgetSessions() {
        browser.driver.manage().deleteAllCookies();
    }

    /** The provider's answer to the code exchange: tokens for a customer of {@code tenant} (none: no claim). */
    private StubMapping tokensFor(String tenant) {
        var access = Jwt.subject("customer-7").issuer("https://server.example.com");
        if (tenant != null) {
            access.claim("tenant", tenant);
        }
        String id = Jwt.subject("customer-7")
                .issuer("https://server.example.com")
                .audience(Set.of(CLIENT))
                .claim("typ", "ID")
                .sign();
        return provider.stubFor(post("/auth/realms/quarkus/token")
                .withRequestBody(containing("authorization_code"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\":\"" + access.sign() + "\",\"token_type\":\"Bearer\","
                                + "\"expires_in\":300,\"id_token\":\"" + id + "\"}")));
    }

    private void signInAtTheProvider() {
        browser.driver.get(base + "portal");
        awaitText("Signed out");
        browser.find("a[href='/portal/oidc/login']").click();
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> browser.find("#username").isDisplayed());
        assertTrue(browser.driver.getCurrentUrl().startsWith(provider.baseUrl()), browser.driver.getCurrentUrl());
        browser.find("#username").sendKeys("customer-7");
        browser.find("#password").sendKeys("password");
        browser.find("#login").click();
    }

    @Test
    void a_customer_signs_in_at_the_provider_and_sees_the_tenant_its_token_names() {
        String tenant = Tokens.newTenant();
        StubMapping stub = tokensFor(tenant);
        try {
            signInAtTheProvider();
            awaitText("No endpoints yet");
            assertTrue(browser.text().contains(tenant));
            assertTrue(browser.driver.getCurrentUrl().endsWith("/portal"), browser.driver.getCurrentUrl());
            assertEquals(1, Db.count("SELECT count(*) FROM portal_session WHERE tenant = ?", tenant));

            // signing out ends the portal session; coming back needs the provider again
            browser.find("form[action='/portal/logout'] button").click();
            awaitText("Signed out");
            assertEquals(0, Db.count("SELECT count(*) FROM portal_session WHERE tenant = ?", tenant));
            browser.driver.get(base + "portal");
            awaitText("Signed out");
        } finally {
            provider.removeStub(stub);
        }
    }

    @Test
    void a_sign_in_whose_token_names_no_tenant_opens_nothing() {
        StubMapping stub = tokensFor(null);
        try {
            signInAtTheProvider();
            awaitText("No account to show");
            assertTrue(browser.text().contains("'tenant' claim"), browser.text());
        } finally {
            provider.removeStub(stub);
        }
        browser.driver.get(base + "portal");
        awaitText("Signed out");
    }

    @Test
    void the_api_keeps_its_bearer_tokens_beside_the_sign_in() {
        Api api = Api.newTenant();
        api.request().post("/v1/portal/sessions").then().statusCode(201);
        api.request().get("/v1/webhooks").then().statusCode(200);
        given().get("/v1/webhooks").then().statusCode(401).header("WWW-Authenticate", "Bearer");
    }

    private void awaitText(String text) {
        await().atMost(WAIT)
                .alias("page shows '" + text + "'")
                .ignoreExceptions()
                .until(() -> browser.text().contains(text));
    }
}
