package roombus.store;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * How the embedded store writes its documents and keys to the file: as BSON, and compared in MongoDB's
 * order.
 *
 * <p>Without these, H2 falls back to its {@code ObjectDataType}: every document is written with Java
 * serialization (a new {@code ObjectOutputStream} per value), and index keys, which are not
 * {@code Comparable}, are compared by serializing both sides, at every step of every tree search. That
 * was the largest single cost of storing a chat message (see docs/performance.md).
 */
final class BsonDataTypes {

  private static final ValueComparator ORDER = ValueComparator.asc();

  /** Documents, the values of every collection's data map. */
  static final BasicDataType<Document> DOCUMENTS = new BasicDataType<>() {
    @Override
    public int getMemory(Document document) {
      return estimate(document);
    }

    @Override
    public void write(WriteBuffer out, Document document) {
      writeBson(out, document);
    }

    @Override
    public Document read(ByteBuffer in) {
      return readBson(in);
    }

    @Override
    public Document[] createStorage(int size) {
      return new Document[size];
    }
  };

  /** A collection's document keys: the {@code _id} values (or generated ones), in MongoDB's order. */
  static final BasicDataType<Object> IDS = new BasicDataType<>() {
    @Override
    public int compare(Object a, Object b) {
      return ORDER.compare(a, b);
    }

    @Override
    public int getMemory(Object id) {
      return estimate(id);
    }

    @Override
    public void write(WriteBuffer out, Object id) {
      writeBson(out, wrap(List.of(id)));
    }

    @Override
    public Object read(ByteBuffer in) {
      return unwrap(readBson(in)).get(0);
    }

    @Override
    public Object[] createStorage(int size) {
      return new Object[size];
    }
  };

  /** Unique-index keys: the indexed fields' values of one document, compared field by field. */
  static final BasicDataType<KeyValue> INDEX_KEYS = new BasicDataType<>() {
    @Override
    public int compare(KeyValue a, KeyValue b) {
      int n = Math.min(a.size(), b.size());
      for (int i = 0; i < n; i++) {
        int c = ORDER.compare(a.get(i), b.get(i));
        if (c != 0) return c;
      }
      return Integer.compare(a.size(), b.size());
    }

    @Override
    public int getMemory(KeyValue key) {
      int memory = 48;
      for (Object value : key) memory += estimate(value);
      return memory;
    }

    @Override
    public void write(WriteBuffer out, KeyValue key) {
      List<Object> values = new ArrayList<>(key.size());
      key.forEach(values::add);
      writeBson(out, wrap(values));
    }

    @Override
    public KeyValue read(ByteBuffer in) {
      return new KeyValue(unwrap(readBson(in)));
    }

    @Override
    public KeyValue[] createStorage(int size) {
      return new KeyValue[size];
    }
  };

  private BsonDataTypes() {
  }

  /**
   * Keys as a BSON document {@code {k: [values], m: [positions of missing values]}}: BSON has no
   * "missing", which an index key holds for a document without the indexed field.
   */
  private static Document wrap(List<?> values) {
    List<Object> present = new ArrayList<>(values.size());
    List<Integer> missing = new ArrayList<>(0);
    for (int i = 0; i < values.size(); i++) {
      Object value = values.get(i);
      if (value instanceof Missing) {
        missing.add(i);
        present.add(null);
      } else {
        present.add(value);
      }
    }
    Document wrapped = new Document("k", present);
    if (!missing.isEmpty()) wrapped.put("m", missing);
    return wrapped;
  }

  private static List<Object> unwrap(Document wrapped) {
    List<Object> values = new ArrayList<>((List<?>) wrapped.get("k"));
    if (wrapped.get("m") instanceof List<?> missing) {
      for (Object i : missing) values.set(((Number) i).intValue(), Missing.getInstance());
    }
    return values;
  }

  private static void writeBson(WriteBuffer out, Document document) {
    ByteBuf bytes = Unpooled.buffer(256);
    try {
      BsonEncoder.encodeDocument(document, bytes);
      out.put(bytes.nioBuffer()); // a BSON document starts with its own length
    } finally {
      bytes.release();
    }
  }

  private static Document readBson(ByteBuffer in) {
    int length = in.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt();
    ByteBuffer slice = in.slice();
    slice.limit(length);
    in.position(in.position() + length);
    return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(slice));
  }

  /** A rough size of a value on the heap; H2 uses it to size pages and its cache, not for correctness. */
  private static int estimate(Object value) {
    if (value instanceof String s) return 48 + 2 * s.length();
    if (value instanceof Map<?, ?> map) {
      int memory = 64;
      for (Map.Entry<?, ?> e : map.entrySet()) memory += 40 + estimate(e.getKey()) + estimate(e.getValue());
      return memory;
    }
    if (value instanceof Collection<?> list) {
      int memory = 40;
      for (Object o : list) memory += 8 + estimate(o);
      return memory;
    }
    return 24;
  }
}
