package roombus.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.BridgeSocket;
import roombus.TestHub.Reply;
import roombus.TestHub.User;
import roombus.security.FuzzClients.Answer;
import roombus.security.FuzzClients.Sink;
import roombus.security.FuzzClients.TcpSink;
import roombus.security.FuzzClients.WebSocketSink;
import roombus.security.FuzzClients.XhrSink;
import roombus.security.FuzzInputs.HttpInput;
import roombus.security.FuzzInputs.Targets;

/**
 * Random and mutated inputs against one node while two users chat in a room: bridge frames over the
 * raw websocket, SockJS xhr and the TCP bridge, and HTTP requests to every route. The suite runs a
 * fixed seed, so that it passes or fails the same way every time; {@code
 * -Droombus.fuzz.seed=random} draws a new one (to look for new failures), {@code
 * -Droombus.fuzz.seed=N} replays one, and {@code -Droombus.fuzz.inputs=...} sets how many inputs.
 * Every failure names its seed.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("A node withstands a few thousand random and mutated inputs")
class FuzzTest {

  private static final long SEED = seed(System.getProperty("roombus.fuzz.seed", "20261130"));
  private static final int INPUTS = Integer.getInteger("roombus.fuzz.inputs", 3_000);

  private static long seed(String given) {
    return given.equals("random") ? new SecureRandom().nextLong() : Long.parseLong(given);
  }

  /** Alice and Bob say something every so many inputs, alternately over HTTP and the bridge. */
  private static final int TALK_EVERY = 20;

  /** Each bridge client waits for the hub to catch up every so many of its frames. */
  private static final int SYNC_EVERY = 50;

  /** What was acknowledged: a message's id, its seq, and its text (or GIF id). */
  private record Stored(String id, long seq, String content) {
    static Stored of(JsonObject message) {
      return new Stored(
          message.getString("id"),
          message.getLong("seq"),
          message.containsKey("gif") ? message.getString("gif") : message.getString("chat"));
    }
  }

  private final Map<String, Stored> acknowledged = new LinkedHashMap<>();
  private final Map<Integer, Integer> statuses = new TreeMap<>();
  private final List<String> serverErrors = new ArrayList<>();
  private final List<String> unanswered = new ArrayList<>();
  private int said;

  @Test
  @DisplayName(
      "3,000 random and mutated bridge frames (websocket, SockJS xhr, TCP) and HTTP requests (every"
          + " route, any method, body and query): no 5xx but 503, no fault frame, no stack trace per"
          + " input; the node still serves, both users still chat live, and every acknowledged"
          + " message is stored as it was")
  void fuzz(
      Vertx vertx,
      // the inputs come as fast as the clients can write them: the per-connection frame limit
      // would drop most of them unread (FrameFloodTest pins that limit), and the rooms, entries
      // and connections the clients make go past the per-user limits too (ActionLimitsTest)
      @StartHub(
              tcpBridge = true,
              settings = {
                "FRAMES_PER_SECOND=1000000",
                "ROOMS_PER_MINUTE=1000000",
                "ENTERS_PER_MINUTE=1000000",
                "UPLOADS_PER_MINUTE=1000000",
                "CONNECTIONS_PER_SESSION=1000"
              })
          TestHub hub) {
    try {
      run(vertx, hub);
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(
          "Fuzz seed "
              + SEED
              + " (replay: mvn test -Dtest=FuzzTest -Droombus.fuzz.seed="
              + SEED
              + "): "
              + e.getMessage(),
          e);
    }
  }

  private void run(Vertx vertx, TestHub hub) {
    User alice = hub.newUser();
    User bob = hub.newUser();
    String room = alice.createRoom("Fuzzed", 10, null).getString("id");
    assertThat(bob.enter(room).status()).isEqualTo(200);
    BridgeSocket alicesSocket = alice.connect(vertx);
    alicesSocket.enterRoom(room);
    BridgeSocket bobsSocket = bob.connect(vertx);
    bobsSocket.enterRoom(room);
    for (int i = 0; i < 6; i++) talk(alice, alicesSocket, bobsSocket, room);
    Reply gif =
        alice.upload(
            "/api/rooms/" + room + "/gifs", "gif", "a.gif", "image/gif", Multipart.TINY_GIF);
    assertThat(gif.status()).as("the GIF upload").isEqualTo(201);
    acknowledged.put(gif.json().getString("id"), Stored.of(gif.json()));
    String gifId = gif.json().getString("gif");

    User mallory = hub.newUser();
    User eve = hub.newUser();
    assertThat(mallory.enter(room).status()).isEqualTo(200);
    String ownRoom = mallory.createRoom("Mallory's", 10, null).getString("id");
    Targets targets =
        new Targets(
            room,
            ownRoom,
            List.of(alice.id(), bob.id(), mallory.id(), eve.id(), "0123456789abcdef"),
            token(mallory),
            gifId,
            port(hub));
    FuzzInputs inputs = new FuzzInputs(SEED, targets);
    WebSocketSink websocket = new WebSocketSink(vertx, targets.port(), mallory.sid());
    XhrSink xhr = new XhrSink(targets.port(), mallory.sid(), this::answered);
    TcpSink tcp = new TcpSink(vertx, hub.tcpPort(), () -> token(mallory));
    List<Sink> sinks = List.of(websocket, xhr, tcp);

    try (CapturedLog log = CapturedLog.start()) {
      for (int i = 0; i < INPUTS; i++) {
        if (i % TALK_EVERY == 0) talk(alice, alicesSocket, bobsSocket, room);
        int channel = inputs.nextInt(100);
        if (channel < 40) {
          String cookie =
              switch (inputs.nextInt(10)) {
                case 0, 1 -> null;
                case 2, 3 -> "roombus.sid=" + inputs.stringValue();
                case 4 -> "roombus.sid=" + eve.sid();
                default -> "roombus.sid=" + mallory.sid();
              };
          HttpInput request = inputs.http(cookie);
          boolean brokenChunk = inputs.chance(0.3) && request.chunked();
          answered(
              request.describe() + (brokenChunk ? " (a broken chunk)" : ""),
              FuzzClients.send(targets.port(), request, false, brokenChunk));
        } else if (channel < 70) {
          websocket.asText(inputs.chance(0.3));
          throwAt(websocket, inputs.frame());
        } else if (channel < 85) {
          if (inputs.chance(0.2)) {
            byte[] body =
                inputs.mutate(
                    ("[" + FuzzInputs.quote(inputs.frameText()) + "]")
                        .getBytes(StandardCharsets.UTF_8));
            xhr.sendBody(body);
          } else {
            throwAt(xhr, inputs.frame());
          }
        } else if (inputs.chance(0.03)) {
          tcp.writeMisframed(inputs.frame(), inputs.nextInt(200_000) - 100);
        } else {
          throwAt(tcp, inputs.frame());
        }
      }
      for (Sink sink : sinks) sink.sync();
      talk(alice, alicesSocket, bobsSocket, room);
      System.out.printf(
          "Fuzz seed %d: %d inputs, HTTP statuses %s, %d without an answer; connections: websocket %d,"
              + " xhr %d, tcp %d; %d messages acknowledged%n",
          SEED,
          INPUTS,
          statuses,
          unanswered.size(),
          websocket.connections,
          xhr.connections,
          tcp.connections,
          acknowledged.size());
      for (Sink sink : sinks)
        System.out.printf(
            "%s: %d frames, %d connections, %d syncs taking %d ms%n",
            sink.getClass().getSimpleName(),
            sink.sent,
            sink.connections,
            sink.syncs,
            sink.syncNanos / 1_000_000);
      System.out.printf(
          "%d lines logged, %d at WARN or ERROR%n", log.lines().size(), log.warnings().size());
      unanswered.stream().limit(5).forEach(request -> System.out.println("No answer: " + request));

      // the node serves, and its log did not get a line (let alone a stack trace) per input
      assertThat(alice.get("/health/ready").status()).as("/health/ready").isEqualTo(200);
      assertThat(serverErrors).as("answers of 500 and up but 503, with their requests").isEmpty();
      assertThat(unanswered)
          .as("requests the hub neither answered nor closed within 15 s")
          .noneMatch(request -> request.contains("timed out"));
      for (Sink sink : sinks)
        assertThat(sink.faults())
            .as("fault frames on the %s", sink.getClass().getSimpleName())
            .isEmpty();
      assertThat(log.stackFrames()).as("stack trace lines logged").isEmpty();
      assertThat(log.lines().size())
          .as("lines logged for %d inputs: %s", INPUTS, log.lines())
          .isLessThan(INPUTS / 10);
    } finally {
      websocket.close();
      tcp.close();
    }

    // both users still chat live, each hearing the other
    String fromAlice = "alice after the storm";
    Reply posted = alice.say(room, fromAlice);
    assertThat(posted.status()).as("alice posting after the fuzz").isEqualTo(201);
    acknowledged.put(posted.json().getString("id"), Stored.of(posted.json()));
    bobsSocket.awaitMessage("chat.room." + room, m -> fromAlice.equals(m.getString("chat")));
    JsonObject fromBob = bridgePost(bobsSocket, room, "bob after the storm");
    assertThat(fromBob).as("bob posting over the bridge after the fuzz").isNotNull();
    alicesSocket.awaitMessage(
        "chat.room." + room, m -> "bob after the storm".equals(m.getString("chat")));

    // the room is there with its owner, and every acknowledged message is stored as it was
    Reply shown = alice.get("/api/rooms/" + room);
    assertThat(shown.status()).isEqualTo(200);
    assertThat(shown.json().getString("owner")).as("the room's owner").isEqualTo(alice.id());
    Map<String, Stored> stored = history(alice, room);
    assertThat(acknowledged.size())
        .as("messages acknowledged (busy or rate-limited posts are not)")
        .isGreaterThan(INPUTS / TALK_EVERY / 2);
    for (Stored message : acknowledged.values())
      assertThat(stored.get(message.id())).as("stored message %s", message.id()).isEqualTo(message);
    Reply download = alice.get("/gif/" + gifId);
    assertThat(download.status()).isEqualTo(200);
    assertThat(download.bytes()).isEqualTo(Multipart.TINY_GIF);
    alicesSocket.close();
    bobsSocket.close();
  }

  /**
   * Alice says something over HTTP, or Bob over the bridge; what is acknowledged is kept (a post
   * refused as busy or too fast is not, and is no fault).
   */
  private void talk(User alice, BridgeSocket alicesSocket, BridgeSocket bob, String room) {
    alicesSocket.send(new JsonObject().put("type", "ping")); // as clients do, or the hub closes it
    int n = said++;
    if (n % 2 == 0) {
      Reply reply = alice.say(room, "alice " + n);
      if (reply.status() == 201)
        acknowledged.put(reply.json().getString("id"), Stored.of(reply.json()));
      else assertThat(reply.status()).as("alice posting: %s", reply).isIn(429, 503);
    } else {
      JsonObject message = bridgePost(bob, room, "bob " + n);
      if (message != null) acknowledged.put(message.getString("id"), Stored.of(message));
    }
  }

  /** A {@code send} with a reply address; the stored message, or null if the hub was busy. */
  private JsonObject bridgePost(BridgeSocket socket, String room, String text) {
    String replyAddress = "ack-" + said + "-" + text.hashCode();
    socket.send(
        new JsonObject()
            .put("type", "send")
            .put("address", "chat.room." + room)
            .put("body", new JsonObject().put("chat", text))
            .put("replyAddress", replyAddress));
    Predicate<JsonObject> answer = f -> replyAddress.equals(f.getString("address"));
    JsonObject frame = socket.awaitFrame("the answer on " + replyAddress, answer);
    if ("err".equals(frame.getString("type"))) {
      assertThat(frame.getInteger("failureCode")).as("bob posting: %s", frame).isIn(429, 503);
      return null;
    }
    return frame.getJsonObject("body");
  }

  private void throwAt(Sink sink, byte[] frame) {
    sink.send(frame);
    if (sink.sent % SYNC_EVERY == 0) sink.sync();
  }

  private void answered(String request, Answer answer) {
    statuses.merge(answer.status(), 1, Integer::sum);
    if (answer.status() >= 500 && answer.status() != 503)
      serverErrors.add(answer.status() + " to " + request);
    if (answer.status() < 0) unanswered.add(request + ": " + answer.body());
  }

  /** Every message of the room's history, read page by page. */
  private static Map<String, Stored> history(User reader, String room) {
    Map<String, Stored> messages = new LinkedHashMap<>();
    long after = 0;
    while (true) {
      JsonArray page =
          reader.get("/api/rooms/" + room + "/chats?after=" + after + "&limit=1000").array();
      for (Object item : page) {
        JsonObject message = (JsonObject) item;
        if (message.getValue("seq") == null) continue; // a whisper to alice
        messages.put(message.getString("id"), Stored.of(message));
        after = Math.max(after, message.getLong("seq"));
      }
      if (page.size() < 1000) return messages;
    }
  }

  private static String token(User user) {
    Reply reply = user.post("/api/token", new JsonObject());
    if (reply.status() != 201) throw new IllegalStateException("No token: " + reply);
    return reply.json().getString("token");
  }

  private static int port(TestHub hub) {
    return Integer.parseInt(hub.base().substring(hub.base().lastIndexOf(':') + 1));
  }
}
