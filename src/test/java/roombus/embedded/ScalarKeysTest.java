package roombus.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.util.List;
import java.util.Set;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.LongDataType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The direct index keys are the keys mongo-java-server's general path builds, so that an entry is
 * found whichever way it was written (a file written before them, a document that goes the general
 * way).
 */
@DisplayName("Direct index keys")
class ScalarKeysTest {

  private final MVStore store = new MVStore.Builder().open(); // in memory

  @AfterEach
  void close() {
    store.close();
  }

  private UniqueIndex index(String... fields) {
    MVMap<KeyValue, Long> map =
        store.openMap(
            "index." + String.join("_", fields),
            new MVMap.Builder<KeyValue, Long>()
                .keyType(KeyType.INSTANCE)
                .valueType(LongDataType.INSTANCE));
    List<IndexKey> keys = java.util.Arrays.stream(fields).map(f -> new IndexKey(f, true)).toList();
    return new UniqueIndex("test", keys, false, new IndexEntries(map, StoreFile.meta(store)));
  }

  @Test
  @DisplayName("equal the general path's keys for strings, object ids, booleans and numbers")
  void sameAsTheGeneralPath() {
    UniqueIndex index = index("room", "seq");
    ScalarKeys direct = ScalarKeys.of(List.of("room", "seq"));
    List<Object> seqs =
        List.of(7, 7L, 7.0, -0.0, 0, 2.5, (1L << 53) + 1, Long.MAX_VALUE, Integer.MIN_VALUE);
    for (Object room : List.of("r1", new ObjectId(), true)) {
      for (Object seq : seqs) {
        Document doc = new Document("room", room).append("seq", seq).append("chat", "hi");
        assertThat(Set.of(direct.normalized(doc)))
            .as("room %s, seq %s (%s)", room, seq, seq.getClass().getSimpleName())
            .isEqualTo(index.getKeyValues(doc));
      }
    }
  }

  @Test
  @DisplayName("leave arrays, sub-documents, nulls and missing fields to the general path")
  void leavesTheRestToTheGeneralPath() {
    ScalarKeys direct = ScalarKeys.of(List.of("room", "seq"));
    assertThat(direct.normalized(new Document("room", "r1"))).isNull();
    assertThat(direct.normalized(new Document("room", "r1").append("seq", null))).isNull();
    assertThat(direct.normalized(new Document("room", List.of("a")).append("seq", 1))).isNull();
    assertThat(direct.normalized(new Document("room", new Document("a", 1)).append("seq", 1)))
        .isNull();
    assertThat(ScalarKeys.of(List.of("a.b"))).isNull();
  }

  @Test
  @DisplayName("a document added with a direct key is found by the general path's lookup")
  void entriesAreSharedByBothPaths() {
    UniqueIndex index = index("room", "seq");
    index.add(new Document("room", "r1").append("seq", 1L), 0L, null);
    assertThat(index.getPosition(new Document("room", "r1").append("seq", 1.0))).isEqualTo(0L);
    assertThat(index.getPosition(new Document("room", "r1").append("seq", 2))).isNull();
  }
}
