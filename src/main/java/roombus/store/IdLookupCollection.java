package roombus.store;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.MVMap;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A collection of the embedded store that answers a query naming one {@code _id} plus other conditions
 * (such as {@code {_id: room, banned: {$nin: [user]}}}) by looking that one document up and testing the
 * other conditions on it. mongo-java-server uses an index only when the query has exactly the index's
 * fields, and scans the whole collection otherwise; every conditional update of a room, a seat or a
 * presence record was such a scan.
 */
final class IdLookupCollection extends H2Collection {

  IdLookupCollection(MongoDatabase database, String name, CollectionOptions options, MVMap<Object, Document> data,
                     MVMap<String, Object> meta, CursorRegistry cursors) {
    super(database, name, options, data, meta, cursors);
  }

  @Override
  protected QueryResult queryDocuments(Document query, Document orderBy, int skip, int limit, int batchSize,
                                       Document fieldSelector) {
    Object id = query.size() > 1 && getIdField() != null ? query.get(getIdField()) : null;
    if (isPlainValue(id)) {
      List<Object> positions = getDocument(id) == null ? List.of() : List.of(id);
      return matchDocuments(query, positions, orderBy, skip, limit, batchSize, fieldSelector);
    }
    return super.queryDocuments(query, orderBy, skip, limit, batchSize, fieldSelector);
  }

  /** A value that an {@code _id} equals, not an operator, a list or a pattern that it would be matched against. */
  private static boolean isPlainValue(Object value) {
    return value != null && !(value instanceof Map) && !(value instanceof Collection)
        && !(value instanceof BsonRegularExpression) && !(value instanceof java.util.regex.Pattern);
  }
}
