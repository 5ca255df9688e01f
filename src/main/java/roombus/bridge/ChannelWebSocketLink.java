package roombus.bridge;

import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.internal.ContextInternal;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The raw websocket at {@code /eventbus/websocket} as a link on the socket's own channel. Vert.x
 * makes the upgrade (the handshake, the frame decoder and encoder in the channel's pipeline); this
 * handler then takes the place of Vert.x's websocket in the pipeline ({@link #takeOver}) and serves
 * the stock raw transport's frames itself: text or binary messages in, each a whole bridge frame,
 * binary messages out, pings answered, the close handshake with a timeout.
 *
 * <p>Why: Vert.x gives every websocket a connection object with a write queue of 1,024 slots
 * allocated up front, and keeps the upgrade's request, response and routing context reachable from
 * it for the socket's life, about 9 KB of heap per idle socket in all; written frames each get a
 * frame object, a promise and a copy. Here an idle socket is its channel, the frame codec and this
 * handler, and a delivered frame is the bytes {@link SharedWebSocketFrames} encoded once for all of
 * a room's sockets (docs/performance.md, "The raw websocket on its own channel").
 *
 * <p>Frames reach the bridge on the Vert.x context of the upgrade, as Vert.x's own handlers would.
 * Writes are made on the channel's event loop, where the bridge runs; a write from another thread
 * is handed to the loop, and every write after it too until it has gone, so that frames keep their
 * order.
 */
final class ChannelWebSocketLink extends ChannelInboundHandlerAdapter implements ClientLink {

  private static final Logger log = LoggerFactory.getLogger(ChannelWebSocketLink.class);

  /** How long a close waits for the client's close frame before the connection is cut. */
  private static final long CLOSING_TIMEOUT_MS =
      TimeUnit.SECONDS.toMillis(HttpServerOptions.DEFAULT_WEBSOCKET_CLOSING_TIMEOUT);

  private final ContextInternal context;
  private final int maxFrameSize;
  private ChannelHandlerContext channel;

  private Handler<Buffer> frames = frame -> {};
  private Handler<Void> closed;

  /** Our close frame is written: nothing more is, and the client's close ends the connection. */
  private boolean closeSent;

  private ScheduledFuture<?> closingTimeout;

  /** Writes handed to the event loop from other threads and not made yet. */
  private int handedToLoop;

  private ChannelWebSocketLink(ContextInternal context, int maxFrameSize) {
    this.context = context;
    this.maxFrameSize = maxFrameSize;
  }

  /**
   * Puts a link in the place of Vert.x's websocket handler in {@code vertxHandler}'s pipeline, on
   * that channel's event loop, and answers it. Vert.x's websocket is dropped with its handler: it
   * reads nothing more and is never written to.
   */
  static ChannelWebSocketLink takeOver(
      ChannelHandlerContext vertxHandler, ContextInternal context, int maxMessageSize) {
    ChannelWebSocketLink link = new ChannelWebSocketLink(context, maxMessageSize);
    ChannelPipeline pipeline = vertxHandler.pipeline();
    pipeline.replace(vertxHandler.handler(), "roombus-websocket", link);
    // continuation frames joined into whole messages, up to the same size as Vert.x allowed
    pipeline.addBefore(
        "roombus-websocket", "roombus-aggregator", new WebSocketFrameAggregator(maxMessageSize));
    // Vert.x pauses a websocket until its handlers are set
    pipeline.channel().config().setAutoRead(true);
    return link;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.channel = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
        if (closeSent) return;
        Buffer frame = Buffer.buffer(ByteBufUtil.getBytes(((ByteBufHolder) msg).content()));
        context.emit(frame, frames);
      } else if (msg instanceof PingWebSocketFrame ping) {
        if (!closeSent) ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
      } else if (msg instanceof CloseWebSocketFrame close) {
        if (closeSent) ctx.close();
        else {
          // the client closes: answer with its status, then end the connection
          closeSent = true;
          int status = close.statusCode();
          CloseWebSocketFrame answer =
              status < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(status, null);
          ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
        }
      }
      // pongs need no answer
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (closingTimeout != null) closingTimeout.cancel(false);
    Handler<Void> handler = closed;
    closed = null;
    if (handler != null) context.emit(null, handler);
  }

  /**
   * A frame the decoder refused (too long, malformed: it has already sent the close frame that says
   * why) or an I/O error: the connection ends.
   */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("raw websocket {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
    if (cause instanceof TooLongFrameException) {
      sendClose(WebSocketCloseStatus.MESSAGE_TOO_BIG.code(), "message too big");
    } else {
      ctx.close();
    }
  }

  @Override
  public BridgeFrames.Style style() {
    return BridgeFrames.Style.REC;
  }

  @Override
  public void frameHandler(Handler<Buffer> handler) {
    this.frames = handler;
  }

  @Override
  public void closeHandler(Handler<Void> handler) {
    this.closed = handler;
  }

  @Override
  public void write(Buffer frame) {
    if (handedToLoop == 0 && channel.executor().inEventLoop()) writeNow(frame);
    else onLoop(() -> writeNow(frame));
  }

  private void writeNow(Buffer frame) {
    if (closeSent || !channel.channel().isActive()) return; // dropped, as after Vert.x's close
    channel.writeAndFlush(
        SharedWebSocketFrames.encoded(frame, maxFrameSize).duplicate(), channel.voidPromise());
  }

  /** True once the channel's write buffer is above its high-water mark. */
  @Override
  public boolean writeQueueFull() {
    return !channel.channel().isWritable();
  }

  @Override
  public void closeSlow() {
    onLoop(() -> sendClose(4000, "too slow"));
  }

  @Override
  public void close() {
    onLoop(() -> sendClose(WebSocketCloseStatus.NORMAL_CLOSURE.code(), null));
  }

  /** The code goes first in an err frame, as on the other transports, then in the close frame. */
  @Override
  public void close(int code, String reason) {
    onLoop(
        () -> {
          write(BridgeFrames.closing(code, reason));
          sendClose(code, reason);
        });
  }

  /** Runs {@code action} on the channel's loop after the writes handed to it. */
  private void onLoop(Runnable action) {
    if (handedToLoop == 0 && channel.executor().inEventLoop()) action.run();
    else {
      handedToLoop++;
      channel
          .executor()
          .execute(
              () -> {
                handedToLoop--;
                action.run();
              });
    }
  }

  /**
   * Starts the close handshake: the close frame, then the connection cut when the client answers or
   * after the closing timeout, whichever comes first.
   */
  private void sendClose(int code, String reason) {
    if (closeSent || !channel.channel().isActive()) return;
    closeSent = true;
    channel.writeAndFlush(new CloseWebSocketFrame(code, reason), channel.voidPromise());
    closingTimeout =
        channel
            .executor()
            .schedule(() -> channel.close(), CLOSING_TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  @Override
  public String transport() {
    return "websocket";
  }
}
