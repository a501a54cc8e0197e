package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.app.support.Http;
import dev.tally.app.support.TallyFixture;
import dev.tally.app.support.TempDirs;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The demo page in two real headless Chromium windows against a real tally: a like in one shows in the other
 * within 2 s, each window is a live viewer, and closing one window brings the other's viewer count back down. And
 * in two tabs of one browser, which share its 6 connections per host: each tab follows all of its posts on one
 * stream, so both tabs keep every post live and see each other's likes within 2 s (with a stream per post, the
 * second tab's streams would wait for a free connection). Needs Debian's {@code chromium} and {@code chromium-driver}; skipped without them, except on CI, where it fails.
 */
@Tag("integration")
@Tag("slow")
class DemoPageBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(5);
    private static final long POST = 4242;

    @BeforeAll
    static void requireChromium() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String missing = "the browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
                + ": apt-get install -y chromium chromium-driver";
        if (!present && "true".equals(System.getenv("CI"))) {
            Assertions.fail(missing);
        }
        Assumptions.assumeTrue(present, "skipped: " + missing);
    }

    private static WebDriver browser() throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1100,700",
                "--user-data-dir=" + TempDirs.create("tally-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static String text(WebDriver browser, String selector) {
        return text(browser, POST, selector);
    }

    private static String text(WebDriver browser, long post, String selector) {
        return browser.findElement(By.cssSelector("#post-" + post + " " + selector)).getText();
    }

    /** The text of an element of a post in one tab of the browser. */
    private static String text(WebDriver browser, String tab, long post, String selector) {
        return browser.switchTo().window(tab).findElement(By.cssSelector("#post-" + post + " " + selector)).getText();
    }

    private static void like(WebDriver browser, String tab, long post) {
        WebElement button = browser.switchTo().window(tab).findElement(By.cssSelector("#post-" + post + " .like"));
        assertThat(button.getText()).contains("Like").doesNotContain("Liked");
        button.click();
    }

    @Test
    void shouldKeepEveryPostLiveInTwoTabsOfOneBrowserAndShowEachTabsLikesInTheOther() throws IOException {
        long firstPost = 5151;
        List<Long> posts = LongStream.range(firstPost, firstPost + 4).boxed().toList();
        try (TallyFixture tally = TallyFixture.create(Map.of("TALLY_LIVE_REPORT_INTERVAL_MS", "300"))) {
            TallyNode node = tally.start("node");
            Http http = new Http(node.port());
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/health/ready").status() == 200);
            String page = "http://127.0.0.1:" + node.port() + "/?posts="
                    + posts.stream().map(String::valueOf).collect(Collectors.joining(","));

            WebDriver browser = browser();
            try {
                browser.get(page);
                String firstTab = browser.getWindowHandle();
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !browser.findElement(By.id("user-id")).getText().equals("…"));
                // Tabs share localStorage: the second tab is another viewer only with another id.
                ((JavascriptExecutor) browser).executeScript("localStorage.setItem('tally-user-id', '424242')");
                browser.switchTo().newWindow(WindowType.TAB).get(page);
                String secondTab = browser.getWindowHandle();
                assertThat(browser.findElement(By.id("user-id")).getText()).isEqualTo("424242");

                Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    for (String tab : List.of(firstTab, secondTab)) {
                        for (long post : posts) {
                            assertThat(text(browser, tab, post, ".live")).as("viewers of %d", post).isEqualTo("2");
                            assertThat(text(browser, tab, post, ".views")).as("views of %d", post).isEqualTo("2");
                        }
                    }
                    assertThat(browser.switchTo().window(firstTab).findElement(By.cssSelector("#post-" + firstPost + " .like"))
                            .isEnabled()).isTrue();
                    assertThat(browser.switchTo().window(secondTab).findElement(By.cssSelector("#post-" + firstPost + " .like"))
                            .isEnabled()).isTrue();
                });

                like(browser, firstTab, firstPost);
                Awaitility.await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                        assertThat(text(browser, secondTab, firstPost, ".likes")).isEqualTo("1"));
                like(browser, secondTab, firstPost);
                Awaitility.await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                        assertThat(text(browser, firstTab, firstPost, ".likes")).isEqualTo("2"));
                assertThat(http.get("/v1/" + firstPost).json().get("likes").asLong()).isEqualTo(2);
                browser.switchTo().window(secondTab);
                screenshot(browser, "demo-page-two-tabs.png");
            } finally {
                browser.quit();
            }
        }
    }

    @Test
    void shouldShowALikeFromOneBrowserInTheOtherAndCountBothAsLiveViewers() throws IOException {
        try (TallyFixture tally = TallyFixture.create(Map.of(
                "TALLY_LIVE_SESSION_TIMEOUT_MS", Long.toString(SESSION_TIMEOUT.toMillis()),
                "TALLY_LIVE_REPORT_INTERVAL_MS", "300",
                "TALLY_LIVE_INSTANCE_EXPIRY_MS", "3000",
                "TALLY_STREAM_KEEPALIVE_MS", "500"))) {
            TallyNode node = tally.start("node");
            Http http = new Http(node.port());
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/health/ready").status() == 200);
            String page = "http://127.0.0.1:" + node.port() + "/?posts=" + POST + "," + (POST + 1);

            WebDriver liker = browser();
            WebDriver watcher = browser();
            try {
                liker.get(page);
                watcher.get(page);
                Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    assertThat(text(liker, ".live")).isEqualTo("2");
                    assertThat(text(watcher, ".live")).isEqualTo("2");
                    assertThat(text(watcher, ".views")).as("each page load is a view").isEqualTo("2");
                    assertThat(text(watcher, ".likes")).isEqualTo("0");
                    assertThat(liker.findElement(By.cssSelector("#post-" + POST + " .like")).isEnabled()).isTrue();
                });

                liker.findElement(By.cssSelector("#post-" + POST + " .like")).click();
                Awaitility.await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                    assertThat(text(watcher, ".likes")).isEqualTo("1");
                    assertThat(text(watcher, ".live")).isEqualTo("2");
                });
                assertThat(text(liker, ".like")).contains("Liked");
                assertThat(http.get("/v1/" + POST).json().get("likes").asLong()).isEqualTo(1);
                screenshot(watcher, "demo-page-two-viewers.png");
            } finally {
                liker.quit();
            }
            try {
                Awaitility.await().atMost(SESSION_TIMEOUT).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                        assertThat(text(watcher, ".live")).isEqualTo("1"));
                screenshot(watcher, "demo-page-one-viewer.png");
            } finally {
                watcher.quit();
            }
        }
    }

    private static void screenshot(WebDriver browser, String name) throws IOException {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
}
