package roombus.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * One run of the load tool: sets up its crowd of users, rooms and sockets ({@link BenchCrowd}),
 * offers load step by step ({@link LoadStep}) or holds the sockets idle ({@link IdleStep}), and
 * prints one JSON line per step. The main thread only sleeps and samples; all network work runs on
 * the generator's own event loops, which report what they send and receive here.
 */
final class BenchRun {

  final Vertx vertx;
  final long runId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
  final BenchOptions options;
  final ServerProbe probe;
  private final PrintStream out;
  private final PrintStream log;
  private BenchCrowd crowd;

  /**
   * The step being measured, or null: between steps, what the event loops report is not counted.
   */
  private volatile BenchStep step;

  BenchRun(BenchOptions options, PrintStream out, PrintStream log) {
    this.options = options;
    this.out = out;
    this.log = log;
    this.probe = new ServerProbe(options.serverPids());
    this.vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(options.eventLoops())
                .setBlockedThreadCheckInterval(10_000));
  }

  void run() throws InterruptedException {
    try {
      long rssBefore = probe.rssKb();
      crowd = new BenchCrowd(this);
      crowd.arrive();
      if (options.idle()) {
        new IdleStep(this, crowd, rssBefore).measure();
        return;
      }
      for (int i = 0; i < options.rates().size(); i++) {
        JsonObject line = new LoadStep(this, crowd, i, options.rates().get(i)).measure();
        if (i + 1 < options.rates().size()
            && options.stopsRamp(
                line.getDouble("delivery_ratio"),
                line.getJsonObject("latency_ms").getDouble("p99"))) {
          progress("ramp ends after step %d: below --ramp-stop %s", i + 1, options.rampStop());
          break;
        }
      }
    } finally {
      tearDown();
    }
  }

  // ---- what the event loops report ------------------------------------------------------------

  /** A message sent by {@code socket} at {@code at}; called on any of the generator's loops. */
  void sent(BenchLink socket, long at) {
    BenchStep s = step;
    if (s != null && at >= s.windowStart && at < s.windowEnd) {
      s.sent.increment();
      s.expected.add(socket.user().room.live.get());
    }
  }

  /** A message sent at {@code sentAt} received at {@code now}; called on any of the loops. */
  void delivered(long sentAt, long now) {
    BenchStep s = step;
    if (s == null) return;
    if (sentAt >= s.windowStart && sentAt < s.windowEnd) {
      s.received.increment();
      s.delivered(sentAt, (now - sentAt) / 1000);
    }
    if (now >= s.windowStart && now < s.windowEnd) s.deliveredInWindow.increment();
  }

  void error(String kind) {
    error(kind, 1);
  }

  /** Counted in the step being measured, or as a set-up error before the first step. */
  void error(String kind, long n) {
    BenchStep s = step;
    Map<String, LongAdder> into = s != null ? s.errors : crowd.setupErrors;
    into.computeIfAbsent(kind, k -> new LongAdder()).add(n);
  }

  // ---- for the steps --------------------------------------------------------------------------

  void begin(BenchStep current) {
    step = current;
  }

  /** Prints the step's line and stops counting. */
  void end(JsonObject line) {
    out.println(line.encode());
    out.flush();
    step = null;
  }

  /** Sleeps until {@code deadline}, sampling the server's RSS every 200 ms into the step. */
  void sleepUntil(long deadline, BenchStep current) throws InterruptedException {
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) return;
      Thread.sleep(Math.max(1, Math.min(200, TimeUnit.NANOSECONDS.toMillis(left))));
      if (probe.enabled()) current.peakRss = Math.max(current.peakRss, probe.rssKb());
    }
  }

  void progress(String format, Object... args) {
    if (!options.quiet()) log.println("bench: " + String.format(format, args));
  }

  private void tearDown() {
    step = null;
    if (crowd != null) crowd.leave();
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      progress("the generator's Vert.x did not close cleanly: %s", e);
    }
  }
}
