package roombus.embedded;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractSynchronizedMongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.netty.channel.Channel;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.LongDataType;

import java.util.List;

/**
 * One database: for each collection an H2 map {@code docs:<db>.<collection>} of its documents and a map
 * {@code index:<db>.<collection>$<index>} per index ({@code $} cannot occur in a collection name, so
 * the name of one collection's maps never begins another's). mongo-java-server keeps the list of
 * collections and index descriptions in the database's {@code system.*} collections, which are stored
 * the same way.
 */
final class EmbeddedDatabase extends AbstractSynchronizedMongoDatabase<Long> {

  static final String DOCUMENTS = "docs:";
  private static final String INDEX = "index:";

  private final MVStore store;
  private final MVMap<String, String> meta;

  EmbeddedDatabase(String name, MVStore store, MVMap<String, String> meta, CursorRegistry cursors) {
    super(name, cursors);
    this.store = store;
    this.meta = meta;
    initializeNamespacesAndIndexes();
  }

  /**
   * Inserts as MongoDB answers them: ordered unless the command says otherwise, and {@code n} counting
   * the documents actually inserted (mongo-java-server defaults to unordered and reports every document
   * of the command as inserted, even those refused with a write error).
   */
  @Override
  public Document handleCommand(Channel channel, String command, Document query, DatabaseResolver databases, Oplog oplog) {
    if (!command.equalsIgnoreCase("insert")) return super.handleCommand(channel, command, query, databases, oplog);
    query.putIfAbsent("ordered", Boolean.TRUE);
    Document result = super.handleCommand(channel, command, query, databases, oplog);
    if (result.get("writeErrors") instanceof List<?> errors && !errors.isEmpty()) {
      int sent = ((List<?>) query.get("documents")).size();
      int firstRefused = ((Number) ((Document) errors.get(0)).get("index")).intValue();
      result.put("n", Utils.isTrue(query.get("ordered")) ? firstRefused : sent - errors.size());
    }
    return result;
  }

  @Override
  protected MongoCollection<Long> openOrCreateCollection(String collection, CollectionOptions options) {
    MVMap<Long, byte[]> documents = store.openMap(DOCUMENTS + getFullCollectionNamespace(collection),
        new MVMap.Builder<Long, byte[]>().keyType(LongDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE));
    return new EmbeddedCollection(this, collection, options, documents, cursorRegistry);
  }

  @Override
  protected Index<Long> openOrCreateUniqueIndex(String collection, String index, List<IndexKey> keys, boolean sparse) {
    return new UniqueIndex(index, keys, sparse, entries(collection, index));
  }

  @Override
  protected Index<Long> openOrCreateSecondaryIndex(String collection, String index, List<IndexKey> keys, boolean sparse) {
    return new SecondaryIndex(index, keys, sparse, entries(collection, index));
  }

  private IndexEntries entries(String collection, String index) {
    MVMap<KeyValue, Long> map = store.openMap(indexMap(getFullCollectionNamespace(collection), index),
        new MVMap.Builder<KeyValue, Long>().keyType(KeyType.INSTANCE).valueType(LongDataType.INSTANCE));
    return new IndexEntries(map, meta);
  }

  private static String indexMap(String fullCollectionName, String index) {
    return INDEX + fullCollectionName + "$" + index;
  }

  @Override
  protected void dropIndex(MongoCollection<Long> collection, String index) {
    super.dropIndex(collection, index);
    removeMaps(indexMap(collection.getFullName(), index));
  }

  @Override
  public void dropCollection(String collection, Oplog oplog) {
    super.dropCollection(collection, oplog);
    String fullName = getFullCollectionNamespace(collection);
    store.removeMap(DOCUMENTS + fullName);
    removeMaps(indexMap(fullName, ""));
  }

  @Override
  public void drop(Oplog oplog) {
    super.drop(oplog);
    removeMaps(DOCUMENTS + databaseName + ".");
    removeMaps(INDEX + databaseName + ".");
  }

  /** Removes the maps whose names begin with {@code prefix}. */
  private void removeMaps(String prefix) {
    for (String name : List.copyOf(store.getMapNames())) {
      if (name.startsWith(prefix)) store.removeMap(name);
    }
  }

  @Override
  public void moveCollection(MongoDatabase oldDatabase, MongoCollection<?> collection, String newName) {
    String oldFullName = collection.getFullName();
    super.moveCollection(oldDatabase, collection, newName);
    String newFullName = getFullCollectionNamespace(newName);
    store.renameMap(store.openMap(DOCUMENTS + oldFullName), DOCUMENTS + newFullName);
    String oldIndexes = indexMap(oldFullName, "");
    String newIndexes = indexMap(newFullName, "");
    for (String name : List.copyOf(store.getMapNames())) {
      if (name.startsWith(oldIndexes)) store.renameMap(store.openMap(name), newIndexes + name.substring(oldIndexes.length()));
    }
  }

  @Override
  protected long getStorageSize() {
    FileStore<?> file = store.getFileStore();
    return file == null ? 0 : file.size();
  }

  @Override
  protected long getFileSize() {
    return getStorageSize();
  }
}
