package roombus.embedded;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import java.util.Map;

/**
 * A unique index (the {@code _id} index of every collection, and any index created unique): key to
 * the one document position holding it. mongo-java-server's {@link AbstractUniqueIndex} does the
 * checks and raises E11000 on a duplicate; this class only keeps the entries.
 */
final class UniqueIndex extends AbstractUniqueIndex<Long> implements ScannableIndex {

  private final IndexEntries entries;

  UniqueIndex(String name, List<IndexKey> keys, boolean sparse, IndexEntries entries) {
    super(name, keys, sparse);
    this.entries = entries;
  }

  @Override
  public IndexEntries entries() {
    return entries;
  }

  @Override
  public synchronized void add(Document document, Long position, MongoCollection<Long> collection) {
    super.add(document, position, collection);
    if (!entries.multikey()) entries.indexed(getKeyValues(document).size());
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
