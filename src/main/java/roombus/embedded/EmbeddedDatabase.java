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
import java.util.List;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.LongDataType;

/**
 * One database: for each collection an H2 map {@code docs:<db>.<collection>} of its documents and a
 * map {@code index:<db>.<collection>$<index>} per index ({@code $} cannot occur in a collection
 * name, so the name of one collection's maps never begins another's). mongo-java-server keeps the
 * list of collections and index descriptions in the database's {@code system.*} collections, which
 * are stored the same way.
 */
final class EmbeddedDatabase extends AbstractSynchronizedMongoDatabase<Long> {

  static final String DOCUMENTS = "docs:";
  private static final String INDEX = "index:";
  private static final Document COUNT =
      new Document("$group", new Document("_id", 1).append("n", new Document("$sum", 1)));

  private final MVStore store;
  private final MVMap<String, String> meta;

  EmbeddedDatabase(String name, MVStore store, MVMap<String, String> meta, CursorRegistry cursors) {
    super(name, cursors);
    this.store = store;
    this.meta = meta;
    initializeNamespacesAndIndexes();
  }

  @Override
  public Document handleCommand(
      Channel channel, String command, Document query, DatabaseResolver databases, Oplog oplog) {
    if (command.equalsIgnoreCase("insert"))
      return insert(channel, command, query, databases, oplog);
    if (command.equalsIgnoreCase("aggregate")) {
      Document counted = countDocuments(query);
      if (counted != null) return counted;
    }
    return super.handleCommand(channel, command, query, databases, oplog);
  }

  /**
   * Inserts as MongoDB answers them: ordered unless the command says otherwise, and {@code n}
   * counting the documents actually inserted (mongo-java-server defaults to unordered and reports
   * every document of the command as inserted, even those refused with a write error).
   */
  private Document insert(
      Channel channel, String command, Document query, DatabaseResolver databases, Oplog oplog) {
    query.putIfAbsent("ordered", Boolean.TRUE);
    Document result = super.handleCommand(channel, command, query, databases, oplog);
    if (result.get("writeErrors") instanceof List<?> errors && !errors.isEmpty()) {
      int sent = ((List<?>) query.get("documents")).size();
      int firstRefused = ((Number) ((Document) errors.get(0)).get("index")).intValue();
      result.put("n", Utils.isTrue(query.get("ordered")) ? firstRefused : sent - errors.size());
    }
    return result;
  }

  /**
   * The driver's {@code countDocuments}, the aggregation {@code [$match, $skip?, $limit?, $group
   * {_id: 1, n: {$sum: 1}}]}, which mongo-java-server runs over a scan of the whole collection:
   * answered with the collection's count of the {@code $match} query instead, which uses the
   * indexes as a find does. Null for any other aggregation.
   */
  private Document countDocuments(Document query) {
    if (!(query.get("pipeline") instanceof List<?> stages)
        || stages.size() < 2
        || !COUNT.equals(stages.get(stages.size() - 1))
        || !(stages.get(0) instanceof Document first)
        || first.size() != 1
        || !(first.get("$match") instanceof Document match)) {
      return null;
    }
    int skip = 0;
    int limit = 0;
    for (Object stage : stages.subList(1, stages.size() - 1)) {
      if (!(stage instanceof Document d) || d.size() != 1) return null;
      if (d.get("$skip") instanceof Number n && limit == 0) skip = n.intValue();
      else if (d.get("$limit") instanceof Number n) limit = n.intValue();
      else return null;
    }
    String name = query.get("aggregate").toString();
    MongoCollection<Long> collection = resolveCollection(name, false);
    int count = collection == null ? 0 : collection.count(match, skip, limit);
    List<Document> batch =
        count == 0 ? List.of() : List.of(new Document("_id", 1).append("n", count));
    Document cursor =
        new Document("id", 0L)
            .append("ns", getFullCollectionNamespace(name))
            .append("firstBatch", batch);
    Document response = new Document("cursor", cursor);
    Utils.markOkay(response);
    return response;
  }

  @Override
  protected MongoCollection<Long> openOrCreateCollection(
      String collection, CollectionOptions options) {
    MVMap<Long, byte[]> documents =
        store.openMap(
            DOCUMENTS + getFullCollectionNamespace(collection),
            new MVMap.Builder<Long, byte[]>()
                .keyType(LongDataType.INSTANCE)
                .valueType(ByteArrayDataType.INSTANCE));
    return new EmbeddedCollection(this, collection, options, documents, cursorRegistry);
  }

  @Override
  protected Index<Long> openOrCreateUniqueIndex(
      String collection, String index, List<IndexKey> keys, boolean sparse) {
    return new UniqueIndex(index, keys, sparse, entries(collection, index));
  }

  @Override
  protected Index<Long> openOrCreateSecondaryIndex(
      String collection, String index, List<IndexKey> keys, boolean sparse) {
    return new SecondaryIndex(index, keys, sparse, entries(collection, index));
  }

  private IndexEntries entries(String collection, String index) {
    MVMap<KeyValue, Long> map =
        store.openMap(
            indexMap(getFullCollectionNamespace(collection), index),
            new MVMap.Builder<KeyValue, Long>()
                .keyType(KeyType.INSTANCE)
                .valueType(LongDataType.INSTANCE));
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
  public void moveCollection(
      MongoDatabase oldDatabase, MongoCollection<?> collection, String newName) {
    String oldFullName = collection.getFullName();
    super.moveCollection(oldDatabase, collection, newName);
    String newFullName = getFullCollectionNamespace(newName);
    store.renameMap(store.openMap(DOCUMENTS + oldFullName), DOCUMENTS + newFullName);
    String oldIndexes = indexMap(oldFullName, "");
    String newIndexes = indexMap(newFullName, "");
    for (String name : List.copyOf(store.getMapNames())) {
      if (name.startsWith(oldIndexes))
        store.renameMap(store.openMap(name), newIndexes + name.substring(oldIndexes.length()));
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
