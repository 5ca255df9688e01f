package roombus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A SockJS client speaking the xhr-polling transport by hand over plain HTTP (no websocket anywhere):
 * {@code POST <base>eventbus/<server>/<session>/xhr} to open and then long-poll, {@code .../xhr_send}
 * with a JSON array of frames to send. Each request goes to the next of the given node base URLs in
 * turn, as a load balancer without sticky sessions would send them.
 */
public final class XhrPollingClient implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private final List<String> bases;
  private final String sid;
  private final String path;
  private final AtomicInteger next = new AtomicInteger();
  private final List<JsonObject> frames = new ArrayList<>();
  private final List<String> served = new ArrayList<>();
  private volatile boolean open = true;
  private final Thread poller;

  /** Opens a session with the session cookie {@code sid}; requests rotate over {@code bases}. */
  public XhrPollingClient(List<String> bases, String sid) {
    this.bases = bases.stream().map(b -> b.endsWith("/") ? b : b + "/").toList();
    this.sid = sid;
    this.path = "eventbus/" + (100 + (int) (Math.random() * 899)) + "/" + UUID.randomUUID().toString().replace("-", "") + "/";
    String opened = post("xhr", null).trim();
    if (!opened.equals("o")) throw new IllegalStateException("SockJS did not open the session: " + opened);
    poller = new Thread(this::pollLoop, "xhr-poller");
    poller.setDaemon(true);
    poller.start();
  }

  private void pollLoop() {
    while (open) {
      try {
        receive(post("xhr", null));
      } catch (RuntimeException e) {
        if (open) received(new JsonObject().put("type", "transport-error").put("message", e.getMessage()));
        return;
      }
    }
  }

  private void receive(String body) {
    for (String line : body.split("\n")) {
      if (line.startsWith("a")) {
        for (Object item : new JsonArray(line.substring(1))) received(new JsonObject((String) item));
      } else if (line.startsWith("c")) {
        open = false;
        received(new JsonObject().put("type", "closed").put("reason", line));
      }
    }
  }

  private void received(JsonObject frame) {
    synchronized (frames) {
      frames.add(frame);
    }
  }

  /** Sends one bridge frame with {@code xhr_send}. */
  public void send(JsonObject frame) {
    String answer = post("xhr_send", new JsonArray().add(frame.encode()).encode());
    if (!answer.isEmpty()) throw new IllegalStateException("xhr_send answered: " + answer);
  }

  public List<JsonObject> frames() {
    synchronized (frames) {
      return List.copyOf(frames);
    }
  }

  /** The bodies of {@code message} frames on {@code address}, in order. */
  public List<JsonObject> messages(String address) {
    return frames().stream().filter(f -> "rec".equals(f.getString("type")) && address.equals(f.getString("address")))
        .map(f -> f.getJsonObject("body")).toList();
  }

  public JsonObject awaitFrame(Predicate<JsonObject> matching) {
    JsonObject found = TestHub.poll(() -> frames().stream().filter(matching).findFirst().orElse(null));
    if (found == null) throw new AssertionError("No matching frame; frames: " + frames());
    return found;
  }

  public JsonObject awaitMessage(String address, Predicate<JsonObject> matching) {
    JsonObject found = TestHub.poll(() -> messages(address).stream().filter(matching).findFirst().orElse(null));
    if (found == null) throw new AssertionError("No matching message on " + address + "; frames: " + frames());
    return found;
  }

  /** The base URLs that served each request, in order (to show the rotation happened). */
  public List<String> served() {
    synchronized (served) {
      return List.copyOf(served);
    }
  }

  private String post(String transport, String body) {
    String base = bases.get(Math.floorMod(next.getAndIncrement(), bases.size()));
    synchronized (served) {
      served.add(base);
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path + transport))
        .timeout(Duration.ofSeconds(40))
        .header("Cookie", "roombus.sid=" + sid)
        .header("Content-Type", "text/plain;charset=UTF-8")
        .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> response;
      try {
        response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException staleConnection) {
        // SockJS closes a polling connection after its answer; a pooled connection can be stale by
        // the time it is reused. Browsers retry such a request on a new connection; so does this client.
        response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      }
      if (response.statusCode() != 200 && response.statusCode() != 204) {
        throw new IllegalStateException(transport + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    open = false;
    poller.interrupt();
  }
}
