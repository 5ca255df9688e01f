package roombus.bench;

import static roombus.bench.BenchFigures.counts;
import static roombus.bench.BenchFigures.loadAverage;
import static roombus.bench.BenchFigures.ms;
import static roombus.bench.BenchFigures.round;
import static roombus.bench.BenchFigures.round4;
import static roombus.bench.BenchFigures.seconds;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import roombus.busclient.HubHttpException;

/**
 * One run of the load tool: sets up users, rooms and sockets, offers load step by step (or holds
 * the sockets idle), and prints one JSON line per step. Against roombus a user first gets a session
 * and creates or enters its room over HTTP; against the Socket.IO peer the rooms are just names
 * ({@code r<index>}) and each socket joins its room itself. Everything else is the same for both.
 * The main thread only sleeps and samples; all network work runs on the generator's own event
 * loops.
 */
final class BenchRun {

  final Vertx vertx;
  final long runId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
  final BenchOptions options;
  private final PrintStream out;
  private final PrintStream log;
  private final ServerProbe probe;
  private final List<BenchNode> nodes = new ArrayList<>();
  private final List<BenchRoom> rooms = new ArrayList<>();
  private final List<BenchUser> users = new ArrayList<>();
  private final List<BenchLink> sockets = new ArrayList<>();
  private final List<BenchWorker> workers = new ArrayList<>();
  private final Map<String, LongAdder> setupErrors = new ConcurrentHashMap<>();

  /** What the first set-up failures without an HTTP status said: the kind alone hides the cause. */
  private final Map<String, String> setupFailures = new ConcurrentHashMap<>();

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
      setUp();
      if (options.idle()) {
        idle(rssBefore);
      } else {
        for (int i = 0; i < options.rates().size(); i++) {
          JsonObject line = load(i, options.rates().get(i));
          if (i + 1 < options.rates().size()
              && options.stopsRamp(
                  line.getDouble("delivery_ratio"),
                  line.getJsonObject("latency_ms").getDouble("p99"))) {
            progress("ramp ends after step %d: below --ramp-stop %s", i + 1, options.rampStop());
            break;
          }
        }
      }
    } finally {
      tearDown();
    }
  }

  // ---- set-up ---------------------------------------------------------------------------------

  private void setUp() throws InterruptedException {
    int sockets = options.rooms() * options.roomSize();
    boolean polling = options.transport().equals(BenchOptions.XHR_POLLING);
    for (String url : options.urls())
      nodes.add(new BenchNode(vertx, url, options.concurrency(), sockets, polling));
    for (int i = 0; i < options.eventLoops(); i++)
      workers.add(new BenchWorker(this, vertxContext()));
    int perRoom = options.usersPerRoom();
    int socketIndex = 0;
    for (int r = 0; r < options.rooms(); r++) {
      BenchRoom room = new BenchRoom(r);
      if (options.socketIo()) room.id = "r" + r;
      rooms.add(room);
      for (int u = 0; u < perRoom; u++) {
        int index = r * perRoom + u;
        BenchUser user = new BenchUser(index, nodes.get(index % nodes.size()), room, u == 0);
        users.add(user);
        for (int t = 0; t < options.tabs(); t++) {
          BenchWorker worker = workers.get(socketIndex++ % workers.size());
          BenchLink socket =
              options.socketIo()
                  ? new SocketIoLink(this, user, worker.context)
                  : new RoombusLink(this, user, worker.context);
          user.sockets.add(socket);
          this.sockets.add(socket);
          worker.all.add(socket);
          if (t == 0) worker.senders.add(socket);
        }
      }
    }
    progress(
        "setting up %d users in %d rooms (%d sockets, %d per room) on %d %s server(s)",
        users.size(),
        rooms.size(),
        this.sockets.size(),
        options.roomSize(),
        nodes.size(),
        options.target());
    long start = System.nanoTime();
    Function<BenchUser, Future<?>> arrive =
        user ->
            (options.socketIo() ? Future.succeededFuture() : user.arrive(Math.max(2, perRoom)))
                .compose(v -> Future.join(user.sockets.stream().map(BenchLink::connect).toList()))
                .onFailure(err -> setupError(err));
    // sockets ping from the moment they are live: the hub closes one that stays silent
    // (PING_TIMEOUT_MS)
    for (BenchWorker w : workers) w.startPings();
    SetupLanes lanes =
        new SetupLanes(
            vertx,
            workers.stream().map(w -> w.context).toList(),
            options.concurrency(),
            step -> setupError("setup_timeout_" + step));
    Future<Void> creators =
        lanes.run(users.stream().filter(u -> u.creator).toList(), arrive, BenchUser::stage);
    await(creators, "creating rooms");
    Future<Void> others =
        lanes.run(
            users.stream().filter(u -> !u.creator && u.room.id != null).toList(),
            arrive,
            BenchUser::stage);
    await(others, "entering rooms");
    progress(
        "set up: %d of %d sockets live in %.1f s; errors %s",
        liveSockets(), this.sockets.size(), (System.nanoTime() - start) / 1e9, counts(setupErrors));
    setupFailures.forEach((kind, first) -> progress("first %s: %s", kind, first));
    if (liveSockets() == 0)
      throw new IllegalStateException("no socket could join its room: " + counts(setupErrors));
  }

  /**
   * A context on the next of the generator's event loops. (Vert.x 5 gives every context asked for
   * from the same plain thread the same event loop, so {@code getOrCreateContext()} would put every
   * worker on one loop; a deployment takes the next loop.)
   */
  private Context vertxContext() throws InterruptedException {
    CompletableFuture<Context> started = new CompletableFuture<>();
    vertx.deployVerticle(
        new VerticleBase() {
          @Override
          public Future<?> start() {
            started.complete(context);
            return Future.succeededFuture();
          }
        });
    try {
      return started.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the load generator could not start its event loops", e);
    }
  }

  private void await(Future<?> future, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    long lastReport = System.nanoTime();
    while (!future.isComplete()) {
      Thread.sleep(50);
      if (System.nanoTime() - lastReport > 5_000_000_000L) {
        lastReport = System.nanoTime();
        progress("%s: %d sockets live", what, liveSockets());
      }
      if (System.nanoTime() > deadline) throw new IllegalStateException("gave up " + what);
    }
  }

  private void setupError(Throwable err) {
    String kind =
        err instanceof HubHttpException http
            ? "http_" + http.status()
            : err.getMessage() != null && err.getMessage().matches("[a-z_0-9]+")
                ? err.getMessage()
                : "connect_failed";
    if (!(err instanceof HubHttpException)) setupFailures.putIfAbsent(kind, String.valueOf(err));
    setupError(kind);
  }

  private void setupError(String kind) {
    setupErrors.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  int liveSockets() {
    int live = 0;
    for (BenchRoom room : rooms) live += room.live.get();
    return live;
  }

  // ---- load -----------------------------------------------------------------------------------

  private JsonObject load(int index, double rate) throws InterruptedException {
    long now = System.nanoTime();
    long windowStart = now + seconds(options.warmup());
    long windowEnd = windowStart + seconds(options.duration());
    BenchStep current = new BenchStep(windowStart, windowEnd, options.timeline());
    step = current;
    int senders = workers.stream().mapToInt(w -> w.liveSenders()).sum();
    for (BenchWorker w : workers) w.start(rate, senders);
    double loadAvg = loadAverage();
    long peakRss = probe.rssKb();
    sleepUntil(windowStart, current);
    peakRss = Math.max(peakRss, current.peakRss);
    double cpu0 = probe.cpuSeconds();
    double self0 = ServerProbe.selfCpuSeconds();
    sleepUntil(windowEnd, current);
    double cpu1 = probe.cpuSeconds();
    double self1 = ServerProbe.selfCpuSeconds();
    long deliveredInWindow = current.deliveredInWindow.sum();
    for (BenchWorker w : workers) w.stop();
    // late messages: wait until all expected have arrived, nothing arrives for a second, or --drain
    // runs out
    long drainEnd = System.nanoTime() + seconds(options.drain());
    long last = -1;
    long lastChange = System.nanoTime();
    while (System.nanoTime() < drainEnd && current.received.sum() < current.expected.sum()) {
      sleepUntil(Math.min(drainEnd, System.nanoTime() + 100_000_000L), current);
      long r = current.received.sum();
      if (r != last) {
        last = r;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange > 1_000_000_000L) {
        break;
      }
    }
    peakRss = Math.max(peakRss, current.peakRss);
    double duration = (windowEnd - windowStart) / 1e9;
    long sent = current.sent.sum();
    long expected = current.expected.sum();
    long received = current.received.sum();
    double serverCpu = cpu1 - cpu0;
    JsonObject line =
        new JsonObject()
            .put("scenario", options.rates().size() > 1 ? "ramp" : "load")
            .put("step", index + 1)
            .put("nodes", nodes.size())
            .put("clients", liveSockets())
            .put("rooms", rooms.size())
            .put("room_size", options.roomSize())
            .put("tabs", options.tabs())
            .put("target", options.target())
            .put("transport", options.transport())
            .put("message_chars", options.messageSize())
            .put("rate_msgs_per_s", rate)
            .put("duration_s", duration)
            .put("offered_deliveries_per_s", round(rate * options.roomSize()))
            .put("sent_msgs_per_s", round(sent / duration))
            .put("achieved_deliveries_per_s", round(deliveredInWindow / duration))
            .put("sent", sent)
            .put("expected", expected)
            .put("received", received)
            .put("delivery_ratio", expected == 0 ? 0.0 : round4((double) received / expected))
            .put(
                "latency_ms",
                new JsonObject()
                    .put("p50", ms(current.latency.percentileMicros(0.50)))
                    .put("p90", ms(current.latency.percentileMicros(0.90)))
                    .put("p99", ms(current.latency.percentileMicros(0.99)))
                    .put("max", ms(current.latency.maxMicros())))
            .put("connect_ms", BenchFigures.connectTimes(sockets))
            .put(
                "server",
                BenchFigures.server(probe, serverCpu, duration, deliveredInWindow, peakRss))
            .put("loadgen_cpu_s", round(self1 - self0))
            .put("loadavg_1m", loadAvg)
            .put("errors", counts(current.errors));
    if (index == 0) line.put("setup_errors", counts(setupErrors));
    if (current.perSecond != null) line.put("timeline", current.timeline());
    out.println(line.encode());
    out.flush();
    step = null;
    return line;
  }

  /** The generator's view of a message it sent or received, called on any of its event loops. */
  void sent(BenchLink socket, long at) {
    BenchStep s = step;
    if (s != null && at >= s.windowStart && at < s.windowEnd) {
      s.sent.increment();
      s.expected.add(socket.user().room.live.get());
    }
  }

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

  void error(String kind, long n) {
    BenchStep s = step;
    Map<String, LongAdder> into = s != null ? s.errors : setupErrors;
    into.computeIfAbsent(kind, k -> new LongAdder()).add(n);
  }

  // ---- idle -----------------------------------------------------------------------------------

  private void idle(long rssBeforeKb) throws InterruptedException {
    BenchStep current = new BenchStep(0, 0, false);
    step = current;
    sleepUntil(System.nanoTime() + seconds(options.settle()), current);
    double loadAvg = loadAverage();
    long rssStart = probe.rssKb();
    double cpu0 = probe.cpuSeconds();
    double self0 = ServerProbe.selfCpuSeconds();
    long start = System.nanoTime();
    current.peakRss = 0;
    sleepUntil(start + seconds(options.duration()), current);
    double cpu1 = probe.cpuSeconds();
    double self1 = ServerProbe.selfCpuSeconds();
    long rssEnd = probe.rssKb();
    double window = (System.nanoTime() - start) / 1e9;
    int live = liveSockets();
    JsonObject server =
        BenchFigures.idleServer(
            probe,
            rssBeforeKb,
            rssEnd,
            Math.max(current.peakRss, rssStart),
            live,
            cpu1 - cpu0,
            window);
    JsonObject line =
        new JsonObject()
            .put("scenario", "idle")
            .put("target", options.target())
            .put("nodes", nodes.size())
            .put("clients", live)
            .put("rooms", rooms.size())
            .put("room_size", options.roomSize())
            .put("tabs", options.tabs())
            .put("window_s", round(window))
            // Socket.IO clients do not ping: the server pings them (its own interval) and they
            // answer
            .put("ping_every_s", options.socketIo() ? null : options.pingSeconds())
            .put("connect_ms", BenchFigures.connectTimes(sockets))
            .put("server", server)
            .put("loadgen_cpu_s", round(self1 - self0))
            .put("loadavg_1m", loadAvg)
            .put("errors", counts(current.errors))
            .put("setup_errors", counts(setupErrors));
    out.println(line.encode());
    out.flush();
    step = null;
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** Sleeps until {@code deadline}, sampling the server's RSS every 200 ms into the step. */
  private void sleepUntil(long deadline, BenchStep current) throws InterruptedException {
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) return;
      Thread.sleep(Math.max(1, Math.min(200, TimeUnit.NANOSECONDS.toMillis(left))));
      if (probe.enabled()) current.peakRss = Math.max(current.peakRss, probe.rssKb());
    }
  }

  private void tearDown() {
    step = null;
    for (BenchWorker w : workers) w.stop();
    try {
      Future<?> closed = Future.join(sockets.stream().map(BenchLink::close).toList());
      closed.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      progress("not every socket closed cleanly: %s", e);
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      progress("the generator's Vert.x did not close cleanly: %s", e);
    }
  }

  void progress(String format, Object... args) {
    if (!options.quiet()) log.println("bench: " + String.format(format, args));
  }
}
