package roombus.browser;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Debian Chromium, driven by Selenium with the system chromedriver (nothing is
 * downloaded). Each instance has its own profile, so its own cookies: one user. Tests that use one
 * are marked {@link BrowserTest}, which skips them when Chromium is not installed.
 */
public final class Browser implements AutoCloseable {

  /**
   * Where Chromium is: {@code /usr/bin/chromium}, or the system property {@code roombus.chromium}.
   */
  static final String CHROMIUM = System.getProperty("roombus.chromium", "/usr/bin/chromium");

  /** Where chromedriver is: {@code /usr/bin/chromedriver}, or {@code roombus.chromedriver}. */
  static final String CHROMEDRIVER =
      System.getProperty("roombus.chromedriver", "/usr/bin/chromedriver");

  public final WebDriver driver;
  private final Path profile;
  private boolean closed;

  public Browser() throws IOException {
    String missing = missing();
    if (missing != null) throw new IllegalStateException(missing);
    profile = Files.createTempDirectory("roombus-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1200,900",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER))
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
  }

  /**
   * Why no browser can be started here, or null when Chromium and its driver are both installed.
   */
  static String missing() {
    for (String program : new String[] {CHROMIUM, CHROMEDRIVER}) {
      if (!new File(program).canExecute()) {
        return (program.equals(CHROMIUM) ? "Chromium" : "chromedriver")
            + " not found at "
            + program
            + ": apt-get install -y chromium chromium-driver (.ci/run does), "
            + "or point -Droombus.chromium / -Droombus.chromedriver at them";
      }
    }
    return null;
  }

  public void open(String url) {
    driver.get(url);
  }

  public <T> T waitFor(ExpectedCondition<T> condition) {
    return new WebDriverWait(driver, Duration.ofSeconds(20)).until(condition);
  }

  public WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  public List<WebElement> findAll(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  public String text(String css) {
    List<WebElement> found = findAll(css);
    return found.isEmpty() ? "" : found.get(0).getText();
  }

  /** Waits until the page shows its event-bus connection open. */
  public String waitConnected() {
    waitFor(d -> "open".equals(find("#transport").getDomAttribute("data-state")));
    return text("#transport");
  }

  /**
   * Makes the page a phone's: a viewport of {@code width}×{@code height} CSS pixels, touch-sized,
   * with the page's viewport meta tag honoured (Chrome's device emulation); the page is loaded
   * again.
   */
  public void phone(int width, int height) {
    ((ChromeDriver) driver)
        .executeCdpCommand(
            "Emulation.setDeviceMetricsOverride",
            Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", true));
  }

  /**
   * A screenshot of the whole page, beyond the viewport in both directions: as wide as the page's
   * content is, so a page that scrolls sideways gives a wider image than its viewport.
   */
  @SuppressWarnings("unchecked")
  public BufferedImage fullPageScreenshot(Path saveAs) throws IOException {
    Map<String, Object> metrics =
        ((ChromeDriver) driver).executeCdpCommand("Page.getLayoutMetrics", Map.of());
    Map<String, Object> content = (Map<String, Object>) metrics.get("cssContentSize");
    double width = ((Number) content.get("width")).doubleValue();
    double height = ((Number) content.get("height")).doubleValue();
    Map<String, Object> shot =
        ((ChromeDriver) driver)
            .executeCdpCommand(
                "Page.captureScreenshot",
                Map.of(
                    "format",
                    "png",
                    "captureBeyondViewport",
                    true,
                    "clip",
                    Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
    byte[] png = Base64.getDecoder().decode((String) shot.get("data"));
    Files.createDirectories(saveAs.getParent());
    Files.write(saveAs, png);
    return ImageIO.read(new ByteArrayInputStream(png));
  }

  /**
   * The visible texts of the elements matching {@code css}, read in one go in the page (so that a
   * list changing meanwhile cannot leave the test holding a stale element).
   */
  @SuppressWarnings("unchecked")
  public List<String> texts(String css) {
    return (List<String>)
        script(
            "return [...document.querySelectorAll(arguments[0])]"
                + ".filter(e => e.offsetParent !== null).map(e => e.innerText.trim())",
            css);
  }

  /** The name the page shows for its own user (the "You are" badge). */
  public String myName() {
    return text("#me-badge .name");
  }

  /** The colour of the page's own user, as the hub gave it ({@code #rrggbb}). */
  public String myColor() {
    return find("#me-badge").getDomAttribute("data-color");
  }

  /** The texts of the room's visible notices (joins, exits, owner changes, removals), in order. */
  public List<String> notices() {
    return texts("#chat-list li.system");
  }

  public Object script(String js, Object... args) {
    return ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(js, args);
  }

  /** Quits the browser and deletes its profile; again, does nothing. */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    try {
      driver.quit();
    } finally {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a temp folder left behind is harmless
      }
    }
  }
}
