package roombus.bridge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.http.WebSocketInternal;
import java.nio.ByteBuffer;

/**
 * Writes a frame to many websockets encoded once. A server's websocket frames are not masked, so a
 * message delivered to a room is the same bytes on every socket: this encodes it as one binary
 * frame (header and payload in one buffer) and writes that buffer, shared, to each socket's
 * channel. Vert.x's own write encodes the frame again for every socket, with a promise, a queue
 * entry and a copy of the payload each; in a room of 500 that was a fifth of the event loop's time
 * (docs/performance.md, "One encoding per websocket frame").
 *
 * <p>The channel comes from {@link WebSocketInternal#channelHandlerContext()}, Vert.x's interface
 * for its own modules (vertx-web uses it), not its public API: a Vert.x upgrade that changes it
 * makes {@link #of} answer null, and every write then goes through Vert.x as before. The buffer is
 * written from the context of Vert.x's handler, so it passes Netty's websocket encoder (which only
 * encodes Vert.x's frame objects) untouched.
 *
 * <p>A frame is written this way only when it keeps the socket's order and Vert.x's rules: on the
 * channel's event loop, while the socket is open and Vert.x holds nothing queued for it (its write
 * queue is not full, so its queue is empty), and when it fits one websocket frame. Anything else is
 * left to Vert.x. What is written here counts against the channel's write buffer as Vert.x's writes
 * do, so {@link ServerWebSocket#writeQueueFull()} still tells a slow client.
 *
 * <p>Each event loop keeps the encoding of the last frame it wrote: the fan-out writes one message
 * to all of a loop's sockets in a row, so they share one encoding. A frame must not change once
 * written (none does: they are built for one message and dropped).
 */
final class SharedWebSocketFrames {

  /** FIN and the binary opcode: the stock raw websocket sends every frame as a binary message. */
  private static final int FIN_BINARY = 0x82;

  /** The last frame each event loop encoded, and its encoding. */
  private static final FastThreadLocal<Last> LAST =
      new FastThreadLocal<>() {
        @Override
        protected Last initialValue() {
          return new Last();
        }
      };

  private static final class Last {
    Buffer frame;
    ByteBuf encoded;
  }

  private final ServerWebSocket socket;
  private final ChannelHandlerContext channel;
  private final int maxFrameSize;

  private SharedWebSocketFrames(
      ServerWebSocket socket, ChannelHandlerContext channel, int maxFrameSize) {
    this.socket = socket;
    this.channel = channel;
    this.maxFrameSize = maxFrameSize;
  }

  /** The shared writer of a socket; null when Vert.x does not show this socket's channel. */
  static SharedWebSocketFrames of(ServerWebSocket socket, int maxFrameSize) {
    if (!(socket instanceof WebSocketInternal internal)) return null;
    ChannelHandlerContext channel = internal.channelHandlerContext();
    return channel == null ? null : new SharedWebSocketFrames(socket, channel, maxFrameSize);
  }

  /**
   * Writes {@code frame} as one binary websocket frame, and true; false, having written nothing,
   * when it must go through Vert.x instead (the socket is closing, Vert.x holds writes for it, this
   * is not its event loop, or the frame is larger than one websocket frame).
   */
  boolean write(Buffer frame) {
    if (frame.length() > maxFrameSize || !channel.executor().inEventLoop()) return false;
    try {
      if (socket.writeQueueFull() || !channel.channel().isWritable()) return false;
    } catch (IllegalStateException closed) {
      return false; // closing: Vert.x drops the write, as it does any after the close frame
    }
    channel.writeAndFlush(encoded(frame).duplicate(), channel.voidPromise());
    return true;
  }

  private static ByteBuf encoded(Buffer frame) {
    Last last = LAST.get();
    if (last.frame != frame) {
      last.encoded = encode(frame);
      last.frame = frame;
    }
    return last.encoded;
  }

  /**
   * RFC 6455 section 5.2: FIN, binary, unmasked, the payload length in 1, 2 or 8 more bytes. In
   * memory of its own that the collector frees once no socket holds it any more, and that no write
   * releases: the sockets' duplicates then need no reference counting (a pooled buffer's count,
   * taken and given back once per socket, showed as 7.6% of the event loop in a room of 500).
   */
  static ByteBuf encode(Buffer frame) {
    ByteBuf payload = ((BufferInternal) frame).getByteBuf();
    int length = payload.readableBytes();
    ByteBuffer encoded =
        ByteBuffer.allocateDirect(length + (length < 126 ? 2 : length <= 0xFFFF ? 4 : 10));
    encoded.put((byte) FIN_BINARY);
    if (length < 126) {
      encoded.put((byte) length);
    } else if (length <= 0xFFFF) {
      encoded.put((byte) 126);
      encoded.putShort((short) length);
    } else {
      encoded.put((byte) 127);
      encoded.putLong(length);
    }
    payload.getBytes(payload.readerIndex(), encoded);
    encoded.flip();
    return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(encoded));
  }
}
