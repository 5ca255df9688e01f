package roombus.embedded;

import de.bwaldvogel.mongo.backend.KeyValue;
import org.h2.mvstore.MVMap;

/**
 * The entries of one index: an H2 map from index keys ({@link KeyType}) to document positions, plus
 * whether the index is multikey, that is some document has put several entries in it (one per
 * element of an array). A range on a multikey index cannot be bounded at both ends: {@code {a:
 * {$gt: 5, $lt: 3}}} matches {@code a: [1, 9]} through two different elements. The mark is kept in
 * the meta map under the map's id, which H2 never gives to another map.
 */
final class IndexEntries {

  final MVMap<KeyValue, Long> map;
  private final MVMap<String, String> meta;
  private volatile boolean multikey;

  IndexEntries(MVMap<KeyValue, Long> map, MVMap<String, String> meta) {
    this.map = map;
    this.meta = meta;
    this.multikey = meta.containsKey(multikeyMark());
  }

  boolean multikey() {
    return multikey;
  }

  /** A document was indexed with {@code count} entries. */
  void indexed(int count) {
    if (count > 1 && !multikey) {
      multikey = true;
      meta.put(multikeyMark(), "true");
    }
  }

  private String multikeyMark() {
    return "multikey." + map.getId();
  }
}
