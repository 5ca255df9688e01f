package roombus.embedded;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.DuplicateKeyError;
import java.util.List;
import java.util.Map;

/**
 * A unique index (the {@code _id} index of every collection, and any index created unique): key to
 * the one document position holding it. mongo-java-server's {@link AbstractUniqueIndex} does the
 * checks and raises E11000 on a duplicate; this class keeps the entries, and takes the common
 * document ({@link ScalarKeys}) with one lookup to check it and one insert to add it.
 */
final class UniqueIndex extends AbstractUniqueIndex<Long> implements ScannableIndex {

  private final IndexEntries entries;
  private final ScalarKeys scalarKeys;

  UniqueIndex(String name, List<IndexKey> keys, boolean sparse, IndexEntries entries) {
    super(name, keys, sparse);
    this.entries = entries;
    this.scalarKeys = ScalarKeys.of(keys());
  }

  @Override
  public IndexEntries entries() {
    return entries;
  }

  @Override
  public synchronized void checkAdd(Document document, MongoCollection<Long> collection) {
    if (leftOut(document)) return;
    KeyValue key = scalarKeys == null ? null : scalarKeys.normalized(document);
    if (key == null) super.checkAdd(document, collection);
    else if (entries.map.containsKey(key)) throw duplicate(document, collection);
  }

  @Override
  public synchronized void add(Document document, Long position, MongoCollection<Long> collection) {
    if (leftOut(document)) return;
    KeyValue key = scalarKeys == null ? null : scalarKeys.normalized(document);
    if (key == null) {
      super.add(document, position, collection);
      if (!entries.multikey()) entries.indexed(getKeyValues(document).size());
    } else if (entries.map.putIfAbsent(key, position) != null) {
      throw duplicate(document, collection);
    }
  }

  /** A sparse index has no entry for a document without any of its fields. */
  private boolean leftOut(Document document) {
    return scalarKeys != null && isSparse() && scalarKeys.absent(document);
  }

  private DuplicateKeyError duplicate(Document document, MongoCollection<Long> collection) {
    return new DuplicateKeyError(this, collection, getKeys(), scalarKeys.raw(document));
  }

  @Override
  protected Long removeDocument(KeyValue key) {
    return entries.map.remove(key);
  }

  @Override
  protected boolean putKeyPosition(KeyValue key, Long position) {
    return entries.map.putIfAbsent(key, position) == null;
  }

  @Override
  protected Iterable<Map.Entry<KeyValue, Long>> getIterable() {
    return entries.map.entrySet();
  }

  @Override
  protected Long getPosition(KeyValue key) {
    return entries.map.get(key);
  }

  @Override
  public long getCount() {
    return entries.map.sizeAsLong();
  }

  @Override
  public boolean isEmpty() {
    return entries.map.isEmpty();
  }

  @Override
  public long getDataSize() {
    return getCount();
  }
}
