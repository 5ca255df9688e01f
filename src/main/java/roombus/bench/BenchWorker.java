package roombus.bench;

import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * The sockets of one event loop, and the timer that posts their share of the rate: every
 * millisecond it sends as many messages as are due since the step started, round-robin over its
 * senders. A generator that fell behind by more than 20 ms of messages drops the backlog (counted
 * as {@code generator_behind}) rather than bursting it.
 */
final class BenchWorker {
  final Context context;
  private final BenchRun run;
  final List<BenchLink> all = new ArrayList<>();
  final List<BenchLink> senders = new ArrayList<>();
  private double rate;
  private long rateStart;
  private long due;
  private int next;
  private long timer = -1;
  private long pingTick;

  BenchWorker(BenchRun run, Context context) {
    this.run = run;
    this.context = context;
  }

  int liveSenders() {
    return (int) senders.stream().filter(BenchLink::live).count();
  }

  void start(double totalRate, int totalSenders) {
    int mine = liveSenders();
    context.runOnContext(
        v -> {
          rate = totalSenders == 0 ? 0 : totalRate * mine / totalSenders;
          rateStart = System.nanoTime();
          due = 0;
          if (timer < 0 && rate > 0) timer = run.vertx.setPeriodic(1, id -> tick());
        });
  }

  void stop() {
    context.runOnContext(
        v -> {
          rate = 0;
          if (timer >= 0) run.vertx.cancelTimer(timer);
          timer = -1;
        });
  }

  void startPings() {
    int every = (int) Math.round(run.options.pingSeconds());
    context.runOnContext(
        v ->
            run.vertx.setPeriodic(
                1000,
                id -> {
                  long tick = pingTick++;
                  for (int i = 0; i < all.size(); i++)
                    if (i % every == tick % every) all.get(i).ping();
                }));
  }

  private void tick() {
    if (rate <= 0 || senders.isEmpty()) return;
    long now = System.nanoTime();
    long target = (long) ((now - rateStart) / 1e9 * rate);
    long n = target - due;
    long burst = Math.max(1, (long) (rate * 0.02));
    if (n > burst) {
      run.error("generator_behind", n - burst);
      due += n - burst;
      n = burst;
    }
    for (long i = 0; i < n; i++) {
      BenchLink socket = senders.get(next++ % senders.size());
      if (next >= senders.size()) next = 0;
      if (!socket.live()) {
        run.error("sender_not_live");
      } else if (socket.post(now)) {
        run.sent(socket, now);
      } else {
        run.error("client_backpressure");
      }
      due++;
    }
  }
}
