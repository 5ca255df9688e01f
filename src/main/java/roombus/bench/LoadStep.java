package roombus.bench;

import static roombus.bench.BenchFigures.counts;
import static roombus.bench.BenchFigures.loadAverage;
import static roombus.bench.BenchFigures.ms;
import static roombus.bench.BenchFigures.round;
import static roombus.bench.BenchFigures.round4;
import static roombus.bench.BenchFigures.seconds;

import io.vertx.core.json.JsonObject;

/**
 * One step of offered load: every sender posts its share of the rate for the warm-up and the
 * window, the messages sent in the window are waited for (until all have arrived, nothing arrives
 * for a second, or {@code --drain} runs out), and the step's figures make one JSON line.
 */
final class LoadStep {

  private final BenchRun run;
  private final BenchCrowd crowd;
  private final BenchOptions options;
  private final int index;
  private final double rate;

  LoadStep(BenchRun run, BenchCrowd crowd, int index, double rate) {
    this.run = run;
    this.crowd = crowd;
    this.options = run.options;
    this.index = index;
    this.rate = rate;
  }

  JsonObject measure() throws InterruptedException {
    long windowStart = System.nanoTime() + seconds(options.warmup());
    long windowEnd = windowStart + seconds(options.duration());
    BenchStep step = new BenchStep(windowStart, windowEnd, options.timeline());
    run.begin(step);
    int senders = crowd.liveSenders();
    for (BenchWorker w : crowd.workers) w.start(rate, senders);
    double loadAvg = loadAverage();
    long peakRss = run.probe.rssKb();
    run.sleepUntil(windowStart, step);
    peakRss = Math.max(peakRss, step.peakRss);
    ServerProbe.CpuWindow cpu = run.probe.cpuWindow();
    run.sleepUntil(windowEnd, step);
    cpu.close();
    long deliveredInWindow = step.deliveredInWindow.sum();
    for (BenchWorker w : crowd.workers) w.stop();
    drain(step);
    peakRss = Math.max(peakRss, step.peakRss);
    double duration = (windowEnd - windowStart) / 1e9;
    long sent = step.sent.sum();
    long expected = step.expected.sum();
    long received = step.received.sum();
    JsonObject line =
        new JsonObject()
            .put("scenario", options.rates().size() > 1 ? "ramp" : "load")
            .put("step", index + 1)
            .put("nodes", crowd.nodes.size())
            .put("clients", crowd.liveSockets())
            .put("rooms", crowd.rooms.size())
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
                    .put("p50", ms(step.latency.percentileMicros(0.50)))
                    .put("p90", ms(step.latency.percentileMicros(0.90)))
                    .put("p99", ms(step.latency.percentileMicros(0.99)))
                    .put("max", ms(step.latency.maxMicros())))
            .put("connect_ms", BenchFigures.connectTimes(crowd.sockets))
            .put(
                "server",
                BenchFigures.server(run.probe, cpu.server(), duration, deliveredInWindow, peakRss))
            .put("loadgen_cpu_s", round(cpu.self()))
            .put("loadavg_1m", loadAvg)
            .put("errors", counts(step.errors));
    if (index == 0) line.put("setup_errors", counts(crowd.setupErrors));
    if (step.perSecond != null) line.put("timeline", step.timeline());
    run.end(line);
    return line;
  }

  /**
   * Late messages: waits until all expected have arrived, nothing arrives for a second, or --drain.
   */
  private void drain(BenchStep step) throws InterruptedException {
    long drainEnd = System.nanoTime() + seconds(options.drain());
    long last = -1;
    long lastChange = System.nanoTime();
    while (System.nanoTime() < drainEnd && step.received.sum() < step.expected.sum()) {
      run.sleepUntil(Math.min(drainEnd, System.nanoTime() + 100_000_000L), step);
      long r = step.received.sum();
      if (r != last) {
        last = r;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange > 1_000_000_000L) {
        break;
      }
    }
  }
}
