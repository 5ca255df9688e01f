/**
 * A client of a roombus hub: the event-bus bridge and the JSON API, as any program outside the hub
 * speaks them. The command-line client ({@code roombus.client}) and the load tool ({@code
 * roombus.bench}) are built on it, and so are the tests' bridge clients.
 *
 * <ul>
 *   <li>{@link roombus.busclient.BusClient}: bridge frames over a {@link
 *       roombus.busclient.BusTransport}: the raw websocket {@code /eventbus/websocket} ({@link
 *       roombus.busclient.WebSocketTransport}), SockJS xhr-polling ({@link
 *       roombus.busclient.XhrPollingTransport}) or the TCP bridge ({@link
 *       roombus.busclient.TcpTransport}).
 *   <li>{@link roombus.busclient.HubHttp}: the JSON API with the session cookie ({@code /api/me},
 *       rooms, entering, {@code /api/token}).
 *   <li>{@link roombus.busclient.BusAddresses} and {@link roombus.busclient.BusHeaders}: the public
 *       addresses and headers of the protocol ({@code docs/protocol.md}).
 * </ul>
 *
 * It depends on Vert.x only, never on the hub's own packages: it is what a third party could write
 * from the protocol document.
 */
package roombus.busclient;
