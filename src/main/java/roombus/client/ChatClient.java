package roombus.client;

import static roombus.client.TerminalLines.clean;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import roombus.busclient.BusAddresses;
import roombus.busclient.BusError;
import roombus.busclient.HubHttp;
import roombus.busclient.HubHttpException;

/**
 * {@code java -jar roombus.jar client [options]}: a terminal chat over the hub's bridge. It starts
 * a session over HTTP, lists the rooms, enters (or creates) one, connects to the raw event-bus
 * websocket with the session cookie (or to the TCP bridge with a token), registers on the room
 * asking for what it missed since the history it printed, prints every message as a line, and sends
 * every line of its input as a chat, one at a time, each acknowledged before the next. End of input
 * leaves the room.
 *
 * <p>Everything runs on one Vert.x context; only the blocking read of the input has a thread of its
 * own. The hub is reached through {@code roombus.busclient} only, as any outside program would.
 */
public final class ChatClient {

  private static final long ECHO_WITHIN_MS = 2_000;

  private final Vertx vertx;
  private final Context context;
  private final ClientOptions options;
  private final HubHttp api;
  private final InputStream in;
  private final PrintStream out;
  private final Promise<Integer> done = Promise.promise();
  private final LineOutbox outbox = new LineOutbox(this::send, this::notSent, this::leave);
  private RoomLink link;
  private String me;

  /**
   * Input ended and every line is acknowledged: waiting to show the room's copy of the last one.
   */
  private boolean draining;

  private boolean leaving;
  private long lastShown;

  private ChatClient(Vertx vertx, ClientOptions options, InputStream in, PrintStream out) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.options = options;
    this.api = HubHttp.create(vertx, options.hub());
    this.in = in;
    this.out = out;
    done.future().onComplete(r -> outbox.close());
  }

  public static void main(String[] args) {
    System.exit(run(args, System.in, System.out, System.err));
  }

  /** Runs the client to its end and answers the exit code: 0 done, 1 failed, 2 bad command line. */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    ClientOptions options;
    try {
      options = ClientOptions.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("roombus client: " + e.getMessage());
      err.println(ClientOptions.USAGE);
      return 2;
    }
    if (options.help()) {
      out.println(ClientOptions.USAGE);
      return 0;
    }
    Vertx vertx = Vertx.vertx();
    try {
      ChatClient client = new ChatClient(vertx, options, in, out);
      CompletableFuture<Integer> code = new CompletableFuture<>();
      client.context.runOnContext(
          v ->
              client
                  .start()
                  .onComplete(
                      result -> {
                        if (result.succeeded()) {
                          code.complete(result.result());
                        } else {
                          Throwable failure = result.cause();
                          boolean plain =
                              failure instanceof ClientError
                                  || failure instanceof HubHttpException
                                  || failure instanceof BusError
                                  || failure instanceof java.net.ConnectException;
                          err.println(
                              "roombus client: "
                                  + (plain ? "" : failure.getClass().getSimpleName() + ": ")
                                  + failure.getMessage());
                          code.complete(1);
                        }
                      }));
      return code.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } catch (ExecutionException e) {
      return 1;
    } finally {
      out.flush();
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // leaving anyway
      }
    }
  }

  // ---- the session: HTTP, then the bridge ------------------------------------------------------

  private Future<Integer> start() {
    return api.me()
        .compose(
            identity -> {
              me = identity.getString("user");
              return api.rooms();
            })
        .compose(
            rooms -> {
              if (options.list()) {
                TerminalLines.rooms(rooms).forEach(this::say);
                return Future.succeededFuture(0);
              }
              return room(rooms).compose(this::connect).compose(v -> done.future());
            })
        .eventually(this::shutDown);
  }

  /** Enters the chosen room (or creates it) and prints its recent history: the last seq printed. */
  private Future<Long> room(JsonArray rooms) {
    if (options.create() != null) {
      return api.createRoom(options.create(), null, options.password())
          .map(
              room -> {
                link = linkTo(room);
                say(TerminalLines.created(room));
                return 0L;
              });
    }
    return api.enter(options.room(), options.password())
        .map(
            entered -> {
              JsonObject room = entered.getJsonObject("room");
              link = linkTo(room);
              say(TerminalLines.entering(room));
              long last = 0;
              for (Object chat : entered.getJsonArray("chats")) {
                JsonObject message = (JsonObject) chat;
                print(message);
                last = Math.max(last, message.getLong("seq", 0L));
              }
              return last;
            });
  }

  private RoomLink linkTo(JsonObject room) {
    String address = BusAddresses.room(room.getString("id"));
    return new RoomLink(
        vertx, options, api, address, this::print, this::say, outbox, done, () -> lastShown);
  }

  /**
   * Connects, registers on the room with catch-up from {@code since}, and waits for the welcome.
   */
  private Future<Void> connect(long since) {
    return link.join(since).onSuccess(v -> readInput());
  }

  /** One line of output per event of the room. */
  private void print(JsonObject event) {
    say(TerminalLines.event(event, options.url()));
    react(event);
    lastShown = Math.max(lastShown, event.getLong("seq", 0L));
    if (draining && lastShown >= outbox.lastAcknowledged()) depart();
  }

  /** What an event does besides its line: the end of the chat. */
  private void react(JsonObject event) {
    switch (event.getString("type", "")) {
      case "removed" -> done.tryComplete(0);
      case "kick" -> {
        if (me.equals(event.getString("user"))) done.tryComplete(1);
      }
      default -> {}
    }
  }

  // ---- input: one chat per line, each acknowledged before the next -----------------------------

  private void readInput() {
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  String chat = line;
                  context.runOnContext(v -> outbox.add(chat));
                }
              } catch (IOException e) {
                // a broken input ends like a closed one
              }
              context.runOnContext(v -> outbox.end());
            },
            "roombus-client-input");
    reader.setDaemon(true);
    reader.start();
  }

  private Future<Long> send(String chat) {
    return link.send(chat);
  }

  private void notSent(Throwable failure) {
    if (failure instanceof BusError error && BusError.TIMEOUT.equals(error.failureType())) {
      say("! no acknowledgement from the hub for a line; going on");
    } else {
      say("! not sent: " + clean(failure.getMessage()));
    }
  }

  /**
   * Input is done and acknowledged; leaves once the room has shown the last line sent (or soon
   * anyway).
   */
  private void leave() {
    draining = true;
    if (lastShown >= outbox.lastAcknowledged()) {
      depart();
    } else {
      vertx.setTimer(ECHO_WITHIN_MS, id -> depart());
    }
  }

  private void depart() {
    if (leaving) return;
    leaving = true;
    link.leave();
    done.tryComplete(0);
  }

  private Future<Void> shutDown() {
    leaving = true;
    Future<Void> closed = link == null ? Future.succeededFuture() : link.close();
    return closed.eventually(api::close);
  }

  // ---- output ----------------------------------------------------------------------------------

  private void say(String line) {
    out.println(line);
    out.flush();
  }

  /** A failure to show the user as it is, without a stack trace. */
  static final class ClientError extends RuntimeException {
    ClientError(String message) {
      super(message, null, false, false);
    }
  }
}
