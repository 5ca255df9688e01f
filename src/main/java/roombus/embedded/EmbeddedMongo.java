package roombus.embedded;

import de.bwaldvogel.mongo.MongoServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default store: a MongoDB-wire-compatible server (mongo-java-server's protocol and
 * command handling over this package's backend) keeping its data in one H2 file in the data folder.
 * The hub talks to it with the same {@code vertx-mongo-client} code, over a real socket, as to
 * MongoDB.
 */
public final class EmbeddedMongo implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedMongo.class);

  /** The journal of the writes not yet committed to {@code roombus.mv} ({@link Journal}). */
  static final String JOURNAL = "roombus.journal";

  private final MongoServer server;
  private final EmbeddedBackend backend;
  private final InetSocketAddress address;

  private EmbeddedMongo(MongoServer server, EmbeddedBackend backend, InetSocketAddress address) {
    this.server = server;
    this.backend = backend;
    this.address = address;
  }

  /**
   * Opens (or creates) {@code dataDir/roombus.mv}, runs again the writes its journal ({@code
   * roombus.journal}) holds beyond the file's last checkpoint, and listens on {@code host:port}
   * (port 0: any free port). Refuses a file written in another format. Blocking start-up work: call
   * it before the event loops are busy.
   */
  public static EmbeddedMongo start(Path dataDir, String host, int port) throws IOException {
    return start(dataDir, host, port, EmbeddedBackend.CHECKPOINT_EVERY_MS);
  }

  /** As {@link #start(Path, String, int)}, committing the file every {@code checkpointEveryMs}. */
  static EmbeddedMongo start(Path dataDir, String host, int port, long checkpointEveryMs)
      throws IOException {
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve("roombus.mv");
    MVStore store = StoreFile.open(file);
    EmbeddedBackend backend;
    Journal journal = null;
    try {
      journal = Journal.open(dataDir.resolve(JOURNAL));
      backend = new EmbeddedBackend(store, journal, checkpointEveryMs);
    } catch (IOException | RuntimeException e) {
      store.closeImmediately(); // writes nothing to a file it could not read
      if (journal != null) journal.close();
      throw new IOException("Cannot open the embedded store " + file + ": " + e.getMessage(), e);
    }
    MongoServer server = new MongoServer(backend);
    try {
      server.bind(host, port); // closes the backend if it fails
    } catch (RuntimeException e) {
      throw new IOException(
          "The embedded store cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    InetSocketAddress address = server.getLocalAddress();
    log.info(
        "Embedded store {} ({}) listening on {}:{}",
        file,
        StoreFile.FORMAT,
        address.getHostString(),
        address.getPort());
    return new EmbeddedMongo(server, backend, address);
  }

  public String connectionString() {
    return "mongodb://" + address.getHostString() + ":" + address.getPort();
  }

  /** Stops listening, commits everything and closes the file. */
  @Override
  public void close() {
    server.shutdown();
  }

  EmbeddedBackend backend() {
    return backend;
  }
}
