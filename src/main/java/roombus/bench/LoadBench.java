package roombus.bench;

import java.io.PrintStream;

/**
 * {@code java -jar roombus.jar bench [options]}: the load generator of issue 5. It plays many users
 * who enter rooms over HTTP and chat over the raw event-bus websocket, and prints one JSON line of
 * figures per step. See {@code bench/README.md} for the scenarios.
 */
public final class LoadBench {

  private LoadBench() {}

  /** Runs the tool; answers the exit status (0 done, 2 bad options, 1 failed). */
  public static int run(String[] args, PrintStream out, PrintStream log) {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      if (!"help".equals(e.getMessage())) log.println("bench: " + e.getMessage());
      log.println(BenchOptions.USAGE);
      return 2;
    }
    try {
      new BenchRun(options, out, log).run();
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } catch (RuntimeException e) {
      log.println("bench: failed: " + e.getMessage());
      return 1;
    }
  }
}
