package roombus.store;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import org.h2.mvstore.MVStore;

/**
 * The H2 backend of mongo-java-server commits to its file in the background, about once a second, so a
 * {@code kill -9} loses writes that were already acknowledged. This backend commits before it answers
 * each command: when the client sees the acknowledgement, the write is in the file (in the operating
 * system's page cache; a crash of the process cannot lose it). Reads cost nothing extra: committing a
 * store without changes does nothing.
 */
final class DurableH2Backend extends H2Backend {

  DurableH2Backend(MVStore store) {
    super(store);
  }

  /** Databases whose documents and keys are stored as BSON, see {@link BsonH2Database}. */
  @Override
  protected MongoDatabase openOrCreateDatabase(String databaseName) {
    return new BsonH2Database(databaseName, getMvStore(), getCursorRegistry());
  }

  @Override
  public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
    try {
      return super.handleCommand(channel, databaseName, command, query);
    } finally {
      commit();
    }
  }
}
