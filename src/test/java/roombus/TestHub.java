package roombus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import roombus.busclient.BusClient;
import roombus.busclient.BusHeaders;
import roombus.busclient.HubUrl;

/**
 * Test support: a real hub on a free port with a fresh data folder (tests get one from {@link
 * HubExtension}, with {@link StartHub}), simulated users that keep their own {@code roombus.sid}
 * cookie ({@link User}), raw event-bus websockets ({@link BridgeSocket}) and a bounded polling
 * helper ({@link #eventually}) for conditions that come true asynchronously.
 */
public final class TestHub implements AutoCloseable {

  /** How long any condition may take before a test gives up on it. */
  public static final Duration PATIENCE = Duration.ofSeconds(15);

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final Path dataDir;
  private final Map<String, String> settings;

  /** The running hub; null once stopped. */
  private volatile Hub hub;

  private volatile int port;

  private TestHub(Path dataDir, Map<String, String> settings) {
    this.dataDir = dataDir;
    this.settings = Map.copyOf(settings);
  }

  /** A hub with its own temporary data folder and the test defaults. */
  public static TestHub start() {
    return start(Map.of());
  }

  /** A hub with its own temporary data folder; {@code settings} override the test defaults. */
  public static TestHub start(Map<String, String> settings) {
    Path dataDir = newDataDir();
    try {
      return start(dataDir, settings);
    } catch (RuntimeException e) {
      deleteTree(dataDir);
      throw e;
    }
  }

  /**
   * A hub on a given data folder (to restart on the same data); {@code settings} override the
   * defaults.
   */
  public static TestHub start(Path dataDir, Map<String, String> settings) {
    TestHub started = new TestHub(dataDir, settings);
    started.startHub();
    return started;
  }

  /**
   * Starts the hub on a free port. A port found free can be taken by another socket before the hub
   * binds it; the hub then fails to start, and another port is tried (three times at most).
   */
  private void startHub() {
    for (int attempt = 1; ; attempt++) {
      int httpPort = freePort();
      Map<String, String> env = new HashMap<>(defaults(httpPort, dataDir));
      env.putAll(settings);
      try {
        hub = await(Hub.start(HubConfig.from(env)), Duration.ofSeconds(60));
        port = httpPort;
        return;
      } catch (IllegalStateException e) {
        if (attempt == 3 || !String.valueOf(e.getMessage()).contains("Address already in use"))
          throw e;
      }
    }
  }

  /**
   * What every test hub is started with: two HTTP verticles as on a 2-core machine, a posting limit
   * high enough for tests that post many messages quickly, and a presence grace of 5 s (15 s in
   * production): long enough for a reload or a reconnect to stay calm, short enough for a test to
   * see a user really leave.
   */
  public static Map<String, String> defaults(int port, Path dataDir) {
    return Map.of(
        "HTTP_PORT", String.valueOf(port),
        "DATA_DIR", dataDir.toString(),
        "HTTP_INSTANCES", "2",
        "POSTS_PER_SECOND", "100000",
        "PRESENCE_GRACE_MS", "5000");
  }

  public String base() {
    return base(port);
  }

  public static String base(int port) {
    return "http://127.0.0.1:" + port;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** A new visitor: a first request gives them their session cookie and identity. */
  public User newUser() {
    return User.arriving(base());
  }

  /** The running hub's Vert.x instance, for tests that look at its shared data or its store. */
  public Vertx vertx() {
    Hub running = hub;
    if (running == null) throw new IllegalStateException("The hub is not running");
    return running.vertx();
  }

  /**
   * The port of the TCP bridge, for a hub started with one ({@code @StartHub(tcpBridge = true)}).
   */
  public int tcpPort() {
    String tcp = settings.get("TCP_BRIDGE_PORT");
    if (tcp == null)
      throw new IllegalStateException(
          "This hub has no TCP bridge: start it with @StartHub(tcpBridge = true)");
    return Integer.parseInt(tcp);
  }

  /**
   * The first part of a graceful stop ({@link Hub#drain}): the hub still answers HTTP afterwards.
   */
  public void drain() {
    await(hub.drain(), Duration.ofSeconds(30));
  }

  /** Stops the hub, keeping its data folder (see {@link #restart()}, {@link #deleteData()}). */
  public void stop() {
    Hub running = hub;
    if (running == null) return;
    hub = null;
    try {
      await(running.close(), Duration.ofSeconds(30));
    } catch (IllegalStateException e) {
      // a hub that does not stop (in time, or at all) is a defect of its own: say where it is
      System.err.println("A hub did not stop (" + e.getMessage() + "); its threads:");
      Thread.getAllStackTraces()
          .forEach(
              (thread, stack) -> {
                System.err.println("\"" + thread.getName() + "\" " + thread.getState());
                for (StackTraceElement frame : stack) System.err.println("    at " + frame);
              });
      throw e;
    }
  }

  /**
   * A clean restart: stops the hub if it runs, then starts it again on the same data folder with
   * the same settings, on another HTTP port ({@link #base()} changes; users reach it with {@link
   * User#at}).
   */
  public TestHub restart() {
    stop();
    startHub();
    return this;
  }

  /** Stops the hub and deletes its data folder. */
  @Override
  public void close() {
    try {
      stop();
    } finally {
      deleteData();
    }
  }

  public void deleteData() {
    deleteTree(dataDir);
  }

  // ---- plumbing -------------------------------------------------------------------------------

  public static Path newDataDir() {
    try {
      return Files.createTempDirectory("roombus-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void deleteTree(Path dir) {
    if (!Files.exists(dir)) return;
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp folder left behind is harmless
    }
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static <T> T await(Future<T> future, Duration timeout) {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("Gave up waiting: " + e, e);
    }
  }

  /** A check that may throw (an AssertJ assertion, usually). */
  @FunctionalInterface
  public interface Check {
    void run() throws Exception;
  }

  /**
   * Polls {@code check} until it passes, for at most {@link #PATIENCE}; then fails with its last
   * error. This is how tests wait for something that happens asynchronously, never with a bare
   * sleep.
   */
  public static void eventually(Check check) {
    eventually(PATIENCE, check);
  }

  public static void eventually(Duration patience, Check check) {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      try {
        check.run();
        return;
      } catch (AssertionError | Exception e) {
        if (System.nanoTime() > deadline) {
          if (e instanceof AssertionError a) throw a;
          throw new AssertionError("Condition not met within " + patience, e);
        }
      }
      pause();
    }
  }

  /**
   * Checks that {@code check} keeps passing for the whole {@code period}, polling; fails at the
   * first time it does not. This is how tests say that something must not happen within a time the
   * hub is given (a grace period), never a sleep standing in for "it has probably happened".
   */
  public static void holds(Duration period, Check check) {
    long end = System.nanoTime() + period.toNanos();
    do {
      try {
        check.run();
      } catch (AssertionError e) {
        throw e;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      pause();
    } while (System.nanoTime() < end);
  }

  /**
   * Polls {@code value} until it is not null, for at most {@link #PATIENCE}; null if it never is.
   */
  public static <T> T poll(Supplier<T> value) {
    return poll(PATIENCE, value);
  }

  /**
   * Polls {@code value} until it is not null, for at most {@code patience}; null if it never is.
   */
  public static <T> T poll(Duration patience, Supplier<T> value) {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      T found = value.get();
      if (found != null || System.nanoTime() > deadline) return found;
      pause();
    }
  }

  /** The polling interval; never a wait for a condition. */
  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  // ---- a user over HTTP -----------------------------------------------------------------------

  /** An HTTP answer: status, headers and the body as bytes, with JSON readers. */
  public record Reply(int status, Map<String, List<String>> headers, byte[] bytes) {

    public String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }

    public JsonObject json() {
      return new JsonObject(text());
    }

    public JsonArray array() {
      return new JsonArray(text());
    }

    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream())
          .findFirst()
          .orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + text();
    }
  }

  /**
   * One simulated visitor: an HTTP client that keeps the {@code roombus.sid} cookie the hub gave
   * it, as a browser would, and opens event-bus websockets with it.
   */
  public static final class User {

    private final String base;
    private volatile String sid;
    private String user;
    private String color;

    private User(String base) {
      this.base = base;
    }

    /**
     * A visitor of the hub at {@code base} who has not made a request yet: no cookie, no identity.
     */
    public static User anonymous(String base) {
      return new User(base);
    }

    /** A visitor of the hub at {@code base}, after their first request ({@code GET /api/me}). */
    public static User arriving(String base) {
      User visitor = new User(base);
      Reply me = visitor.get("/api/me");
      if (me.status() != 200 || visitor.sid == null)
        throw new IllegalStateException("No session from " + me);
      visitor.user = me.json().getString("user");
      visitor.color = me.json().getString("color");
      return visitor;
    }

    /**
     * The same visitor (same session cookie) talking to another node of the hub, at {@code
     * otherBase}.
     */
    public User at(String otherBase) {
      User same = new User(otherBase);
      same.sid = sid;
      same.user = user;
      same.color = color;
      return same;
    }

    /** The user id the hub gave this visitor. */
    public String id() {
      return user;
    }

    public String color() {
      return color;
    }

    /** The session cookie's value. */
    public String sid() {
      return sid;
    }

    public Reply get(String path) {
      return send(request(path).GET());
    }

    public Reply delete(String path) {
      return send(request(path).DELETE());
    }

    public Reply post(String path, JsonObject body) {
      return postRaw(path, body.encode());
    }

    /** A POST with whatever text as its JSON body, well-formed or not. */
    public Reply postRaw(String path, String body) {
      return send(
          request(path)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /**
     * Any request with this visitor's cookie: {@code body} may be null, {@code headers} are name,
     * value pairs (a foreign {@code Origin}, another {@code Content-Type}).
     */
    public Reply call(String method, String path, String body, String... headers) {
      HttpRequest.Builder builder = request(path);
      for (int i = 0; i + 1 < headers.length; i += 2) builder.header(headers[i], headers[i + 1]);
      return send(
          builder.method(
              method,
              body == null
                  ? HttpRequest.BodyPublishers.noBody()
                  : HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A multipart/form-data upload of one file. */
    public Reply upload(
        String path, String field, String fileName, String contentType, byte[] content) {
      String boundary = "----roombus" + UUID.randomUUID();
      ByteArrayOutputStream body = new ByteArrayOutputStream(content.length + 512);
      body.writeBytes(
          ("--"
                  + boundary
                  + "\r\n"
                  + "Content-Disposition: form-data; name=\""
                  + field
                  + "\"; filename=\""
                  + fileName
                  + "\"\r\n"
                  + "Content-Type: "
                  + contentType
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      body.writeBytes(content);
      body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
      return send(
          request(path)
              .header("Content-Type", "multipart/form-data; boundary=" + boundary)
              .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    // -- the API in a sentence each: these assert nothing, tests do --

    /** Creates a room; fails the test setup unless the hub answers 201. */
    public JsonObject createRoom(String title, Integer max, String password) {
      JsonObject body = new JsonObject().put("title", title);
      if (max != null) body.put("max", max);
      if (password != null) body.put("password", password);
      Reply reply = post("/api/rooms", body);
      if (reply.status() != 201) throw new IllegalStateException("Creating a room: " + reply);
      return reply.json();
    }

    public JsonObject createRoom(String title) {
      return createRoom(title, null, null);
    }

    public Reply enter(String roomId) {
      return post("/api/rooms/" + roomId + "/enter", new JsonObject());
    }

    public Reply enter(String roomId, String password) {
      return post("/api/rooms/" + roomId + "/enter", new JsonObject().put("password", password));
    }

    public Reply say(String roomId, String text) {
      return post("/api/rooms/" + roomId + "/chats", new JsonObject().put("chat", text));
    }

    /** The whole stored history of a room, oldest first (the catch-up route from seq 0). */
    public Reply history(String roomId) {
      return get("/api/rooms/" + roomId + "/chats?after=0");
    }

    /**
     * A raw event-bus websocket of this user, on the hub at {@code base}, opened with {@code
     * vertx}.
     */
    public BridgeSocket connect(Vertx vertx) {
      return BridgeSocket.open(vertx, URI.create(base), sid);
    }

    private HttpRequest.Builder request(String path) {
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
      if (sid != null) builder.header("Cookie", "roombus.sid=" + sid);
      return builder;
    }

    private Reply send(HttpRequest.Builder request) {
      try {
        HttpResponse<byte[]> response =
            HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        response.headers().allValues("set-cookie").stream()
            .filter(c -> c.startsWith("roombus.sid="))
            .findFirst()
            .ifPresent(c -> sid = c.substring("roombus.sid=".length()).split(";", 2)[0]);
        return new Reply(response.statusCode(), response.headers().map(), response.body());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  // ---- a raw event-bus websocket --------------------------------------------------------------

  /**
   * A client of {@code /eventbus/websocket} speaking Vert.x bridge frames: a {@link BusClient}
   * whose every frame from the hub is kept, in order, for the test to look at, with blocking calls
   * for tests.
   */
  public static final class BridgeSocket implements AutoCloseable {

    private final BusClient bus;
    private final FrameLog log = new FrameLog("rec");

    private BridgeSocket(BusClient bus) {
      this.bus = bus;
      bus.frameHandler(
          log::add); // set as the connection completes, on its event loop: before any frame
    }

    static BridgeSocket open(Vertx vertx, URI base, String sid) {
      return await(
          BusClient.websocket(vertx, HubUrl.of(base), sid).map(BridgeSocket::new),
          Duration.ofSeconds(10));
    }

    public void register(String address) {
      await(bus.register(address, null, null), Duration.ofSeconds(10));
    }

    /** Registers asking for the stored messages after {@code since} first (the catch-up). */
    public void register(String address, long since) {
      await(bus.register(address, BusHeaders.since(since), null), Duration.ofSeconds(10));
    }

    /**
     * Waits until the hub has handled every frame sent on this socket so far. A register is not
     * acknowledged; but the hub handles one socket's frames in order, so once it refuses a later
     * register on an address nobody may use, the earlier frames are done.
     */
    public void sync() {
      String probe = "not.allowed.sync-" + UUID.randomUUID();
      register(probe);
      awaitError(probe);
    }

    /** Registers on the room list, and waits until it is live. */
    public BridgeSocket listenToRoomList() {
      register("chat.rooms");
      sync();
      return this;
    }

    public void unregister(String address) {
      await(bus.unregister(address), Duration.ofSeconds(10));
    }

    /** Registers on a room and waits for its welcome: from then on the user is present. */
    public JsonObject enterRoom(String roomId) {
      register("chat.room." + roomId);
      return awaitMessage("chat.room." + roomId, body -> "welcome".equals(body.getString("type")));
    }

    /** Writes a frame as it is. */
    public void send(JsonObject frame) {
      sendText(frame.encode());
    }

    /** Writes any text as a frame, JSON or not. */
    public void sendText(String text) {
      await(bus.write(text), Duration.ofSeconds(10));
    }

    /** Every frame received so far, in order. */
    public List<JsonObject> frames() {
      return log.frames();
    }

    /** The bodies of the {@code message} frames received on {@code address}, in order. */
    public List<JsonObject> messages(String address) {
      return log.messages(address);
    }

    /** Waits for the first frame (received before or after this call) that matches. */
    public JsonObject awaitFrame(String what, Predicate<JsonObject> matching) {
      return log.awaitFrame(what, matching);
    }

    /** Waits for the body of a message on {@code address} that matches. */
    public JsonObject awaitMessage(String address, Predicate<JsonObject> matching) {
      return log.awaitMessage(address, matching);
    }

    /** Waits for an err frame, about {@code address} if given. */
    public JsonObject awaitError(String address) {
      return log.awaitError(address);
    }

    /**
     * The occupancy of a room as a room list shows it, change by change: the {@code count} events
     * for the room on {@code chat.rooms}, with repeats of the same value dropped (a repeat changes
     * nothing on the page).
     */
    public List<Integer> occupancy(String roomId) {
      List<Integer> counts = new ArrayList<>();
      for (JsonObject event : messages("chat.rooms")) {
        if (!"count".equals(event.getString("type")) || !roomId.equals(event.getString("id")))
          continue;
        Integer count = event.getInteger("count");
        if (counts.isEmpty() || !counts.get(counts.size() - 1).equals(count)) counts.add(count);
      }
      return counts;
    }

    public boolean isClosed() {
      return !bus.isOpen();
    }

    /** The code the hub closed this socket with, or -1. */
    public int closeCode() {
      return bus.closeCode();
    }

    @Override
    public void close() {
      await(bus.close(), Duration.ofSeconds(10));
    }
  }
}
