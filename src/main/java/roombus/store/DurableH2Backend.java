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
 *
 * <p>One exception, for throughput: a room's message counter bump ({@code findAndModify} whose update
 * is only {@code $inc} of {@code seq}, see {@link MongoStore#append}) is not committed on its own. The
 * numbers it hands out are used only by the insert that follows, and that insert is committed before it
 * is acknowledged, together with every change made before it, the bump included. If the process dies in
 * between, the bump is lost with the messages that would have used it, and none of them was
 * acknowledged: no stored message is lost and no acknowledged number is reused.
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
      if (!isCounterBump(command, query)) commit();
    }
  }

  static boolean isCounterBump(String command, Document query) {
    if (!"findAndModify".equalsIgnoreCase(command)) return false;
    if (!(query.get("update") instanceof Document update) || update.size() != 1) return false;
    return update.get("$inc") instanceof Document inc && inc.size() == 1 && inc.containsKey("seq");
  }
}
