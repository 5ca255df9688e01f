package roombus.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import roombus.StartHub;
import roombus.TestHub;
import roombus.TestHub.BridgeSocket;

@ExtendWith(VertxExtension.class)
@DisplayName("Slowloris connections are cut after a header timeout")
class SlowlorisTest {

  private static final long HEADER_TIMEOUT_MS = 1_500;

  /** From the header timeout to the hub closing the connection, at most, on a loaded machine. */
  private static final Duration SLACK = Duration.ofSeconds(6);

  @StartHub(settings = "HEADER_TIMEOUT_MS=" + HEADER_TIMEOUT_MS)
  private static TestHub hub;

  @Test
  @DisplayName(
      "50 connections sending a header byte a second are all closed shortly after the header"
          + " timeout, while two users chat, and a websocket and a SockJS stream opened before stay"
          + " open")
  void slowHeaders(Vertx vertx) {
    NetClient net = vertx.createNetClient(new NetClientOptions().setConnectTimeout(5_000));
    BridgeSocket idle = hub.newUser().connect(vertx);
    long idleSince = System.nanoTime();
    SlowClient stream = SlowClient.open(net, hub);
    String session = "/eventbus/123/" + UUID.randomUUID().toString().replace("-", "");
    stream.write("POST " + session + "/xhr_streaming HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    TestHub.eventually(() -> assertThat(stream.received()).contains("\r\no\n"));
    List<SlowClient> slow = new ArrayList<>();
    try (Conversation others = Conversation.start(hub, vertx)) {
      for (int i = 0; i < 50; i++) slow.add(SlowClient.open(net, hub));
      long dripping = vertx.setPeriodic(1_000, id -> slow.forEach(SlowClient::drip));
      slow.forEach(SlowClient::drip);
      try {
        TestHub.eventually(
            Duration.ofMillis(HEADER_TIMEOUT_MS).plus(SLACK),
            () ->
                assertThat(slow.stream().filter(SlowClient::isOpen).count())
                    .as("slow connections still open")
                    .isZero());
      } finally {
        vertx.cancelTimer(dripping);
      }
      for (SlowClient client : slow) {
        assertThat(client.openFor())
            .as("how long a slow connection was open")
            .isGreaterThanOrEqualTo(Duration.ofMillis(HEADER_TIMEOUT_MS - 100))
            .isLessThanOrEqualTo(Duration.ofMillis(HEADER_TIMEOUT_MS).plus(SLACK));
      }
      others.finish();
    } finally {
      slow.forEach(SlowClient::close);
    }
    // both stay open until at least three header timeouts after they opened
    Duration sinceOpened = Duration.ofNanos(System.nanoTime() - idleSince);
    TestHub.holds(
        Duration.ofMillis(3 * HEADER_TIMEOUT_MS).minus(sinceOpened),
        () -> {
          assertThat(idle.isClosed())
              .as("a websocket that has said nothing since its upgrade")
              .isFalse();
          assertThat(stream.isOpen()).as("a SockJS xhr_streaming request opened before").isTrue();
        });
    stream.close();
    idle.close();
  }

  @Test
  @DisplayName(
      "a kept-alive connection is answered, then cut when its next request head does not arrive"
          + " within the header timeout")
  void slowSecondRequest(Vertx vertx) {
    NetClient net = vertx.createNetClient();
    SlowClient client = SlowClient.open(net, hub);
    client.write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    TestHub.eventually(() -> assertThat(client.received()).startsWith("HTTP/1.1 200"));
    long answered = System.nanoTime();
    // a connection that keeps asking is not cut: three quick requests, each well within the timeout
    holdAsking(client, 3);
    long dripping = vertx.setPeriodic(500, id -> client.drip());
    try {
      TestHub.eventually(
          Duration.ofMillis(HEADER_TIMEOUT_MS).plus(SLACK),
          () -> assertThat(client.isOpen()).as("the kept-alive connection").isFalse());
    } finally {
      vertx.cancelTimer(dripping);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - answered))
        .as("from the first answer to the cut")
        .isGreaterThanOrEqualTo(Duration.ofMillis(HEADER_TIMEOUT_MS));
  }

  @Test
  @DisplayName(
      "a websocket upgrade answered without upgrading leaves its connection under the header"
          + " timeout")
  void refusedUpgrade(Vertx vertx) {
    SlowClient client = SlowClient.open(vertx.createNetClient(), hub);
    client.write(
        "GET /api/me HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    TestHub.eventually(() -> assertThat(client.received()).startsWith("HTTP/1.1 200"));
    long dripping = vertx.setPeriodic(500, id -> client.drip());
    try {
      TestHub.eventually(
          Duration.ofMillis(HEADER_TIMEOUT_MS).plus(SLACK),
          () -> assertThat(client.isOpen()).as("the connection").isFalse());
    } finally {
      vertx.cancelTimer(dripping);
    }
  }

  /**
   * {@code times} more requests on the connection, each sent as soon as the previous answer came:
   * none of them is cut.
   */
  private static void holdAsking(SlowClient client, int times) {
    for (int i = 0; i < times; i++) {
      int answers = client.answers();
      client.write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      TestHub.eventually(() -> assertThat(client.answers()).isGreaterThan(answers));
      assertThat(client.isOpen()).isTrue();
    }
  }

  /**
   * A plain TCP connection to the hub that writes what it is told, or one byte of an endless
   * request head at a time ({@link #drip}), and remembers what it received and when it was closed.
   */
  private static final class SlowClient {

    private static final String HEAD =
        "GET /api/me HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "a".repeat(10_000);

    private final NetSocket socket;
    private final long opened = System.nanoTime();
    private final StringBuilder received = new StringBuilder();
    private volatile long closed;
    private int dripped;

    private SlowClient(NetSocket socket) {
      this.socket = socket;
      socket.handler(this::receive);
      socket.closeHandler(v -> closed = System.nanoTime());
    }

    static SlowClient open(NetClient net, TestHub hub) {
      int port = Integer.parseInt(hub.base().substring(hub.base().lastIndexOf(':') + 1));
      return TestHub.await(
          net.connect(port, "127.0.0.1").map(SlowClient::new), Duration.ofSeconds(10));
    }

    private synchronized void receive(Buffer data) {
      received.append(data.toString(StandardCharsets.ISO_8859_1));
    }

    synchronized String received() {
      return received.toString();
    }

    /** How many answers arrived so far. */
    synchronized int answers() {
      return received.toString().split("HTTP/1.1 ", -1).length - 1;
    }

    void write(String text) {
      socket.write(Buffer.buffer(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** The next byte of the head that never ends. */
    void drip() {
      if (isOpen()) write(HEAD.substring(dripped, ++dripped));
    }

    boolean isOpen() {
      return closed == 0;
    }

    Duration openFor() {
      return Duration.ofNanos((isOpen() ? System.nanoTime() : closed) - opened);
    }

    void close() {
      socket.close();
    }
  }
}
