package roombus.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.bwaldvogel.mongo.bson.Document;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import roombus.TestHub;

@DisplayName("The embedded engine's file format")
class DataFormatTest {

  private final Path data = TestHub.newDataDir();
  private final Path file = data.resolve("roombus.mv");

  @AfterEach
  void cleanUp() {
    TestHub.deleteTree(data);
  }

  /**
   * Writes a store file as another program would have, with H2's default (Java-serializing) maps.
   */
  private void writeOld(Consumer<MVStore> content) {
    try (MVStore old = new MVStore.Builder().fileName(file.toString()).open()) {
      content.accept(old);
      old.commit();
    }
  }

  private void assertRefused(String what) throws IOException {
    long size = Files.size(file);
    assertThatThrownBy(() -> EmbeddedMongo.start(data, "127.0.0.1", 0))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining(what)
        .hasMessageContaining("move it away or start with another DATA_DIR")
        .hasMessageNotContaining("\n");
    assertThat(Files.size(file)).isEqualTo(size);
  }

  @Test
  @DisplayName(
      "a file of mongo-java-server's plain H2 backend (Java-serialized documents) is refused, and left readable as it was")
  void plainH2BackendRefused() throws IOException {
    writeOld(
        store ->
            store
                .<Object, Document>openMap("databases.roombus.rooms")
                .put("r1", new Document("_id", "r1").append("title", "kept")));

    assertRefused("Java-serialized");

    try (MVStore reopened = new MVStore.Builder().fileName(file.toString()).readOnly().open()) {
      MVMap<Object, Document> rooms = reopened.openMap("databases.roombus.rooms");
      assertThat(rooms.get("r1")).containsEntry("title", "kept");
      assertThat(reopened.getMapNames()).doesNotContain("roombus.embedded");
    }
  }

  @Test
  @DisplayName("a file of the earlier roombus store (marked bson-1) is refused")
  void bsonOneRefused() throws IOException {
    writeOld(
        store -> {
          store.<String, String>openMap("roombus.format").put("documents", "bson-1");
          store.<String, Object>openMap("meta.roombus.rooms").put("dataSize", 0L);
        });
    assertRefused("bson-1");
  }

  @Test
  @DisplayName("a file marked with another version of this format is refused")
  void otherVersionRefused() throws IOException {
    writeOld(store -> StoreFile.meta(store).put("format", "roombus-embedded/3"));
    assertRefused("roombus-embedded/3");
  }

  @Test
  @DisplayName("a new data folder is marked with the format, and opens again")
  void newFileMarked() throws IOException {
    EmbeddedMongo.start(data, "127.0.0.1", 0).close();
    try (MVStore written = new MVStore.Builder().fileName(file.toString()).readOnly().open()) {
      assertThat(StoreFile.meta(written).get("format")).isEqualTo("roombus-embedded/2");
    }
    EmbeddedMongo.start(data, "127.0.0.1", 0).close();
  }
}
