package io.hookline.portal;

import io.hookline.testsupport.Browser;
import io.hookline.testsupport.UnitTest;
import java.io.File;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Without a browser the portal's browser tests fail and say how to get one; they never pass or skip silently. */
@UnitTest
class BrowserMissingTest {

    @Test
    void a_missing_chromium_fails_the_test_with_the_command_that_installs_it() {
        AssertionError failure = assertThrows(
                AssertionError.class,
                () -> Browser.start(new File("/nonexistent/chromium"), new File("/nonexistent/chromedriver")));
        String message = failure.getMessage();
        assertTrue(message.contains("/nonexistent/chromium is missing"), message);
        assertTrue(message.contains("/nonexistent/chromedriver is missing"), message);
        assertTrue(message.contains("apt-get install -y chromium chromium-driver"), message);
    }
}
