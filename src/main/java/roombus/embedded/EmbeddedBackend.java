package roombus.embedded;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractMongoBackend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend mongo-java-server's server hands every command to: databases of {@link
 * EmbeddedDatabase}, all in one H2 file, and the rule that makes writes durable.
 *
 * <p>A command that may write commits the file before it is answered, so an acknowledged write is
 * in the file (in the operating system's cache at least: a killed process cannot lose it). Writing
 * commands run side by side under the shared side of a lock and commit under its exclusive side, so
 * a commit only ever catches whole commands, never a document stored without its index entries; one
 * commit covers every command finished meanwhile. Reads take no lock and never commit.
 */
final class EmbeddedBackend extends AbstractMongoBackend {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedBackend.class);

  /** Commands that never write (lower case). Anything else is treated as a write. */
  private static final Set<String> READS =
      Set.of(
          "find",
          "getmore",
          "count",
          "distinct",
          "listcollections",
          "listindexes",
          "ismaster",
          "hello",
          "buildinfo",
          "ping",
          "serverstatus",
          "whatsmyuri",
          "killcursors",
          "getlasterror",
          "dbstats",
          "collstats",
          "validate",
          "endsessions",
          "connectionstatus",
          "hostinfo",
          "getcmdlineopts",
          "getlog",
          "getfreemonitoringstatus");

  /**
   * Compaction. Every commit writes the pages it changed to a new chunk of the file, and a chunk
   * keeps its space as long as one of its pages is live, so without compaction the file (and the
   * store's record of its chunks, which every commit updates) grows with every commit: about 2.5
   * MB/s while 1,000 messages a second are stored, most of it pages superseded a moment later. Each
   * second, chunks whose pages are mostly superseded are rewritten: live bytes amounting to a
   * quarter of what was written in the second before (at least {@link #COMPACT_MIN_BYTES}, at most
   * {@link #COMPACT_MAX_BYTES}); at the few percent of live data such chunks hold, that frees many
   * times what was written. The rewrite runs beside the commands, like one of them (it only moves
   * committed pages), and the commit after it waits for them as any commit does. H2's background
   * thread would compact too, but it also commits at any moment.
   */
  private static final int COMPACT_EVERY_MS = 1000;

  private static final int COMPACT_TARGET_FILL_PERCENT = 80;
  private static final int COMPACT_MIN_BYTES = 256 << 10;
  private static final int COMPACT_MAX_BYTES = 2 << 20;

  /** Bytes the file had been written when the last compaction round began. */
  private long writtenBefore;

  private final MVStore store;
  private final MVMap<String, String> meta;
  private final ReentrantReadWriteLock commits = new ReentrantReadWriteLock();
  private final ScheduledExecutorService housekeeping =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "embedded-store-housekeeping");
            thread.setDaemon(true);
            return thread;
          });

  EmbeddedBackend(MVStore store) {
    this.store = store;
    this.meta = StoreFile.meta(store);
    store.getMapNames().stream()
        .filter(name -> name.startsWith(EmbeddedDatabase.DOCUMENTS))
        .map(name -> name.substring(EmbeddedDatabase.DOCUMENTS.length()).split("\\.", 2)[0])
        .distinct()
        .forEach(this::resolveDatabase);
    housekeeping.scheduleWithFixedDelay(
        this::compact, COMPACT_EVERY_MS, COMPACT_EVERY_MS, TimeUnit.MILLISECONDS);
  }

  @Override
  protected MongoDatabase openOrCreateDatabase(String name) {
    return new EmbeddedDatabase(name, store, meta, getCursorRegistry());
  }

  @Override
  public Document handleCommand(Channel channel, String database, String command, Document query) {
    if (isRead(command, query)) return super.handleCommand(channel, database, command, query);
    Lock writing = commits.readLock();
    writing.lock();
    try {
      return super.handleCommand(channel, database, command, query);
    } finally {
      writing.unlock();
      commit();
    }
  }

  private static boolean isRead(String command, Document query) {
    String name = command.toLowerCase(Locale.ROOT);
    if (name.equals("aggregate")) {
      // the driver counts documents with an aggregation; only $out and $merge write
      return !(query.get("pipeline") instanceof List<?> stages)
          || stages.stream()
              .noneMatch(
                  s ->
                      s instanceof Document d
                          && (d.containsKey("$out") || d.containsKey("$merge")));
    }
    return READS.contains(name);
  }

  /**
   * Commits what is not yet in the file; waits for a commit in progress, which may already hold
   * this thread's writes.
   */
  private void commit() {
    Lock exclusive = commits.writeLock();
    exclusive.lock();
    try {
      store.commit();
    } finally {
      exclusive.unlock();
    }
  }

  private void compact() {
    boolean rewritten;
    Lock writing = commits.readLock();
    writing.lock();
    try {
      if (store.isClosed()) return;
      long written = writtenBytes();
      long budget =
          Math.max(COMPACT_MIN_BYTES, Math.min(COMPACT_MAX_BYTES, (written - writtenBefore) / 4));
      writtenBefore = written;
      rewritten = store.compact(COMPACT_TARGET_FILL_PERCENT, (int) budget);
    } catch (RuntimeException e) {
      log.warn("Compacting the embedded store failed; it will try again", e);
      return;
    } finally {
      writing.unlock();
    }
    if (rewritten) commit();
  }

  /** Bytes written to the file since it was opened, as the store counts them. */
  private long writtenBytes() {
    long[] bytes = {0};
    store
        .getFileStore()
        .populateInfo(
            (name, value) -> {
              if (name.equals("info.FILE_WRITE_BYTES")) bytes[0] = Long.parseLong(value);
            });
    return bytes[0];
  }

  /** Called by the server as it shuts down: everything is committed and the file closed. */
  @Override
  public void close() {
    housekeeping.shutdown(); // no interrupt: an interrupted file channel closes under H2
    try {
      housekeeping.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Lock exclusive = commits.writeLock();
    exclusive.lock();
    try {
      super.close();
      if (!store.isClosed()) store.close();
    } finally {
      exclusive.unlock();
    }
  }
}
