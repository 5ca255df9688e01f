package roombus.embedded;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * An index that is not unique (mongo-java-server itself ignores these). Many documents may share
 * the indexed values, so each entry's key is those values followed by the document's {@code _id}:
 * the key stays unique, a document's entries can be found again from the document alone (to remove
 * them), and the entries of equal values lie side by side for a scan.
 */
final class SecondaryIndex extends Index<Long> implements ScannableIndex {

  private final IndexEntries entries;

  SecondaryIndex(String name, List<IndexKey> keys, boolean sparse, IndexEntries entries) {
    super(name, keys, sparse);
    this.entries = entries;
  }

  @Override
  public IndexEntries entries() {
    return entries;
  }

  /**
   * The document's entry keys: one, or one per array element when an indexed field holds an array.
   */
  private List<KeyValue> entryKeys(Document document) {
    if (isSparse()
        && keys().stream()
            .allMatch(
                key ->
                    Utils.getSubdocumentValueCollectionAware(document, key) instanceof Missing)) {
      return List.of();
    }
    Object id = IndexScan.normalize(Missing.ofNullable(document.get("_id")));
    Set<KeyValue> indexed = getKeyValues(document);
    if (indexed.isEmpty()) {
      // an empty array gives mongo-java-server no key at all; the document must still be found by
      // the other fields
      indexed =
          Set.of(
              new KeyValue(
                  keys().stream()
                      .map(
                          key -> {
                            Object value = Utils.getSubdocumentValueCollectionAware(document, key);
                            return value instanceof Collection<?> list && list.isEmpty()
                                ? null
                                : IndexScan.normalize(Missing.ofNullable(value));
                          })
                      .toList()));
    }
    List<KeyValue> keys = new ArrayList<>();
    for (KeyValue values : indexed) {
      List<Object> parts = new ArrayList<>(values.size() + 1);
      values.forEach(parts::add);
      parts.add(id);
      keys.add(new KeyValue(parts));
    }
    return keys;
  }

  @Override
  public Long getPosition(Document document) {
    for (KeyValue key : entryKeys(document)) {
      Long position = entries.map.get(key);
      if (position != null) return position;
    }
    return null;
  }

  @Override
  public void checkAdd(Document document, MongoCollection<Long> collection) {
    entryKeys(
        document); // refuses what cannot be indexed (parallel arrays) before anything is stored
  }

  @Override
  public void add(Document document, Long position, MongoCollection<Long> collection) {
    List<KeyValue> keys = entryKeys(document);
    for (KeyValue key : keys) entries.map.put(key, position);
    entries.indexed(keys.size());
  }

  @Override
  public Long remove(Document document) {
    Long position = null;
    for (KeyValue key : entryKeys(document)) {
      Long removed = entries.map.remove(key);
      if (removed != null) position = removed;
    }
    return position;
  }

  @Override
  public void checkUpdate(
      Document oldDocument, Document newDocument, MongoCollection<Long> collection) {
    entryKeys(newDocument);
  }

  @Override
  public void updateInPlace(
      Document oldDocument, Document newDocument, Long position, MongoCollection<Long> collection) {
    if (!nullAwareEqualsKeys(oldDocument, newDocument)) {
      remove(oldDocument);
      add(newDocument, position, collection);
    }
  }

  /**
   * Queries are planned by the collection ({@link IndexScan}), not by mongo-java-server's
   * exact-match path.
   */
  @Override
  public boolean canHandle(Document query) {
    return false;
  }

  @Override
  public Iterable<Long> getPositions(Document query) {
    throw new UnsupportedOperationException(
        "queries on " + getName() + " are planned by IndexScan");
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

  /** The entries go with the index's map, which the database removes. */
  @Override
  public void drop() {}
}
