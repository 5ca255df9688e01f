package roombus.security;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import roombus.TestHub;
import roombus.security.FuzzInputs.HttpInput;

/**
 * The clients {@link FuzzTest} throws its inputs with: raw HTTP requests on plain sockets (so that
 * nothing on the client's side corrects them), and three bridge clients, on the raw websocket,
 * SockJS xhr and the TCP bridge, that reconnect when the hub closes them and report every error
 * frame of a server fault ({@code failureCode} 500 and up, but 503) or frame that is not JSON, with
 * the inputs sent just before it.
 */
final class FuzzClients {

  private FuzzClients() {}

  /** An HTTP answer: its status (-1 for none) and, when asked for, its body. */
  record Answer(int status, String body) {}

  /**
   * Sends {@code input} on a fresh connection ({@code Connection: close}) and reads the status
   * line, and the whole body if {@code wholeBody}; a body it says is chunked goes in chunks, now
   * and then with a broken chunk size.
   */
  static Answer send(int port, HttpInput input, boolean wholeBody, boolean brokenChunk) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(15_000);
      ByteArrayOutputStream request = new ByteArrayOutputStream();
      StringBuilder head = new StringBuilder();
      head.append(input.method()).append(' ').append(input.target()).append(" HTTP/1.1\r\n");
      head.append("Host: 127.0.0.1:").append(port).append("\r\n");
      for (String header : input.headers()) head.append(header).append("\r\n");
      if (input.chunked()) head.append("Transfer-Encoding: chunked\r\n");
      else head.append("Content-Length: ").append(input.body().length).append("\r\n");
      head.append("Connection: close\r\n\r\n");
      request.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
      if (input.chunked()) {
        int half = input.body().length / 2;
        chunk(request, input.body(), 0, half, false);
        chunk(request, input.body(), half, input.body().length, brokenChunk);
        request.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      } else {
        request.writeBytes(input.body());
      }
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request.toByteArray());
        out.flush();
      } catch (IOException closedEarly) {
        // the hub may answer (413) and close before the body is all sent: read what it said
      }
      return read(socket.getInputStream(), wholeBody);
    } catch (IOException e) {
      return new Answer(-1, e.toString());
    }
  }

  private static void chunk(
      ByteArrayOutputStream out, byte[] body, int from, int to, boolean broken) {
    if (to <= from) return;
    String size = broken ? "zz" : Integer.toHexString(to - from);
    out.writeBytes((size + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(body, from, to - from);
    out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  private static Answer read(InputStream in, boolean wholeBody) throws IOException {
    while (true) {
      String status = line(in);
      if (status == null) return new Answer(-1, "no answer");
      int code;
      try {
        code = Integer.parseInt(status.split(" ", 3)[1]);
      } catch (RuntimeException e) {
        return new Answer(-1, "not a status line: " + status);
      }
      boolean chunked = false;
      String header;
      while ((header = line(in)) != null && !header.isEmpty()) {
        if (header.toLowerCase(java.util.Locale.ROOT).matches("transfer-encoding:\\s*chunked"))
          chunked = true;
      }
      if (code == 100) continue; // Expect: 100-continue; the answer follows
      if (!wholeBody) return new Answer(code, "");
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      if (chunked) {
        String size;
        while ((size = line(in)) != null && !size.isEmpty()) {
          int length = Integer.parseInt(size.split(";")[0].trim(), 16);
          if (length == 0) break;
          body.write(in.readNBytes(length));
          line(in);
        }
      } else {
        byte[] chunk = new byte[8192];
        int n;
        while (body.size() < 1 << 20 && (n = in.read(chunk)) >= 0) body.write(chunk, 0, n);
      }
      return new Answer(code, body.toString(StandardCharsets.UTF_8));
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') return line.toString().strip();
      line.append((char) b);
    }
    return line.length() == 0 ? null : line.toString();
  }

  // ---- bridge clients ---------------------------------------------------------------------------

  /**
   * What a bridge client of the fuzz has in common: the inputs it sent last, the faults it saw, and
   * a sync (a register on an address nobody may use, whose refusal comes back after every frame
   * before it was handled).
   */
  abstract static class Sink {
    private final Deque<String> recent = new ArrayDeque<>();
    private final List<String> faults = new ArrayList<>();
    private final Set<String> probes = new HashSet<>();
    int connections;
    int sent;
    int syncs;
    long syncNanos;

    /** Sends one input; reconnects first if the hub closed the connection. */
    final void send(byte[] frame) {
      synchronized (this) {
        recent.addLast(excerpt(frame));
        if (recent.size() > 4) recent.removeFirst();
      }
      sent++;
      write(frame);
    }

    abstract void write(byte[] frame);

    /** Waits until the hub has handled what was sent so far (false if the connection closed). */
    final boolean sync() {
      String probe = "fuzz.sync." + UUID.randomUUID();
      if (!writeProbe(
          new JsonObject().put("type", "register").put("address", probe).encode().getBytes())) {
        return false;
      }
      long started = System.nanoTime();
      String found =
          TestHub.poll(
              Duration.ofSeconds(30),
              () -> {
                synchronized (this) {
                  if (probes.remove(probe)) return "yes";
                }
                return isOpen() ? null : "closed";
              });
      syncs++;
      syncNanos += System.nanoTime() - started;
      return "yes".equals(found);
    }

    abstract boolean writeProbe(byte[] frame);

    abstract boolean isOpen();

    /** A frame from the hub: it must be JSON, and no error of the hub's own making. */
    final void received(String text) {
      JsonObject frame;
      try {
        frame = new JsonObject(text);
      } catch (RuntimeException e) {
        fault(
            "a frame that is not a JSON object: " + excerpt(text.getBytes(StandardCharsets.UTF_8)));
        return;
      }
      if (frame.getValue("address") instanceof String address && address.startsWith("fuzz.sync.")) {
        synchronized (this) {
          probes.add(address);
        }
      }
      if ("err".equals(frame.getValue("type"))
          && frame.getValue("failureCode") instanceof Number code
          && code.intValue() >= 500
          && code.intValue() != 503) {
        fault(text);
      }
    }

    private synchronized void fault(String what) {
      faults.add(what + " after " + recent);
    }

    synchronized List<String> faults() {
      return List.copyOf(faults);
    }

    static String excerpt(byte[] frame) {
      String text = new String(frame, StandardCharsets.UTF_8).replace("\n", "\\n");
      return text.length() <= 200 ? text : text.substring(0, 200) + "…(" + frame.length + ")";
    }
  }

  /** The raw websocket {@code /eventbus/websocket}, as the session {@code sid}. */
  static final class WebSocketSink extends Sink {
    private final WebSocketClient client;
    private final int port;
    private final String sid;
    private volatile WebSocket ws;
    private boolean nextAsText;

    WebSocketSink(Vertx vertx, int port, String sid) {
      this.client =
          vertx.createWebSocketClient(
              new WebSocketClientOptions()
                  .setMaxFrameSize(1 << 20)
                  .setMaxMessageSize(4 << 20)
                  .setConnectTimeout(10_000));
      this.port = port;
      this.sid = sid;
    }

    /** The next frame goes as a text message (else binary). */
    void asText(boolean text) {
      nextAsText = text;
    }

    private WebSocket open() {
      WebSocket current = ws;
      if (current != null && !current.isClosed()) return current;
      WebSocketConnectOptions options =
          new WebSocketConnectOptions()
              .setHost("127.0.0.1")
              .setPort(port)
              .setURI("/eventbus/websocket")
              .addHeader("Cookie", "roombus.sid=" + sid);
      WebSocket opened = TestHub.await(client.connect(options), Duration.ofSeconds(20));
      opened.handler(data -> received(data.toString(StandardCharsets.UTF_8)));
      opened.exceptionHandler(err -> {});
      connections++;
      ws = opened;
      return opened;
    }

    @Override
    void write(byte[] frame) {
      WebSocket socket = open();
      if (nextAsText) socket.writeTextMessage(new String(frame, StandardCharsets.UTF_8));
      else socket.writeBinaryMessage(Buffer.buffer(frame));
    }

    @Override
    boolean writeProbe(byte[] frame) {
      open().writeBinaryMessage(Buffer.buffer(frame));
      return true;
    }

    @Override
    boolean isOpen() {
      WebSocket current = ws;
      return current != null && !current.isClosed();
    }

    void close() {
      TestHub.await(client.close(), Duration.ofSeconds(10));
    }
  }

  /**
   * A SockJS xhr session, opened as the session {@code sid}: frames go in {@code xhr_send} requests
   * whose statuses count as HTTP answers; a sync polls the session for the hub's frames.
   */
  static final class XhrSink extends Sink {
    private final int port;
    private final String sid;
    private final BiConsumer<String, Answer> answers;
    private String session;

    /** {@code answers} hears every {@code xhr_send}: what was sent, and the answer. */
    XhrSink(int port, String sid, BiConsumer<String, Answer> answers) {
      this.port = port;
      this.sid = sid;
      this.answers = answers;
    }

    private String open() {
      if (session != null) return session;
      String url = "/eventbus/7/" + UUID.randomUUID().toString().replace("-", "");
      Answer opened = post(url + "/xhr", new byte[0]);
      if (opened.status() != 200 || !opened.body().startsWith("o"))
        throw new IllegalStateException("xhr open: " + opened);
      connections++;
      session = url;
      return url;
    }

    private Answer post(String path, byte[] body) {
      return FuzzClients.send(
          port,
          new HttpInput(
              "POST",
              path,
              List.of("Cookie: roombus.sid=" + sid, "Content-Type: text/plain"),
              body,
              false),
          true,
          false);
    }

    /** Sends a whole {@code xhr_send} body, SockJS envelope included; answers its status. */
    Answer sendBody(byte[] body) {
      Answer answer = post(open() + "/xhr_send", body);
      answers.accept("POST .../xhr_send " + excerpt(body), answer);
      if (answer.status() == 404) session = null; // the session ended: the next input opens one
      return answer;
    }

    @Override
    void write(byte[] frame) {
      sendBody(new JsonArray().add(new String(frame, StandardCharsets.UTF_8)).encode().getBytes());
    }

    @Override
    boolean writeProbe(byte[] frame) {
      Answer sent =
          sendBody(
              new JsonArray().add(new String(frame, StandardCharsets.UTF_8)).encode().getBytes());
      if (sent.status() != 204) return false;
      // the hub's frames since the last poll, until the probe's refusal or the session's end
      for (int polls = 0; polls < 20 && session != null; polls++) {
        Answer poll = post(session + "/xhr", new byte[0]);
        if (poll.status() != 200) break;
        for (String line : poll.body().split("\n")) {
          if (line.startsWith("a[")) {
            for (Object item : new JsonArray(line.substring(1))) received(String.valueOf(item));
          } else if (line.startsWith("c[")) {
            session = null;
          }
        }
        String probe = new JsonObject(Buffer.buffer(frame)).getString("address");
        if (poll.body().contains(probe)) return true;
      }
      return false;
    }

    @Override
    boolean isOpen() {
      return session != null;
    }
  }

  /**
   * The TCP bridge: length-prefixed frames, bound to a session by a token fetched on every
   * (re)connection; now and then a frame with a wrong length, after which the connection is
   * dropped.
   */
  static final class TcpSink extends Sink {
    private final NetClient client;
    private final int port;
    private final Supplier<String> token;
    private volatile NetSocket socket;
    private volatile boolean closed = true;
    private Buffer pending = Buffer.buffer();

    TcpSink(Vertx vertx, int port, Supplier<String> token) {
      this.client = vertx.createNetClient();
      this.port = port;
      this.token = token;
    }

    private NetSocket open() {
      NetSocket current = socket;
      if (current != null && !closed) return current;
      NetSocket opened = TestHub.await(client.connect(port, "127.0.0.1"), Duration.ofSeconds(10));
      synchronized (this) {
        pending = Buffer.buffer();
      }
      closed = false;
      opened.handler(this::bytes);
      opened.closeHandler(v -> closed = true);
      opened.exceptionHandler(err -> {});
      connections++;
      socket = opened;
      opened.write(
          framed(
              new JsonObject()
                  .put("type", "register")
                  .put("address", "chat.rooms")
                  .put("headers", new JsonObject().put("token", token.get()))
                  .encode()
                  .getBytes()));
      return opened;
    }

    private void bytes(Buffer data) {
      List<String> frames = new ArrayList<>();
      synchronized (this) {
        pending.appendBuffer(data);
        while (pending.length() >= 4) {
          int size = pending.getInt(0);
          if (size < 0 || pending.length() < 4 + size) break;
          frames.add(pending.getString(4, 4 + size, "UTF-8"));
          pending = pending.getBuffer(4 + size, pending.length());
        }
      }
      frames.forEach(this::received);
    }

    private static Buffer framed(byte[] json) {
      return Buffer.buffer().appendInt(json.length).appendBytes(json);
    }

    @Override
    void write(byte[] frame) {
      open().write(framed(frame));
    }

    /** A length that does not match what follows; the connection is given up afterwards. */
    void writeMisframed(byte[] frame, int length) {
      NetSocket current = open();
      current.write(Buffer.buffer().appendInt(length).appendBytes(frame));
      TestHub.await(current.close(), Duration.ofSeconds(10));
      closed = true;
    }

    @Override
    boolean writeProbe(byte[] frame) {
      open().write(framed(frame));
      return true;
    }

    @Override
    boolean isOpen() {
      return !closed;
    }

    void close() {
      TestHub.await(client.close(), Duration.ofSeconds(10));
    }
  }
}
