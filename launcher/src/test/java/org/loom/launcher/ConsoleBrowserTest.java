package org.loom.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.loom.launcher.OperatorClient.bearer;
import static org.loom.launcher.OperatorClient.expect;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loom.launcher.OperatorClient.Person;
import org.loom.protocol.id.IdPrefix;
import org.loom.protocol.id.LoomIds;
import org.loom.protocol.json.LoomJson;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.node.ObjectNode;

/**
 * The console at {@code /} in a real headless Chromium (Debian's {@code chromium} and {@code chromedriver}, which CI
 * installs), against the whole embedded node: it loads, and what is posted through the API, and a delivery that
 * becomes a dead letter, appear without a reload.
 */
class ConsoleBrowserTest {

    private static final String ADMIN_TOKEN = "console-operator-1";
    private static final Map<String, String> ADMIN = OperatorClient.headers("x-loom-admin-token", ADMIN_TOKEN);
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path dataDir;

    private LoomNode node;
    private WebDriver browser;

    @BeforeEach
    void start() {
        assertThat(CHROMIUM).as("Debian's chromium (apt-get install chromium chromium-driver)").isExecutable();
        assertThat(CHROMEDRIVER).as("Debian's chromedriver (apt-get install chromium-driver)").isExecutable();
        node = LoomNode.start(EmbeddedNodeSettings.fromEnvironment(Map.of(
                "LOOM_DATA_DIR", dataDir.toString(), "PORT", "0", "LOOM_ADMIN_TOKEN", ADMIN_TOKEN,
                // Webhook deliveries are attempted only when the test asks, so it decides when a dead letter appears.
                "LOOM_WEBHOOK_OUTBOX_AUTO_PROCESS_INTERVAL_MS", "0",
                "LOOM_OUTBOUND_ALLOW_PRIVATE_CIDRS", "127.0.0.0/8")));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1100");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stop() {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            if (node != null) {
                node.close();
            }
        }
    }

    @Test
    void consoleShowsStatusAThreadThatGrowsAndADeadLetterWithoutAReload() throws Exception {
        OperatorClient client = new OperatorClient(node.gatewayUrl());
        Person alice = Person.named("alice-console");
        Person bob = Person.named("bob-console");
        String aliceToken = client.enrol(alice);
        String bobToken = client.enrol(bob);
        // A receiver nobody listens on, with one attempt allowed: its first failed delivery is a dead letter.
        ObjectNode webhook = LoomJson.mapper().createObjectNode()
                .put("url", "http://127.0.0.1:" + FreePorts.pick() + "/unreachable").put("max_attempts", 1);
        webhook.putArray("events").add("envelope.accepted");
        String webhookId = expect(client.send("POST", "/v1/webhooks", webhook.toString(), ADMIN), 201).get("id")
                .stringValue();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));

        browser.get(node.gatewayUrl() + "/");
        assertThat(browser.getTitle()).isEqualTo("LOOM node console");
        wait.until(ExpectedConditions.textToBe(By.id("node-state"), "ready"));
        assertThat(browser.findElements(By.cssSelector("#checks li[data-ok='true']"))).hasSizeGreaterThanOrEqualTo(3);
        // The operator and identity panels stay hidden until a token is given.
        assertThat(browser.findElement(By.id("operator")).isDisplayed()).isFalse();

        browser.findElement(By.id("admin-token")).sendKeys(ADMIN_TOKEN);
        browser.findElement(By.id("bearer-token")).sendKeys(aliceToken);
        browser.findElement(By.id("connect")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("operator")));
        wait.until(driver -> !driver.findElement(By.id("requests-total")).getText().equals("–"));
        wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#services tr[data-service='envelope-service']")));
        // The page marks itself; a reload would lose the mark.
        ((JavascriptExecutor) browser).executeScript("window.loomNotReloaded = true;");

        String threadId = LoomIds.next(IdPrefix.THREAD);
        ObjectNode first = OperatorClient.message(alice, threadId, null, List.of(bob.identity()), "Console, can you see me?");
        expect(client.send("POST", "/v1/envelopes", first.toString(), bearer(aliceToken)), 201);
        By threadItem = By.cssSelector("#threads li[data-thread-id='" + threadId + "']");
        wait.until(ExpectedConditions.presenceOfElementLocated(threadItem)).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("envelopes"), "Console, can you see me?"));
        assertThat(browser.findElement(By.id("thread-state")).getText()).isEqualTo("active");

        ObjectNode reply = OperatorClient.message(bob, threadId, first.get("id").stringValue(), List.of(alice.identity()),
                "Loud and clear.");
        expect(client.send("POST", "/v1/envelopes", reply.toString(), bearer(bobToken)), 201);
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#envelopes li"), 2));
        List<String> order = browser.findElements(By.cssSelector("#envelopes li")).stream()
                .map(item -> item.getAttribute("data-envelope-id")).toList();
        assertThat(order).containsExactly(first.get("id").stringValue(), reply.get("id").stringValue());
        assertThat(((JavascriptExecutor) browser).executeScript("return window.loomNotReloaded === true;"))
                .isEqualTo(true);

        // No dead letter yet; then the webhook delivery of Alice's envelope fails for good while the page is open.
        wait.until(ExpectedConditions.textToBe(By.id("dlq-count"), "0"));
        assertThat(browser.findElement(By.cssSelector("#dlq-by-kind [data-kind='webhook']")).getAttribute(
                "data-count")).isEqualTo("0");
        String itemId = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                expect(client.send("GET", "/v1/webhooks/outbox?webhook_id=" + webhookId + "&status=queued", null,
                        ADMIN), 200).get("outbox").valueStream().map(item -> item.get("id").stringValue())
                        .findFirst(), Optional::isPresent).orElseThrow();
        assertThat(expect(client.send("POST", "/v1/webhooks/outbox/" + itemId + "/process", null, ADMIN), 200)
                .get("status").stringValue()).isEqualTo("failed");
        wait.until(ExpectedConditions.textToBe(By.id("dlq-count"), "1"));
        wait.until(ExpectedConditions.attributeToBe(By.cssSelector("#dlq-by-kind [data-kind='webhook']"),
                "data-count", "1"));
        assertThat(browser.findElement(By.cssSelector("#dlq-by-kind [data-kind='email']")).getAttribute(
                "data-count")).isEqualTo("0");
        // The delivery outbox table counts the same item as failed (columns: kind, queued, retrying, delivered, failed).
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#outboxes tr[data-kind='webhook'] td:nth-child(5)"),
                "1"));
        assertThat(browser.findElements(By.cssSelector("#outboxes tr[data-kind]"))).extracting(
                row -> row.getAttribute("data-kind")).contains("email", "federation", "webhook");
        assertThat(((JavascriptExecutor) browser).executeScript("return window.loomNotReloaded === true;"))
                .isEqualTo(true);

        File shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", "console-screenshot.png");
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(target)).isPositive();
    }
}
