package roombus.bench;

import static roombus.bench.BenchFigures.counts;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import roombus.busclient.HubHttpException;

/**
 * The users, rooms and sockets of a run, spread over the generator's event loops, and their
 * arrival. Against roombus a user first gets a session and creates or enters its room over HTTP;
 * against the Socket.IO peer the rooms are just names ({@code r<index>}) and each socket joins its
 * room itself. A room's creator arrives before the others, so that they have a room to enter.
 */
final class BenchCrowd {

  final List<BenchNode> nodes = new ArrayList<>();
  final List<BenchRoom> rooms = new ArrayList<>();
  final List<BenchUser> users = new ArrayList<>();
  final List<BenchLink> sockets = new ArrayList<>();
  final List<BenchWorker> workers = new ArrayList<>();
  final Map<String, LongAdder> setupErrors = new ConcurrentHashMap<>();

  /** What the first set-up failures without an HTTP status said: the kind alone hides the cause. */
  private final Map<String, String> setupFailures = new ConcurrentHashMap<>();

  private final BenchRun run;
  private final BenchOptions options;

  /** Makes the crowd, each socket on one of the generator's event loops; nobody connects yet. */
  BenchCrowd(BenchRun run) throws InterruptedException {
    this.run = run;
    this.options = run.options;
    int socketCount = options.rooms() * options.roomSize();
    boolean polling = options.transport().equals(BenchOptions.XHR_POLLING);
    for (String url : options.urls())
      nodes.add(new BenchNode(run.vertx, url, options.concurrency(), socketCount, polling));
    for (int i = 0; i < options.eventLoops(); i++)
      workers.add(new BenchWorker(run, nextEventLoop()));
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
                  ? new SocketIoLink(run, user, worker.context)
                  : new RoombusLink(run, user, worker.context);
          user.sockets.add(socket);
          sockets.add(socket);
          worker.all.add(socket);
          if (t == 0) worker.senders.add(socket);
        }
      }
    }
  }

  /**
   * Every user arrives (session, room, sockets), creators first, a bounded number at a time; fails
   * if no socket at all got into its room.
   */
  void arrive() throws InterruptedException {
    run.progress(
        "setting up %d users in %d rooms (%d sockets, %d per room) on %d %s server(s)",
        users.size(),
        rooms.size(),
        sockets.size(),
        options.roomSize(),
        nodes.size(),
        options.target());
    long start = System.nanoTime();
    int perRoom = options.usersPerRoom();
    Function<BenchUser, Future<?>> arrive =
        user ->
            (options.socketIo() ? Future.succeededFuture() : user.arrive(Math.max(2, perRoom)))
                .compose(v -> Future.join(user.sockets.stream().map(BenchLink::connect).toList()))
                .onFailure(this::setupError);
    // sockets ping from the moment they are live: the hub closes one that stays silent
    // (PING_TIMEOUT_MS)
    for (BenchWorker w : workers) w.startPings();
    SetupLanes lanes =
        new SetupLanes(
            run.vertx,
            workers.stream().map(w -> w.context).toList(),
            options.concurrency(),
            step -> setupError("setup_timeout_" + step));
    await(
        lanes.run(users.stream().filter(u -> u.creator).toList(), arrive, BenchUser::stage),
        "creating rooms");
    await(
        lanes.run(
            users.stream().filter(u -> !u.creator && u.room.id != null).toList(),
            arrive,
            BenchUser::stage),
        "entering rooms");
    run.progress(
        "set up: %d of %d sockets live in %.1f s; errors %s",
        liveSockets(), sockets.size(), (System.nanoTime() - start) / 1e9, counts(setupErrors));
    setupFailures.forEach((kind, first) -> run.progress("first %s: %s", kind, first));
    if (liveSockets() == 0)
      throw new IllegalStateException("no socket could join its room: " + counts(setupErrors));
  }

  int liveSockets() {
    int live = 0;
    for (BenchRoom room : rooms) live += room.live.get();
    return live;
  }

  int liveSenders() {
    return workers.stream().mapToInt(BenchWorker::liveSenders).sum();
  }

  void setupError(String kind) {
    setupErrors.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  /** Stops the senders and closes every socket, waiting at most 20 s. */
  void leave() {
    for (BenchWorker w : workers) w.stop();
    try {
      Future<?> closed = Future.join(sockets.stream().map(BenchLink::close).toList());
      closed.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      run.progress("not every socket closed cleanly: %s", e);
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

  private void await(Future<?> future, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    long lastReport = System.nanoTime();
    while (!future.isComplete()) {
      Thread.sleep(50);
      if (System.nanoTime() - lastReport > 5_000_000_000L) {
        lastReport = System.nanoTime();
        run.progress("%s: %d sockets live", what, liveSockets());
      }
      if (System.nanoTime() > deadline) throw new IllegalStateException("gave up " + what);
    }
  }

  /**
   * A context on the next of the generator's event loops. (Vert.x 5 gives every context asked for
   * from the same plain thread the same event loop, so {@code getOrCreateContext()} would put every
   * worker on one loop; a deployment takes the next loop.)
   */
  private Context nextEventLoop() throws InterruptedException {
    CompletableFuture<Context> started = new CompletableFuture<>();
    run.vertx.deployVerticle(
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
}
