package roombus.store;

import de.bwaldvogel.mongo.MongoServer;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The embedded default store: a MongoDB-wire-compatible server (mongo-java-server) over a durable H2
 * file in the data folder. The hub talks to it with the same {@code vertx-mongo-client} code, over a
 * real socket, as it would to MongoDB.
 */
public final class EmbeddedMongo implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedMongo.class);

  /**
   * Bytes after which a page of the store's trees splits (H2's default is 16 KiB). Every commit rewrites
   * each page it changed, whole; new messages land in pages all over the indexes, so smaller pages mean
   * less rewritten per stored message.
   */
  private static final int PAGE_SPLIT_SIZE = 4096;

  private static final String FORMAT_MAP = "roombus.format";
  private static final String FORMAT = "bson-1";

  private final MongoServer server;
  private final InetSocketAddress address;

  private EmbeddedMongo(MongoServer server, InetSocketAddress address) {
    this.server = server;
    this.address = address;
  }

  /**
   * Opens the store file under {@code dataDir} and listens on {@code host:port} (port 0: any free
   * port). This is blocking start-up work; call it before the event loops are busy.
   */
  public static EmbeddedMongo start(Path dataDir, String host, int port) throws IOException {
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve("roombus.mv");
    // not compressed: compressing every committed page cost more CPU than any other single step of storing a message
    MVStore store = new MVStore.Builder().fileName(file.toString()).pageSplitSize(PAGE_SPLIT_SIZE).open();
    checkFormat(store, file);
    MongoServer server = new MongoServer(new DurableH2Backend(store));
    server.bind(host, port);
    InetSocketAddress address = server.getLocalAddress();
    log.info("Embedded store {} listening on {}:{}", file, address.getHostString(), address.getPort());
    return new EmbeddedMongo(server, address);
  }

  /**
   * Files written before documents were stored as BSON ({@link BsonDataTypes}) hold Java-serialized
   * documents, which the BSON maps cannot read. Such a file is refused with a clear message rather than
   * misread; a new file is marked with the format it holds.
   */
  private static void checkFormat(MVStore store, Path file) throws IOException {
    MVMap<String, Object> meta = store.openMap(FORMAT_MAP);
    boolean hasData = store.getMapNames().stream().anyMatch(name -> name.startsWith(BsonH2Database.DATA_PREFIX));
    if (hasData && !FORMAT.equals(meta.get("documents"))) {
      store.close();
      throw new IOException(file + " was written by an earlier roombus (Java-serialized documents), which this"
          + " version cannot read: move it away or start with another DATA_DIR");
    }
    if (!hasData) {
      meta.put("documents", FORMAT);
      store.commit();
    }
  }

  public String connectionString() {
    return "mongodb://" + address.getHostString() + ":" + address.getPort();
  }

  public int port() {
    return address.getPort();
  }

  @Override
  public void close() {
    server.shutdown();
  }
}
