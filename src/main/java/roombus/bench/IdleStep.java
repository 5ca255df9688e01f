package roombus.bench;

import static roombus.bench.BenchFigures.counts;
import static roombus.bench.BenchFigures.loadAverage;
import static roombus.bench.BenchFigures.round;
import static roombus.bench.BenchFigures.seconds;

import io.vertx.core.json.JsonObject;

/**
 * The idle scenario: the sockets stay connected and only ping; after {@code --settle}, the server's
 * RSS per socket and its CPU over the window make one JSON line.
 */
final class IdleStep {

  private final BenchRun run;
  private final BenchCrowd crowd;
  private final long rssBeforeKb;

  /** {@code rssBeforeKb}: the server's RSS before the crowd arrived. */
  IdleStep(BenchRun run, BenchCrowd crowd, long rssBeforeKb) {
    this.run = run;
    this.crowd = crowd;
    this.rssBeforeKb = rssBeforeKb;
  }

  void measure() throws InterruptedException {
    BenchOptions options = run.options;
    ServerProbe probe = run.probe;
    BenchStep step = new BenchStep(0, 0, false);
    run.begin(step);
    run.sleepUntil(System.nanoTime() + seconds(options.settle()), step);
    double loadAvg = loadAverage();
    long rssStart = probe.rssKb();
    ServerProbe.CpuWindow cpu = probe.cpuWindow();
    long start = System.nanoTime();
    step.peakRss = 0;
    run.sleepUntil(start + seconds(options.duration()), step);
    cpu.close();
    long rssEnd = probe.rssKb();
    double window = (System.nanoTime() - start) / 1e9;
    int live = crowd.liveSockets();
    JsonObject server =
        BenchFigures.idleServer(
            probe,
            rssBeforeKb,
            rssEnd,
            Math.max(step.peakRss, rssStart),
            live,
            cpu.server(),
            window);
    run.end(
        new JsonObject()
            .put("scenario", "idle")
            .put("target", options.target())
            .put("nodes", crowd.nodes.size())
            .put("clients", live)
            .put("rooms", crowd.rooms.size())
            .put("room_size", options.roomSize())
            .put("tabs", options.tabs())
            .put("window_s", round(window))
            // Socket.IO clients do not ping: the server pings them (its own interval) and they
            // answer
            .put("ping_every_s", options.socketIo() ? null : options.pingSeconds())
            .put("connect_ms", BenchFigures.connectTimes(crowd.sockets))
            .put("server", server)
            .put("loadgen_cpu_s", round(cpu.self()))
            .put("loadavg_1m", loadAvg)
            .put("errors", counts(step.errors))
            .put("setup_errors", counts(crowd.setupErrors)));
  }
}
