package roombus.bridge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;

/**
 * A frame encoded once for many websockets. A server's websocket frames are not masked, so a
 * message delivered to a room is the same bytes on every socket: this encodes it as a binary
 * websocket message (headers and payload in one buffer) that {@link ChannelWebSocketLink} writes,
 * shared, to each socket's channel. Vert.x's own write encodes the frame again for every socket,
 * with a promise, a queue entry and a copy of the payload each; in a room of 500 that was a fifth
 * of the event loop's time (docs/performance.md, "One encoding per websocket frame").
 *
 * <p>Each event loop keeps the encoding of the last frame it encoded: the fan-out writes one
 * message to all of a loop's sockets in a row, so they share one encoding. A frame must not change
 * once written (none does: they are built for one message and dropped).
 */
final class SharedWebSocketFrames {

  /** FIN and the binary opcode: the stock raw websocket sends every frame as a binary message. */
  private static final int FIN_BINARY = 0x82;

  /** The binary opcode without FIN: the first fragment of a message longer than one frame. */
  private static final int BINARY = 0x02;

  /** A continuation frame's opcode, with and without FIN. */
  private static final int FIN_CONTINUATION = 0x80;

  private static final int CONTINUATION = 0x00;

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

  private SharedWebSocketFrames() {}

  /**
   * The encoding of {@code frame} ({@link #encode}), shared with the last caller on this thread
   * that asked for the same frame. Write a duplicate of it: its indexes are shared too.
   */
  static ByteBuf encoded(Buffer frame, int maxFrameSize) {
    Last last = LAST.get();
    if (last.frame != frame) {
      last.encoded = encode(frame, maxFrameSize);
      last.frame = frame;
    }
    return last.encoded;
  }

  /**
   * RFC 6455 section 5.2: one binary message, unmasked, in frames of at most {@code maxFrameSize}
   * bytes of payload (the first binary, the others continuations, the last with FIN), each with the
   * payload length in 1, 2 or 8 more bytes. In memory of its own that the collector frees once no
   * socket holds it any more, and that no write releases: the sockets' duplicates then need no
   * reference counting (a pooled buffer's count, taken and given back once per socket, showed as
   * 7.6% of the event loop in a room of 500).
   */
  static ByteBuf encode(Buffer frame, int maxFrameSize) {
    ByteBuf payload = ((BufferInternal) frame).getByteBuf();
    int length = payload.readableBytes();
    int frames = Math.max(1, (length + maxFrameSize - 1) / maxFrameSize);
    int size = length;
    for (int i = 0; i < frames; i++) size += headerSize(fragment(length, maxFrameSize, i));
    ByteBuffer encoded = ByteBuffer.allocateDirect(size);
    int from = payload.readerIndex();
    for (int i = 0; i < frames; i++) {
      int fragment = fragment(length, maxFrameSize, i);
      boolean first = i == 0;
      boolean last = i == frames - 1;
      encoded.put(
          (byte) (first ? (last ? FIN_BINARY : BINARY) : (last ? FIN_CONTINUATION : CONTINUATION)));
      if (fragment < 126) {
        encoded.put((byte) fragment);
      } else if (fragment <= 0xFFFF) {
        encoded.put((byte) 126);
        encoded.putShort((short) fragment);
      } else {
        encoded.put((byte) 127);
        encoded.putLong(fragment);
      }
      payload.getBytes(from, encoded.limit(encoded.position() + fragment));
      encoded.limit(encoded.capacity());
      from += fragment;
    }
    encoded.flip();
    return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(encoded));
  }

  /** The payload length of fragment {@code i} of a message of {@code length} bytes. */
  private static int fragment(int length, int maxFrameSize, int i) {
    return Math.min(maxFrameSize, length - i * maxFrameSize);
  }

  private static int headerSize(int payload) {
    return payload < 126 ? 2 : payload <= 0xFFFF ? 4 : 10;
  }
}
