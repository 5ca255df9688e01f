package roombus.busclient;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

/**
 * The hub's TCP event-bus bridge: each frame, both ways, is a 4-byte big-endian length and that
 * many bytes of UTF-8 JSON. The connection has no cookie: the client presents a token in {@code
 * headers.token} ({@link BusHeaders#TOKEN}).
 */
public final class TcpTransport implements BusTransport {

  private final NetSocket socket;
  private final RecordParser parser;

  /** The next record is a length (true) or a frame (false). */
  private boolean readingLength = true;

  private Handler<Buffer> frameHandler = frame -> {};
  private Handler<Void> closeHandler = v -> {};
  private boolean closed;

  private TcpTransport(NetSocket socket) {
    this.socket = socket;
    this.parser = RecordParser.newFixed(4, socket);
    parser.handler(this::record);
    socket.exceptionHandler(
        err -> {}); // a broken connection also closes, and the close handler says so
    socket.closeHandler(
        v -> {
          closed = true;
          closeHandler.handle(null);
        });
  }

  /** Connects to the TCP bridge at {@code host:port} on {@code client} (which may be shared). */
  public static Future<TcpTransport> connect(NetClient client, String host, int port) {
    return client.connect(port, host).map(TcpTransport::new);
  }

  /** {@code json} as one frame of the TCP bridge: its length, then the bytes. */
  public static Buffer framed(Buffer json) {
    return Buffer.buffer(json.length() + 4).appendInt(json.length()).appendBuffer(json);
  }

  private void record(Buffer record) {
    if (readingLength) {
      if (record.length() < 4) return; // the hub went away in the middle of a length
      int size = record.getInt(0);
      if (size <= 0) {
        frameHandler.handle(
            Buffer.buffer()); // no frame at all: an unparsable one, for the reader to see
        return;
      }
      readingLength = false;
      parser.fixedSizeMode(size);
    } else {
      readingLength = true;
      parser.fixedSizeMode(4);
      frameHandler.handle(record);
    }
  }

  /** Writes bytes as they are, unframed: to try the hub's own framing (split or broken frames). */
  public Future<Void> writeBytes(Buffer bytes) {
    return socket.write(bytes);
  }

  @Override
  public void frameHandler(Handler<Buffer> handler) {
    this.frameHandler = handler;
  }

  @Override
  public void closeHandler(Handler<Void> handler) {
    this.closeHandler = handler;
  }

  @Override
  public Future<Void> write(String frame) {
    return socket.write(framed(Buffer.buffer(frame)));
  }

  @Override
  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  @Override
  public boolean isOpen() {
    return !closed;
  }

  @Override
  public Future<Void> close() {
    return socket.close().recover(err -> Future.succeededFuture());
  }
}
