package roombus.store;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractSynchronizedMongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import java.util.List;

/**
 * One database of the embedded store, as mongo-java-server's {@code H2Database} lays it out (a data map
 * and a meta map per collection, a map per unique index, same names), but with typed maps: documents
 * and keys are written as BSON and compared in MongoDB's order ({@link BsonDataTypes}) instead of going
 * through Java serialization.
 */
final class BsonH2Database extends AbstractSynchronizedMongoDatabase<Object> {

  static final String DATA_PREFIX = "databases.";
  private static final String META_PREFIX = "meta.";

  private final MVStore store;

  BsonH2Database(String name, MVStore store, CursorRegistry cursors) {
    super(name, cursors);
    this.store = store;
    initializeNamespacesAndIndexes();
  }

  private MVMap<Object, Document> dataMap(String fullName) {
    return store.openMap(DATA_PREFIX + fullName,
        new MVMap.Builder<Object, Document>().keyType(BsonDataTypes.IDS).valueType(BsonDataTypes.DOCUMENTS));
  }

  private MVMap<String, Object> metaMap(String fullName) {
    return store.openMap(META_PREFIX + fullName);
  }

  private String indexMapName(String collection, String index) {
    return getFullCollectionNamespace(collection) + "._index_" + index;
  }

  @Override
  protected MongoCollection<Object> openOrCreateCollection(String collection, CollectionOptions options) {
    String fullName = getFullCollectionNamespace(collection);
    return new IdLookupCollection(this, collection, options, dataMap(fullName), metaMap(fullName), cursorRegistry);
  }

  @Override
  protected Index<Object> openOrCreateUniqueIndex(String collection, String index, List<IndexKey> keys, boolean sparse) {
    MVMap<KeyValue, Object> map = store.openMap(indexMapName(collection, index),
        new MVMap.Builder<KeyValue, Object>().keyType(BsonDataTypes.INDEX_KEYS).valueType(BsonDataTypes.IDS));
    return new BsonUniqueIndex(map, index, keys, sparse);
  }

  @Override
  protected void dropIndex(MongoCollection<Object> collection, String index) {
    super.dropIndex(collection, index);
    store.removeMap(indexMapName(collection.getCollectionName(), index));
  }

  @Override
  public void dropCollection(String collection, Oplog oplog) {
    super.dropCollection(collection, oplog);
    String fullName = getFullCollectionNamespace(collection);
    store.removeMap(DATA_PREFIX + fullName);
    store.removeMap(META_PREFIX + fullName);
  }

  @Override
  public void drop(Oplog oplog) {
    super.drop(oplog);
    for (String map : List.copyOf(store.getMapNames())) {
      if (map.startsWith(databaseName + ".") || map.startsWith(DATA_PREFIX + databaseName + ".")
          || map.startsWith(META_PREFIX + databaseName + ".")) {
        store.removeMap(map);
      }
    }
  }

  @Override
  public void moveCollection(MongoDatabase oldDatabase, MongoCollection<?> collection, String newName) {
    super.moveCollection(oldDatabase, collection, newName);
    String oldFullName = collection.getFullName();
    String newFullName = getFullCollectionNamespace(newName);
    store.renameMap(dataMap(oldFullName), DATA_PREFIX + newFullName);
    store.renameMap(metaMap(oldFullName), META_PREFIX + newFullName);
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
