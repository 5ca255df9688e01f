package roombus.bench;

import io.vertx.core.Future;

/**
 * One simulated socket, whatever server it talks to: it connects and joins its user's room, posts
 * chat lines ({@link ChatLine}) and reports each one it receives to the run. A link belongs to one
 * event loop of the generator; {@link #post} and {@link #ping} are called there, {@link #connect}
 * and {@link #close} from any thread.
 */
interface BenchLink {

  BenchUser user();

  /** Connects, joins the room and completes once the server says the socket is in it. */
  Future<Void> connect();

  /** Sends one chat message stamped {@code now}; false when the write queue is full (not sent). */
  boolean post(long now);

  /** Keeps a silent socket open where the server wants the client to speak first. */
  void ping();

  /** In its room and open. */
  boolean live();

  /** The step of connecting under way, for a set-up that does not end: "live" once in its room. */
  String step();

  /** Microseconds from the socket's connect to the server's word that it is in the room. */
  long connectMicros();

  Future<Void> close();
}
