package roombus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the hubs of a test class log (SLF4J's simple logger writes to {@code System.err}, looked up
 * at each line), kept while the class runs and still passed on. The hub logs every answer of 500 or
 * more ({@code "Answered 500 to GET /…"}, with its cause): after the class, none may be there.
 *
 * <pre>{@code @RegisterExtension static final ServerLog log = new ServerLog();}</pre>
 */
public final class ServerLog implements BeforeAllCallback, AfterAllCallback {

  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private PrintStream original;

  @Override
  public void beforeAll(ExtensionContext context) {
    original = System.err;
    OutputStream both =
        new OutputStream() {
          @Override
          public void write(int b) {
            original.write(b);
            synchronized (kept) {
              kept.write(b);
            }
          }

          @Override
          public void write(byte[] bytes, int offset, int length) {
            original.write(bytes, offset, length);
            synchronized (kept) {
              kept.write(bytes, offset, length);
            }
          }
        };
    System.setErr(new PrintStream(both, true, StandardCharsets.UTF_8));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    System.setErr(original);
    assertThat(serverErrors()).as("answers of 500 or more that the hub logged").isEmpty();
  }

  /** The lines logged so far. */
  public List<String> lines() {
    synchronized (kept) {
      return Arrays.asList(kept.toString(StandardCharsets.UTF_8).split("\n"));
    }
  }

  /** The lines where the hub says it answered 500 or more. */
  public List<String> serverErrors() {
    return lines().stream().filter(line -> line.contains("Answered 5")).toList();
  }
}
