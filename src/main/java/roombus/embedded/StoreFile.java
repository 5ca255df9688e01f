package roombus.embedded;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.type.StringDataType;

/**
 * The store's file: an H2 MVStore, marked with the format of what it holds. A file written in any
 * other format (by an earlier roombus, or by mongo-java-server's own H2 backend with its
 * Java-serialized documents) is refused with a message rather than misread, and left as it was.
 */
final class StoreFile {

  /**
   * The name of this layout of maps, documents and keys; a change to any of them needs a new one.
   */
  static final String FORMAT = "roombus-embedded/2";

  private static final String META = "roombus.embedded";
  private static final String FORMAT_KEY = "format";

  /**
   * Bytes after which a page of the store's trees splits (H2's default is 16 KiB). Every commit
   * rewrites each page it changed, whole, and new documents land in pages all over the indexes:
   * smaller pages mean less rewritten per stored document.
   */
  private static final int PAGE_SPLIT_SIZE = 4096;

  /**
   * How long a chunk of the file that holds no live page any more is kept before its space is
   * reused, and before a chunk is old enough to be compacted (H2's default is 45 s, against a disk
   * that reorders writes across a power cut; at 2.5 MB of commits a second that is over 100 MB of
   * file). A process that dies loses nothing either way: every commit is in the operating system's
   * hands before it is acknowledged.
   */
  static final int RETENTION_MS = 5_000;

  /**
   * H2's cache of pages read or written, in its own estimate of their size (H2's default is 16).
   * Every page a checkpoint writes goes into it, so at a steady write rate the cache is a stream of
   * objects that outlive a young collection and then die in the old generation: with 16, under
   * 1,000 messages a second, it held about 40 MB of the heap and made each young collection a
   * quarter longer (docs/performance.md, "The store's page cache"). A chat hub reads back mostly
   * what it has just written, and that stays in memory until it is checkpointed.
   */
  private static final int CACHE_MB = 4;

  private StoreFile() {}

  /**
   * Opens the file, creating it if need be. Commits are left to {@link EmbeddedBackend}: H2's own
   * background commits are off, so that no commit ever catches a command half done.
   */
  static MVStore open(Path file) throws IOException {
    MVStore store;
    try {
      // not compressed: compressing every committed page costs more CPU than any other step of a
      // write
      store =
          new MVStore.Builder()
              .fileName(file.toString())
              .pageSplitSize(PAGE_SPLIT_SIZE)
              .autoCommitDisabled()
              .autoCommitBufferSize(0)
              .cacheSize(CACHE_MB)
              .open();
      store.setRetentionTime(RETENTION_MS);
    } catch (MVStoreException e) {
      throw new IOException("Cannot open the embedded store " + file + ": " + e.getMessage(), e);
    }
    Set<String> maps = store.getMapNames();
    if (maps.isEmpty()) {
      meta(store).put(FORMAT_KEY, FORMAT);
      store.commit();
      return store;
    }
    String found =
        maps.contains(META)
            ? meta(store).get(FORMAT_KEY)
            : maps.contains("roombus.format")
                ? "bson-1 of an earlier roombus"
                : maps.stream().anyMatch(name -> name.startsWith("databases."))
                    ? "mongo-java-server's H2 backend, Java-serialized"
                    : null;
    if (!FORMAT.equals(found)) {
      store.closeImmediately(); // writes nothing
      throw new IOException(
          file
              + " holds data in another format ("
              + (found == null ? "unknown" : found)
              + ") than "
              + FORMAT
              + ", which this hub cannot read: move it away or start with another DATA_DIR");
    }
    return store;
  }

  /**
   * The store's own settings: its format, and which indexes are multikey ({@link IndexEntries}).
   */
  static MVMap<String, String> meta(MVStore store) {
    return store.openMap(
        META,
        new MVMap.Builder<String, String>()
            .keyType(StringDataType.INSTANCE)
            .valueType(StringDataType.INSTANCE));
  }
}
