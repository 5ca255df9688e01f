package roombus.embedded;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.util.List;

/**
 * Index keys of the common document, built directly: every indexed field is a top-level field the
 * document has, holding a string, an object id, a boolean or a whole or floating number. That is
 * every chat message on {@code _id}, {@code (room, seq)} and {@code once}. mongo-java-server's
 * general path (dotted paths, arrays, sub-documents, missing fields) builds a map, streams and sets
 * for each key, three times per index for every stored document; a document it alone can handle
 * gets {@code null} here and goes that way.
 *
 * <p>The parts are normalized as mongo-java-server normalizes them ({@code Utils.normalizeValue}):
 * numbers as doubles (a long that a double cannot hold stays a long), {@code -0.0} as {@code 0.0}.
 */
final class ScalarKeys {

  private final String[] fields;

  private ScalarKeys(String[] fields) {
    this.fields = fields;
  }

  /** Direct keys for an index on these fields, or {@code null} if a field is a path or operator. */
  static ScalarKeys of(List<String> fields) {
    for (String field : fields) {
      if (field.isEmpty() || field.indexOf('.') >= 0 || field.charAt(0) == '$') return null;
    }
    return new ScalarKeys(fields.toArray(String[]::new));
  }

  /** The document's normalized key, or {@code null} if it needs the general path. */
  KeyValue normalized(Document document) {
    Object[] parts = new Object[fields.length];
    for (int i = 0; i < fields.length; i++) {
      Object value = document.get(fields[i]);
      if (value instanceof String || value instanceof ObjectId || value instanceof Boolean) {
        parts[i] = value;
      } else if (value instanceof Double || value instanceof Integer || value instanceof Long) {
        parts[i] = normalize((Number) value);
      } else {
        return null; // missing, null, array, document, date, decimal...: the general path
      }
    }
    return new KeyValue(parts);
  }

  /** Whether the document has none of the fields: a sparse index leaves it out. */
  boolean absent(Document document) {
    for (String field : fields) {
      if (document.containsKey(field)) return false;
    }
    return true;
  }

  /** The key as the document holds it: what a duplicate-key error names. */
  KeyValue raw(Document document) {
    Object[] parts = new Object[fields.length];
    for (int i = 0; i < fields.length; i++) parts[i] = document.get(fields[i]);
    return new KeyValue(parts);
  }

  private static Object normalize(Number number) {
    if (number instanceof Long l && l != (long) l.doubleValue()) return l;
    double d = number.doubleValue();
    return d == 0.0 ? 0.0 : d; // -0.0 == 0.0
  }
}
