package roombus.store;

import com.mongodb.MongoClientSettings;
import com.mongodb.connection.TransportSettings;
import io.netty.channel.epoll.EpollSocketChannel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.impl.config.MongoClientOptionsParser;
import java.util.UUID;

/**
 * The repositories over one MongoDB database, through {@code vertx-mongo-client} only: a real
 * MongoDB ({@code MONGO_URI}) or the embedded engine, which this code cannot tell apart.
 */
final class MongoStores {

  static final String DATABASE = "roombus";

  final MongoClient mongo;
  final MongoRoomRepository rooms;
  final MongoPresenceRepository presence;
  final MongoChatLog chats;
  final MongoSessionRepository sessions;
  final MongoGifRepository gifs;

  private final Vertx vertx;

  private MongoStores(Vertx vertx, MongoClient mongo, MongoGifRepository gifs) {
    this.vertx = vertx;
    this.mongo = mongo;
    Seats seats = new Seats(mongo);
    this.rooms = new MongoRoomRepository(mongo, seats);
    this.presence = new MongoPresenceRepository(mongo, seats);
    this.gifs = gifs;
    this.chats = new MongoChatLog(vertx, mongo, gifs);
    this.sessions = new MongoSessionRepository(vertx, mongo);
  }

  static Future<MongoStores> open(Vertx vertx, String connectionString) {
    JsonObject config =
        new JsonObject()
            .put("connection_string", connectionString)
            .put("db_name", DATABASE)
            // acknowledged means on disk (journaled) on a real MongoDB
            .put("writeConcern", "JOURNALED")
            .put("serverSelectionTimeoutMS", 10_000);
    MongoClient mongo = client(vertx, config);
    return Schema.ensureIndexes(mongo)
        .compose(v -> mongo.createGridFsBucketService(Schema.GIF_BUCKET))
        .map(gridFs -> new MongoStores(vertx, mongo, new MongoGifRepository(vertx, gridFs)))
        // the node tries again with a new client: this one is closed before the attempt ends,
        // so that none is left behind (its monitor would go on using the node's event loops)
        .recover(err -> close(vertx, mongo).transform(closed -> Future.failedFuture(err)));
  }

  /**
   * The client, with the MongoDB driver's socket on the node's own event loops. vertx-mongo-client
   * does that itself under Vert.x's NIO transport only; under epoll it leaves the driver a group of
   * NIO threads of its own, and every reply then crosses from one of them to the event loop that
   * asked. Here the settings are the ones vertx-mongo-client makes from the same configuration (its
   * own parser: codecs, write concern, what {@code MONGO_URI} says), with the node's epoll loops
   * and channel type as the driver's transport: on one loop a reply is read where it is awaited (a
   * sixth less CPU per delivery at 10k/s, docs/performance.md, twentieth session). The parser is a
   * class of vertx-mongo-client's {@code impl} package and the loop group comes from Vert.x's
   * internal API: both are pinned by the BOM's version, and {@code StoreClientThreadsTest} fails if
   * this stops working.
   */
  private static MongoClient client(Vertx vertx, JsonObject config) {
    if (!vertx.isNativeTransportEnabled()) return MongoClient.create(vertx, config);
    MongoClientSettings parsed = new MongoClientOptionsParser(vertx, config).settings();
    MongoClientSettings onNodeLoops =
        MongoClientSettings.builder(parsed)
            .transportSettings(
                TransportSettings.nettyBuilder()
                    .eventLoopGroup(((VertxInternal) vertx).nettyEventLoopGroup())
                    .socketChannelClass(EpollSocketChannel.class)
                    .build())
            .build();
    return MongoClient.createWithMongoSettings(
        vertx, config, UUID.randomUUID().toString(), onNodeLoops);
  }

  Future<Void> close() {
    return close(vertx, mongo);
  }

  /**
   * Closes the client and completes once the driver's client is closed. vertx-mongo-client closes
   * it in a blocking task of the calling context that it does not wait for: if the node stopped its
   * worker pool before that task ran, the driver's monitor threads would live on, using event loops
   * that are gone. A blocking task queued after it on the same context (ordered, as blocking tasks
   * of a context are) completes only once it has run.
   */
  private static Future<Void> close(Vertx vertx, MongoClient mongo) {
    return mongo.close().compose(v -> vertx.executeBlocking(() -> null)).mapEmpty();
  }
}
