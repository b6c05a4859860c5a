package io.hookline.portal;

import io.hookline.testsupport.Api;
import io.hookline.testsupport.Browser;
import io.hookline.testsupport.Db;
import io.hookline.testsupport.Portal;
import io.hookline.testsupport.Receiver;
import io.hookline.testsupport.Receiver.Answer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The portal in a real headless Chromium (see {@link Browser}): a customer opens a portal link and manages an endpoint
 * that points at a real local receiver, from creation to revocation, while events are published through the API.
 * Saves screenshots of the main pages (docs/portal/ with -Dportal.screenshots=docs/portal).
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PortalBrowserTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String XSS = "<script>alert(1)</script>";

    @TestHTTPResource("/")
    URL base;

    Browser browser;
    Api api;
    Receiver receiver;

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
    void freshTenant() {
        api = Api.newTenant();
        receiver = Receiver.start();
        browser.driver.manage().deleteAllCookies();
        browser.console(); // what earlier tests left in the console
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void a_customer_manages_an_endpoint_from_portal_link_to_revocation() {
        api.publish("invoice.paid", "{\"invoice\":\"in_0\"}");
        api.publish("customer.created", "{\"customer\":\"cus_0\"}");

        // the link from the platform's backend opens the portal for this tenant
        open(Portal.link(api));
        awaitText("No endpoints yet");
        assertTrue(browser.text().contains(api.tenant));
        assertTrue(browser.text().contains("invoice.paid"), "published types are listed");

        // add an endpoint: the published types are offered as boxes to tick
        browser.find("a.button[href='/portal/endpoints/new']").click();
        awaitText("Add endpoint");
        browser.find("#url").sendKeys(receiver.url());
        browser.find("#description").sendKeys("Ledger service");
        browser.find("input[name='eventTypes'][value='invoice.paid']").click();
        browser.find("#otherTypes").sendKeys("refund.*");
        browser.screenshot("new-endpoint", 1100);
        browser.find("#url").sendKeys(Keys.ENTER); // the keyboard submits the form

        // the secret, once, with a copy button
        awaitText("it is shown only this once");
        String secret = browser.find("#secret").getText();
        assertTrue(secret.matches("whsec_[A-Za-z0-9+/]{43}="), secret);
        browser.find("button[data-copy='secret']").click();
        await().atMost(WAIT)
                .until(() ->
                        browser.find("button[data-copy='secret']").getText().equals("Copied"));
        String id = browser.driver.getCurrentUrl().replaceAll(".*/portal/endpoints/", "");
        assertTrue(id.matches("wh_[0-9a-z]{26}"), browser.driver.getCurrentUrl());
        browser.screenshot("secret", 1100);
        browser.find("a.button.primary").click();
        awaitText("Delivery log");
        assertFalse(browser.driver.getPageSource().contains(secret), "the secret is never shown again");
        browser.driver.navigate().back();
        awaitUrl("/portal/endpoints/" + id);
        assertFalse(browser.driver.getPageSource().contains(secret), "not even by going back");
        browser.driver.navigate().refresh();
        awaitText("Delivery log");
        assertFalse(browser.driver.getPageSource().contains(secret), "or by reloading");

        // a test send shows the endpoint's answer: status, time, first bytes
        receiver.answering(n -> Answer.status(200).body("hello from the receiver"));
        browser.find("#send-test").click();
        await().atMost(WAIT).until(() -> browser.find("#test-result").getText().contains("HTTP 200"));
        String result = browser.find("#test-result").getText();
        assertTrue(result.contains("Delivered") && result.contains("hello from the receiver"), result);
        assertEquals("webhook.test", receiver.requests().get(0).header("X-Hookline-Event"));
        String shown = browser.find("#test-result time").getText();
        assertTrue(
                shown.contains("GMT+9"), "times are shown in the browser's zone (" + Browser.TIME_ZONE + "): " + shown);

        // an event published through the API appears in the log
        api.publish("invoice.paid", "{\"invoice\":\"in_1\"}");
        reloadUntil(() -> logStatuses().equals(List.of("succeeded", "succeeded")));
        assertEquals(2, receiver.count());
        browser.find("#send-test").click();
        await().atMost(WAIT).until(() -> browser.find("#test-result").getText().contains("HTTP 200"));
        browser.screenshot("endpoint", 1100);
        browser.screenshot("endpoint-narrow", 390);

        // the receiver fails: the delivery fails for good, its attempts say why, and it is redelivered
        receiver.answering(n -> Answer.status(500).body("database is down"));
        api.publish("refund.created", "{\"refund\":\"re_1\"}");
        new Select(browser.find("#status")).selectByValue("failed");
        browser.find("form.filter button").click();
        awaitUrl("status=failed");
        reloadUntil(() -> logStatuses().equals(List.of("failed")));
        browser.find("table.log a").click();
        awaitText("Attempts");
        await().atMost(WAIT)
                .until(() -> browser.driver
                                .findElements(By.cssSelector("li.attempt"))
                                .size()
                        == 4);
        assertTrue(browser.text().contains("HTTP 500"));
        assertTrue(browser.text().contains("database is down"));
        assertTrue(browser.text().contains("refund.created"));
        browser.screenshot("delivery", 1100);
        receiver.answering(n -> Answer.status(200).body("ok"));
        browser.find("#redeliver").click();
        awaitText("Delivery queued again");
        reloadUntil(() -> logStatuses().equals(List.of("succeeded", "failed", "succeeded", "succeeded", "succeeded")));

        // rotate with a grace period: a new secret, shown once
        new Select(browser.find("#graceSeconds")).selectByValue("3600");
        browser.find("#rotate").click();
        awaitText("New signing secret");
        String rotated = browser.find("#secret").getText();
        assertNotEquals(secret, rotated);
        assertTrue(browser.text().contains("keeps working for 1 hour"));
        browser.find("a.button.primary").click();
        awaitText("Delivery log");

        // settings: a description with markup is stored and shown as text
        WebElement description = browser.find("#description");
        description.clear();
        description.sendKeys(XSS);
        browser.find("form.stack button[type='submit']").click();
        awaitText("Changes saved.");
        assertEquals(XSS, browser.find("p.description").getText());
        assertThrows(
                NoAlertPresentException.class, () -> browser.driver.switchTo().alert());

        // disable and enable
        browser.find("#disable").click();
        awaitText("Endpoint disabled");
        assertTrue(browser.find(".state").getText().contains("Disabled"));
        browser.find("#enable").click();
        awaitText("Endpoint enabled");

        // the list shows it, escaped
        browser.find("a.brand").click();
        awaitText("Event types in your account");
        assertTrue(browser.text().contains(XSS));
        browser.screenshot("endpoints", 1100);

        // revoke, after a confirmation
        browser.find("a.endpoint-url").click();
        awaitText("Delivery log");
        assertFalse(browser.find("#revoke").isDisplayed(), "the revoke button is behind a confirmation");
        browser.find("details summary").click();
        browser.find("#revoke").click();
        awaitText("Endpoint revoked");
        assertTrue(browser.text().contains("No endpoints yet"));
        api.request().get("/v1/webhooks/" + id).then().statusCode(404);

        // all along, the pages never needed anything their Content-Security-Policy forbids
        List<String> blocked = browser.console().stream()
                .filter(line -> line.contains("Content Security Policy") || line.contains("Refused to"))
                .toList();
        assertEquals(List.of(), blocked);
    }

    @Test
    void a_reused_or_expired_link_is_refused() {
        String link = Portal.link(api);
        open(link);
        awaitText("No endpoints yet");
        browser.driver.manage().deleteAllCookies();
        open(link);
        awaitText("This link cannot be used");
        browser.driver.get(base + "portal");
        awaitText("Signed out");

        String expired = Portal.link(api);
        Db.update(
                "UPDATE portal_link SET created_at = now() - interval '10 minutes', expires_at = now() - interval '1 second'"
                        + " WHERE tenant = ?",
                api.tenant);
        open(expired);
        awaitText("This link cannot be used");
        browser.screenshot("link-refused", 1100);
    }

    @Test
    void another_tenants_endpoint_is_not_found() {
        Api other = Api.newTenant();
        String theirs = other.createWebhook("https://example.com/theirs");
        open(Portal.link(api));
        awaitText("No endpoints yet");
        browser.driver.get(base + "portal/endpoints/" + theirs);
        awaitText("Not found");
        assertFalse(browser.text().contains("example.com/theirs"));
    }

    @Test
    void a_post_without_the_csrf_token_is_refused_and_every_page_has_a_strict_csp() {
        open(Portal.link(api));
        awaitText("No endpoints yet");
        Object status = browser.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "fetch('/portal/endpoints', {method: 'POST', credentials: 'same-origin',"
                + " body: new URLSearchParams({url: 'https://example.com/csrf'})})"
                + ".then(r => done(r.status), e => done(String(e)));");
        assertEquals(403L, status);
        assertEquals(0, Db.count("SELECT count(*) FROM webhook WHERE tenant = ?", api.tenant));
        // the console is read (the journey test relies on it to find what the CSP blocked): the refusal is there
        List<String> console = browser.console();
        assertTrue(console.stream().anyMatch(line -> line.contains("403")), console.toString());
        Object csp = browser.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "fetch('/portal', {credentials: 'same-origin'})"
                + ".then(r => done(r.headers.get('content-security-policy')), e => done(String(e)));");
        assertTrue(
                String.valueOf(csp).startsWith("default-src 'none'; script-src 'self'; style-src 'self';"),
                String.valueOf(csp));
        assertTrue(String.valueOf(csp).contains("frame-ancestors 'none'"), String.valueOf(csp));
        // the page's own script ran under that policy: the time elements were formatted
        assertFalse(browser.driver
                .findElements(By.cssSelector("meta[name='csrf-token']"))
                .isEmpty());
    }

    private void open(String link) {
        browser.driver.get(base + Portal.path(link).substring(1));
    }

    private void awaitText(String text) {
        await().atMost(WAIT)
                .alias("page shows '" + text + "'")
                .ignoreExceptions()
                .until(() -> browser.text().contains(text));
    }

    private void awaitUrl(String part) {
        await().atMost(WAIT)
                .alias("address contains '" + part + "'")
                .until(() -> browser.driver.getCurrentUrl().contains(part));
    }

    /** Reloads the page every half second until the condition holds (the dispatcher works in the background). */
    private void reloadUntil(Callable<Boolean> condition) {
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> {
                    browser.driver.navigate().refresh();
                    return condition.call();
                });
    }

    private List<String> logStatuses() {
        return browser.driver.findElements(By.cssSelector("table.log tbody .badge")).stream()
                .map(WebElement::getText)
                .toList();
    }
}
