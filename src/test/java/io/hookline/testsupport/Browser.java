package io.hookline.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) driven through Selenium. Nothing is
 * downloaded: the browser and the driver must be installed ({@code apt-get install -y chromium chromium-driver};
 * .ci/run does it). Without them the test FAILS and says so; it never passes or skips for want of a browser.
 * <p>
 * Paths: {@code CHROMIUM_BIN} and {@code CHROMEDRIVER_BIN} when set, else /usr/bin/chromium and /usr/bin/chromedriver.
 * The browser runs in the time zone {@link #TIME_ZONE}, so a test can tell that times are shown in the browser's zone.
 */
public final class Browser implements AutoCloseable {
    /** Not UTC and not the machine's zone: a time shown in it was converted by the page for the browser. */
    public static final String TIME_ZONE = "Asia/Tokyo";

    public final ChromeDriver driver;
    private final Path screenshots;

    private Browser(ChromeDriver driver, Path screenshots) {
        this.driver = driver;
        this.screenshots = screenshots;
    }

    public static Browser start() {
        return start(
                new File(envOr("CHROMIUM_BIN", "/usr/bin/chromium")),
                new File(envOr("CHROMEDRIVER_BIN", "/usr/bin/chromedriver")));
    }

    /** Starts the given browser through the given driver; fails, saying how to install them, when either is missing. */
    public static Browser start(File chromium, File chromedriver) {
        if (!chromium.canExecute() || !chromedriver.canExecute()) {
            throw new AssertionError("The portal's browser tests need Chromium and its driver, and cannot run without "
                    + "them: " + (chromium.canExecute() ? "" : chromium + " is missing; ")
                    + (chromedriver.canExecute() ? "" : chromedriver + " is missing; ")
                    + "install them with `apt-get install -y chromium chromium-driver` (Debian; .ci/run does this), "
                    + "or point CHROMIUM_BIN and CHROMEDRIVER_BIN at them.");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        // the console, so a test can see what the page's Content-Security-Policy blocked
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        options.addArguments(
                "--headless=new",
                "--no-sandbox", // CI runs as root, where Chromium's sandbox cannot start
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1280,900",
                "--lang=en-US",
                "--no-first-run",
                "--disable-extensions");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver)
                .usingAnyFreePort()
                .withEnvironment(Map.of("TZ", TIME_ZONE))
                .build();
        ChromeDriver driver;
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            throw new AssertionError(
                    "Chromium (" + chromium + ") could not be started through " + chromedriver + ": " + e.getMessage(),
                    e);
        }
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        Path dir = Path.of(System.getProperty("portal.screenshots", "target/portal-screenshots"));
        return new Browser(driver, dir);
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** The browser console's messages since the last call. */
    public List<String> console() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage)
                .toList();
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    /**
     * Saves the whole page as {@code name}.png in target/portal-screenshots, or in the directory named by the system
     * property {@code portal.screenshots} (the README's pictures: {@code -Dportal.screenshots=docs/portal}).
     */
    public void screenshot(String name, int width) {
        WebDriver.Window window = driver.manage().window();
        Dimension before = window.getSize();
        try {
            window.setSize(new Dimension(width, 900));
            Number height = (Number) driver.executeScript("return document.documentElement.scrollHeight");
            window.setSize(new Dimension(width, Math.min(4000, height.intValue() + 120)));
            Files.createDirectories(screenshots);
            Files.write(screenshots.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            window.setSize(before);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
