package roombus.security;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

/**
 * A bridge client that dies the way a real one does when its machine or network goes away: it opens
 * its connection by hand (a plain {@link Socket}, or plain HTTP for polling), registers on a room,
 * and then neither sends, nor reads, nor closes. The hub gets no close frame, no FIN, nothing.
 *
 * <p>Whatever the hub writes to it afterwards stays unread in the socket's buffers; {@link #unread}
 * collects it at the end of a test, to show what the hub kept sending to a client it had given up
 * on.
 */
final class DeadPeer implements AutoCloseable {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** The connection for the socket transports; null for polling. */
  private final Socket socket;

  /**
   * The SockJS session URL for polling ({@code .../eventbus/<server>/<session>/}); null for
   * sockets.
   */
  private final String pollUrl;

  private final String sid;

  private DeadPeer(Socket socket, String pollUrl, String sid) {
    this.socket = socket;
    this.pollUrl = pollUrl;
    this.sid = sid;
  }

  /**
   * On the raw websocket {@code /eventbus/websocket}: upgrade by hand, one masked register frame.
   */
  static DeadPeer rawWebSocket(String base, String sid, String address) {
    Socket socket = upgrade(base, "/eventbus/websocket", sid);
    writeQuietly(socket, maskedTextFrame(register(address).encode()));
    return new DeadPeer(socket, null, null);
  }

  /** On the SockJS websocket transport: the same, with the frame inside a SockJS array. */
  static DeadPeer sockJsWebSocket(String base, String sid, String address) {
    Socket socket =
        upgrade(base, "/eventbus/" + serverId() + "/" + sessionId() + "/websocket", sid);
    writeQuietly(socket, maskedTextFrame(new JsonArray().add(register(address).encode()).encode()));
    return new DeadPeer(socket, null, null);
  }

  /** On the TCP bridge: a length-prefixed register frame presenting {@code token}. */
  static DeadPeer tcp(int port, String token, String address) {
    try {
      Socket socket = new Socket("127.0.0.1", port);
      byte[] json =
          register(address)
              .put("headers", new JsonObject().put("token", token))
              .toBuffer()
              .getBytes();
      ByteArrayOutputStream frame = new ByteArrayOutputStream();
      frame.write(
          new byte[] {
            (byte) (json.length >>> 24),
            (byte) (json.length >>> 16),
            (byte) (json.length >>> 8),
            (byte) json.length
          });
      frame.write(json);
      writeQuietly(socket, frame.toByteArray());
      return new DeadPeer(socket, null, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** On SockJS xhr-polling: open a session, send the register, then never poll again. */
  static DeadPeer xhrPolling(String base, String sid, String address) {
    String url = base + "/eventbus/" + serverId() + "/" + sessionId() + "/";
    HttpResponse<String> open = post(url + "xhr", sid, "");
    if (open.statusCode() != 200 || !open.body().startsWith("o"))
      throw new IllegalStateException("xhr open: " + open.body());
    HttpResponse<String> sent =
        post(url + "xhr_send", sid, new JsonArray().add(register(address).encode()).encode());
    if (sent.statusCode() != 204)
      throw new IllegalStateException("xhr_send: " + sent.statusCode() + " " + sent.body());
    return new DeadPeer(null, url, sid);
  }

  /**
   * What the hub has written to this client and nobody read, as text (the JSON inside the frames is
   * legible in it). Reads until nothing more arrives for {@code quiet}, or the hub closed the
   * connection. For polling, one last poll of the session.
   */
  String unread(Duration quiet) {
    if (socket == null) return post(pollUrl + "xhr", sid, "").body();
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    try {
      socket.setSoTimeout((int) quiet.toMillis());
      InputStream in = socket.getInputStream();
      byte[] chunk = new byte[64 * 1024];
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        int n = in.read(chunk);
        if (n < 0) break;
        received.write(chunk, 0, n);
      }
    } catch (SocketTimeoutException quietNow) {
      // nothing more came
    } catch (IOException reset) {
      // the hub reset the connection: what came before is what it wrote
    }
    return received.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    if (socket == null) return;
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing at the end of a test
    }
  }

  // ---- plumbing -------------------------------------------------------------------------------

  private static JsonObject register(String address) {
    return new JsonObject().put("type", "register").put("address", address);
  }

  /** Connects and performs the websocket opening handshake (RFC 6455) with the session cookie. */
  private static Socket upgrade(String base, String path, String sid) {
    URI uri = URI.create(base);
    try {
      Socket socket = new Socket();
      socket.setReceiveBufferSize(
          4096); // a small window: what the hub sends piles up on its side soon
      socket.connect(new java.net.InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
      byte[] key = new byte[16];
      RANDOM.nextBytes(key);
      String request =
          "GET "
              + path
              + " HTTP/1.1\r\n"
              + "Host: "
              + uri.getHost()
              + ":"
              + uri.getPort()
              + "\r\n"
              + "Upgrade: websocket\r\n"
              + "Connection: Upgrade\r\n"
              + "Sec-WebSocket-Key: "
              + Base64.getEncoder().encodeToString(key)
              + "\r\n"
              + "Sec-WebSocket-Version: 13\r\n"
              + (sid == null ? "" : "Cookie: roombus.sid=" + sid + "\r\n")
              + "\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      socket.setSoTimeout(10_000);
      String head = readHead(socket.getInputStream());
      if (!head.startsWith("HTTP/1.1 101")) {
        socket.close();
        throw new IllegalStateException("No websocket upgrade: " + head);
      }
      return socket;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The response head, read byte by byte so that no websocket frame after it is consumed. */
  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) break;
      head.append((char) b);
    }
    return head.toString();
  }

  /**
   * A websocket frame over the hub's 64 KiB limit (the hub closes the socket with 1009); then
   * silence again: the hub's close frame goes unanswered.
   */
  void sendTooLargeFrame() {
    writeQuietly(socket, maskedTextFrame("x".repeat(70_000)));
  }

  /** A final text frame as a client must send it: masked with a random key. */
  static byte[] maskedTextFrame(String text) {
    return maskedFrame(0x81, text.getBytes(StandardCharsets.UTF_8)); // FIN, text
  }

  /** A frame with this first byte (FIN and opcode), masked with a random key. */
  private static byte[] maskedFrame(int first, byte[] payload) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write(first);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xff);
    } else {
      frame.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8)
        frame.write((int) ((long) payload.length >>> shift));
    }
    byte[] mask = new byte[4];
    RANDOM.nextBytes(mask);
    frame.writeBytes(mask);
    for (int i = 0; i < payload.length; i++) frame.write(payload[i] ^ mask[i % 4]);
    return frame.toByteArray();
  }

  private static void writeQuietly(Socket socket, byte[] bytes) {
    try {
      OutputStream out = socket.getOutputStream();
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static HttpResponse<String> post(String url, String sid, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "text/plain;charset=UTF-8")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (sid != null) request.header("Cookie", "roombus.sid=" + sid);
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String serverId() {
    return String.valueOf(100 + RANDOM.nextInt(900));
  }

  private static String sessionId() {
    StringBuilder id = new StringBuilder();
    for (int i = 0; i < 16; i++) id.append((char) ('a' + RANDOM.nextInt(26)));
    return id.toString();
  }
}
