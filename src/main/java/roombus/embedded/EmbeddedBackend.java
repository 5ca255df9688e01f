package roombus.embedded;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractMongoBackend;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerException;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend mongo-java-server's server hands every command to: databases of {@link
 * EmbeddedDatabase}, all in one H2 file, and the rule that makes writes durable.
 *
 * <p>A command that may write is appended to the {@link Journal} before it runs, so an acknowledged
 * write is in a file (in the operating system's cache at least: a killed process cannot lose it).
 * Writing commands run one at a time, in the order of the journal. The store file is committed by a
 * checkpoint, every {@link #CHECKPOINT_EVERY_MS}, in two commits. The first writes what changed
 * since the last checkpoint while the commands go on, and may catch one half done (a document
 * stored without its index entries): it marks the file unfinished, with the version it was at. The
 * second, under the exclusive side of a lock whose shared side every writing command holds, writes
 * only what changed meanwhile, so it catches whole commands: it records the number of the last
 * command it holds, takes the mark away and empties the journal. Writes wait for that second, short
 * commit only. On opening, a file still marked goes back to the version the mark names, and the
 * commands journaled after the last checkpoint run again. Reads take no lock.
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
   * How often the store file is committed (tests choose other intervals). A commit writes every
   * page changed since the one before, whole, whatever share of it changed: committing once per
   * writing command (as before the journal) wrote the same index pages hundreds of times a second,
   * and was most of the store's CPU. The longer the interval, the fewer times a page is written,
   * and the longer the commit that writing commands wait for.
   */
  static final int CHECKPOINT_EVERY_MS = 1000;

  /** A checkpoint that holds writes back this long is logged. */
  private static final long SLOW_CHECKPOINT_MS = 100;

  /** The meta key of the number of the last journaled command the committed file holds. */
  private static final String JOURNAL_THROUGH = "journal.through";

  /**
   * The meta key that a checkpoint's first commit writes and its second removes: the file's version
   * the checkpoint before committed, the last one known to hold whole commands only.
   */
  private static final String UNFINISHED_SINCE = "checkpoint.unfinished.since";

  /**
   * Compaction. Every commit writes the pages it changed to a new chunk of the file, and a chunk
   * keeps its space as long as one of its pages is live, so without compaction the file (and the
   * store's record of its chunks, which every commit updates) grows with every commit, most of it
   * pages superseded a moment later. Before each checkpoint, chunks whose pages are mostly
   * superseded are rewritten: live bytes amounting to a quarter of what was written since the one
   * before (at least {@link #COMPACT_MIN_BYTES}, at most {@link #COMPACT_MAX_BYTES}); at the few
   * percent of live data such chunks hold, that frees many times what was written. The rewrite runs
   * beside the commands, like one of them (it only moves committed pages), and the checkpoint after
   * it commits it. H2's background thread would compact too, but it also commits at any moment.
   */
  private static final int COMPACT_TARGET_FILL_PERCENT = 80;

  private static final int COMPACT_MIN_BYTES = 256 << 10;
  private static final int COMPACT_MAX_BYTES = 2 << 20;

  /** Bytes the file had been written when the last compaction round began. */
  private long writtenBefore;

  private final MVStore store;
  private final MVMap<String, String> meta;
  private final Journal journal;
  private final ReentrantReadWriteLock commits = new ReentrantReadWriteLock();

  /**
   * Held while a writing command is journaled and run: one at a time, in the journal's order. (The
   * shared side of {@link #commits}, which compaction holds too, keeps checkpoints out.)
   */
  private final ReentrantLock writes = new ReentrantLock();

  private final ScheduledExecutorService housekeeping =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "embedded-store-housekeeping");
            thread.setDaemon(true);
            return thread;
          });

  /**
   * Opens the databases of the file and runs again the commands journaled after its last
   * checkpoint; blocking start-up work.
   */
  EmbeddedBackend(MVStore store, Journal journal, long checkpointEveryMs) throws IOException {
    this.store = store;
    this.meta = StoreFile.meta(store);
    this.journal = journal;
    backToCheckpoint();
    store.getMapNames().stream()
        .filter(name -> name.startsWith(EmbeddedDatabase.DOCUMENTS))
        .map(name -> name.substring(EmbeddedDatabase.DOCUMENTS.length()).split("\\.", 2)[0])
        .distinct()
        .forEach(this::resolveDatabase);
    replay();
    housekeeping.scheduleWithFixedDelay(
        this::housekeep, checkpointEveryMs, checkpointEveryMs, TimeUnit.MILLISECONDS);
  }

  /**
   * A process that died between a checkpoint's two commits left a last version that may hold half a
   * command: the file goes back to the checkpoint's version (H2 keeps the chunks it needs for
   * {@link StoreFile#RETENTION_MS}, and the second commit follows the first at once), whose
   * commands the journal holds from its next one on.
   */
  private void backToCheckpoint() {
    String since = meta.get(UNFINISHED_SINCE);
    if (since == null) return;
    long last = store.getCurrentVersion();
    store.rollbackTo(Long.parseLong(since));
    log.info("event=store_back_to_checkpoint version={} last_version={}", since, last);
  }

  /**
   * Runs the journaled commands the file does not hold yet, as they ran the first time (a command
   * that failed then fails again, leaving what it left then), and checkpoints.
   */
  private void replay() throws IOException {
    long through = Long.parseLong(meta.getOrDefault(JOURNAL_THROUGH, "0"));
    List<Journal.Entry> entries = journal.entriesAfter(through);
    if (entries.isEmpty()) return;
    EmbeddedChannel replaying = new EmbeddedChannel();
    int failed = 0;
    for (Journal.Entry entry : entries) {
      try {
        Document reply =
            super.handleCommand(replaying, entry.database(), entry.command(), entry.query());
        if (!Utils.isTrue(reply.get("ok"))
            || reply.get("writeErrors") instanceof List<?> errors && !errors.isEmpty()) failed++;
      } catch (RuntimeException e) {
        failed++;
      }
    }
    handleClose(replaying);
    replaying.close();
    checkpoint();
    log.info(
        "event=store_journal_replayed commands={} failed_as_before={} journal={}",
        entries.size(),
        failed,
        journal.path());
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
    writes.lock();
    try {
      journal(database, command, query);
      return super.handleCommand(channel, database, command, query);
    } finally {
      writes.unlock();
      writing.unlock();
    }
  }

  private void journal(String database, String command, Document query) {
    try {
      journal.append(database, command, query);
    } catch (IOException | RuntimeException e) {
      log.error("event=store_journal_failed journal={}", journal.path(), e);
      throw new MongoServerException(
          "the embedded store could not write its journal, nothing was written: " + e.getMessage());
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

  private void housekeep() {
    compact();
    checkpoint();
  }

  /**
   * Commits everything the journal holds to the file, notes its last number there, and empties it:
   * most of it beside the writing commands ({@link #commitAhead}), then the rest while it holds the
   * next ones back.
   */
  private void checkpoint() {
    long started = System.nanoTime();
    boolean ahead = commitAhead();
    long pauseStarted = System.nanoTime();
    Lock exclusive = commits.writeLock();
    exclusive.lock();
    try {
      if (store.isClosed()) return;
      long journaled = journal.bytes();
      if (journaled > 0) meta.put(JOURNAL_THROUGH, Long.toString(journal.last()));
      if (!ahead && !store.hasUnsavedChanges()) return;
      commitAsCheckpoint();
      journal.clear();
      long pauseMs = (System.nanoTime() - pauseStarted) / 1_000_000;
      if (pauseMs >= SLOW_CHECKPOINT_MS) {
        log.info(
            "event=store_checkpoint_slow pause_ms={} ms={} journal_bytes={}",
            pauseMs,
            (System.nanoTime() - started) / 1_000_000,
            journaled);
      }
    } catch (IOException | RuntimeException e) {
      log.warn(
          "event=store_checkpoint_failed (the journal keeps every write; it will try again)", e);
    } finally {
      exclusive.unlock();
    }
  }

  /**
   * The second commit: it takes away the first one's mark, or puts it back if it fails (so that the
   * next first commit keeps pointing at the last finished checkpoint).
   */
  private void commitAsCheckpoint() {
    String since = meta.remove(UNFINISHED_SINCE);
    try {
      store.commit();
    } catch (RuntimeException e) {
      if (since != null && !store.isClosed()) meta.put(UNFINISHED_SINCE, since);
      throw e;
    }
  }

  /**
   * The first commit of a checkpoint: what changed since the last one, written while the writing
   * commands go on, and marked as unfinished with the version the file had, the last checkpoint's.
   * None while an earlier checkpoint's mark is still on (its second commit failed): the second
   * commit then does it all under the lock, so that the version a mark names is always the one
   * committed just before it, whose chunks H2 still keeps. Whether it wrote anything.
   */
  boolean commitAhead() {
    Lock writing = commits.readLock();
    writing.lock();
    try {
      if (store.isClosed() || !store.hasUnsavedChanges() || meta.containsKey(UNFINISHED_SINCE))
        return false;
      meta.put(UNFINISHED_SINCE, Long.toString(store.getCurrentVersion()));
      store.commit();
      return true;
    } catch (RuntimeException e) {
      log.warn("event=store_commit_ahead_failed (the checkpoint commits it all)", e);
      return true; // it may have written some of it
    } finally {
      writing.unlock();
    }
  }

  private void compact() {
    Lock writing = commits.readLock();
    writing.lock();
    try {
      if (store.isClosed()) return;
      long written = writtenBytes();
      long budget =
          Math.max(COMPACT_MIN_BYTES, Math.min(COMPACT_MAX_BYTES, (written - writtenBefore) / 4));
      writtenBefore = written;
      store.compact(COMPACT_TARGET_FILL_PERCENT, (int) budget);
    } catch (RuntimeException e) {
      log.warn("Compacting the embedded store failed; it will try again", e);
    } finally {
      writing.unlock();
    }
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

  /**
   * Called by the server as it shuts down: everything is committed, the journal emptied and both
   * files closed.
   */
  @Override
  public void close() {
    housekeeping.shutdown(); // no interrupt: an interrupted file channel closes under H2
    try {
      housekeeping.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    checkpoint();
    Lock exclusive = commits.writeLock();
    exclusive.lock();
    try {
      super.close();
      if (!store.isClosed()) store.close();
      journal.close();
    } catch (IOException e) {
      log.warn("event=store_journal_close_failed journal={}", journal.path(), e);
    } finally {
      exclusive.unlock();
    }
  }
}
