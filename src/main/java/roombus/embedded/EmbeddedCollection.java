package roombus.embedded;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractSynchronizedMongoCollection;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DocumentWithPosition;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;

/**
 * One collection: its documents as BSON in an H2 map keyed by position (a number given to each
 * document as it is stored, one more than the last), and its indexes, each mapping keys to
 * positions.
 *
 * <p>Queries go through {@link IndexScan} when an index can answer them, and scan the documents
 * otherwise. Each read decodes its own copy of a document: mongo-java-server updates the documents
 * a query hands it in place, and a copy shared with a reader still encoding its reply would change
 * under it.
 */
final class EmbeddedCollection extends AbstractSynchronizedMongoCollection<Long> {

  private final MVMap<Long, byte[]> documents;
  private long nextPosition;

  /** Documents read and matched against a query (or while building an index): what a scan costs. */
  private final LongAdder examined = new LongAdder();

  EmbeddedCollection(
      MongoDatabase database,
      String name,
      CollectionOptions options,
      MVMap<Long, byte[]> documents,
      CursorRegistry cursors) {
    super(database, name, options, cursors);
    this.documents = documents;
    Long last = documents.lastKey();
    this.nextPosition = last == null ? 0 : last + 1;
  }

  /** How many documents this collection has read to answer queries since it was opened. */
  long examined() {
    return examined.sum();
  }

  private Document read(byte[] bson) {
    examined.increment();
    return Bson.decode(bson);
  }

  @Override
  protected QueryResult queryDocuments(
      Document query, Document orderBy, int skip, int limit, int batchSize, Document projection) {
    List<ScannableIndex> indexes = new ArrayList<>();
    for (Index<Long> index : getIndexes()) {
      if (index instanceof ScannableIndex scannable) indexes.add(scannable);
    }
    IndexScan scan = IndexScan.plan(query, orderBy, indexes);
    if (scan == null) return matchDocuments(query, orderBy, skip, limit, batchSize, projection);
    Stream<Document> found = scan.positions().map(this::getDocument);
    // what an exact scan finds is the answer: the matcher gets nothing left to check
    Document toMatch = scan.exact() ? new Document() : query;
    return scan.ordered()
        ? matchDocumentsFromStream(
            toMatch, found, skip, limit, batchSize, null, projection) // stops at the limit
        : matchDocumentsFromStream(found, toMatch, orderBy, skip, limit, batchSize, projection);
  }

  /**
   * Counting queries like the other reads, one at a time per collection (mongo-java-server leaves
   * it unsynchronized).
   */
  @Override
  public synchronized int count(Document query, int skip, int limit) {
    return super.count(query, skip, limit);
  }

  /**
   * The collection scan, in position order (roughly insertion order), or backwards for {@code
   * $natural: -1}.
   */
  @Override
  protected QueryResult matchDocuments(
      Document query, Document orderBy, int skip, int limit, int batchSize, Document projection) {
    Stream<Document> all =
        scanAll(isNaturalDescending(orderBy)).map(DocumentWithPosition::getDocument);
    return matchDocumentsFromStream(all, query, orderBy, skip, limit, batchSize, projection);
  }

  @Override
  protected Stream<DocumentWithPosition<Long>> streamAllDocumentsWithPosition() {
    return scanAll(false);
  }

  private Stream<DocumentWithPosition<Long>> scanAll(boolean reverse) {
    Cursor<Long, byte[]> cursor = documents.cursor(null, null, reverse);
    Iterator<DocumentWithPosition<Long>> all =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return cursor.hasNext();
          }

          @Override
          public DocumentWithPosition<Long> next() {
            Long position = cursor.next();
            return new DocumentWithPosition<>(read(cursor.getValue()), position);
          }
        };
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(all, Spliterator.ORDERED), false);
  }

  @Override
  protected Document getDocument(Long position) {
    byte[] bson = documents.get(position);
    return bson == null ? null : read(bson);
  }

  @Override
  protected Long addDocumentInternal(Document document) {
    long position = nextPosition++;
    documents.put(position, Bson.encode(document));
    return position;
  }

  @Override
  protected void handleUpdate(Long position, Document oldDocument, Document newDocument) {
    documents.put(position, Bson.encode(newDocument));
  }

  @Override
  protected void removeDocument(Long position) {
    documents.remove(position);
  }

  @Override
  public int count() {
    return documents.size();
  }

  @Override
  public boolean isEmpty() {
    return documents.isEmpty();
  }

  /** Data size is not tracked: it would cost a counter update in the file with every write. */
  @Override
  protected boolean tracksDataSize() {
    return false;
  }

  @Override
  protected void updateDataSize(int sizeDelta) {}

  @Override
  protected int getDataSize() {
    return 0;
  }
}
