package roombus.bridge;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import roombus.HubConfig;
import roombus.chat.PostLimiter;
import roombus.guard.Guards;
import roombus.identity.Sessions;
import roombus.identity.Tokens;
import roombus.ops.NodeStatus;

/**
 * The TCP face of the event-bus bridge, on {@code TCP_BRIDGE_PORT}: the stock Vert.x TCP bridge's
 * wire format, with the same {@link BridgeConnection} rules as the SockJS bridge (permissions, room
 * admission, posting), the clients bound to sessions by token. Deployed once per core like the HTTP
 * verticle; every instance shares the node's {@link Fanout}, sessions, posting limits and {@link
 * Guards}.
 */
public final class TcpBridgeVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(TcpBridgeVerticle.class);

  private final HubConfig config;
  private final Fanout fanout;
  private final PostLimiter postLimiter;
  private final Guards guards;
  private BridgeHub hub;
  private Tokens tokens;

  public TcpBridgeVerticle(
      HubConfig config, Fanout fanout, PostLimiter postLimiter, Guards guards) {
    this.config = config;
    this.fanout = fanout;
    this.postLimiter = postLimiter;
    this.guards = guards;
  }

  @Override
  public Future<?> start() {
    hub = new BridgeHub(vertx, config, fanout, Sessions.store(vertx), postLimiter, guards);
    tokens = new Tokens(vertx, config.tokenTtl());
    return vertx
        .createNetServer(new NetServerOptions().setTcpNoDelay(true))
        .connectHandler(this::connected)
        .listen(config.tcpBridgePort())
        .onSuccess(server -> log.debug("TCP bridge verticle listening on {}", server.actualPort()));
  }

  private void connected(NetSocket socket) {
    if (NodeStatus.of(vertx).draining()) {
      socket.close(); // a node going away takes no new connection
      return;
    }
    TcpClientLink link = new TcpClientLink(socket, tokens, hub.sessions());
    link.attach(hub.open(link, null, null));
  }
}
