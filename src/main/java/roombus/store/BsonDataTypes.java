package roombus.store;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collection;
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
      writeKeyPart(out, id);
    }

    @Override
    public Object read(ByteBuffer in) {
      return readKeyPart(in);
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
      out.putVarInt(key.size());
      for (Object value : key) writeKeyPart(out, value);
    }

    @Override
    public KeyValue read(ByteBuffer in) {
      int size = DataUtils.readVarInt(in);
      Object[] values = new Object[size];
      for (int i = 0; i < size; i++) values[i] = readKeyPart(in);
      return new KeyValue(values);
    }

    @Override
    public KeyValue[] createStorage(int size) {
      return new KeyValue[size];
    }
  };

  private BsonDataTypes() {
  }

  // Key values are mostly strings (ids, "room|seq" keys), numbers and object ids, written in a compact
  // tagged form (they are rewritten with every page of an index that a commit touches); anything else
  // (documents, lists, dates) as a one-field BSON document.
  private static final byte STRING = 1, LONG = 2, INT = 3, OBJECT_ID = 4, MISSING = 5, NULL = 6, OTHER = 7;

  private static void writeKeyPart(WriteBuffer out, Object value) {
    if (value instanceof String s) {
      out.put(STRING).putVarInt(s.length()).putStringData(s, s.length());
    } else if (value instanceof Long l) {
      out.put(LONG).putVarLong(l);
    } else if (value instanceof Integer i) {
      out.put(INT).putVarInt(i);
    } else if (value instanceof ObjectId id) {
      out.put(OBJECT_ID).put(id.toByteArray());
    } else if (value instanceof Missing) {
      out.put(MISSING);
    } else if (value == null) {
      out.put(NULL);
    } else {
      out.put(OTHER);
      writeBson(out, new Document("v", value));
    }
  }

  private static Object readKeyPart(ByteBuffer in) {
    byte tag = in.get();
    return switch (tag) {
      case STRING -> DataUtils.readString(in, DataUtils.readVarInt(in));
      case LONG -> DataUtils.readVarLong(in);
      case INT -> DataUtils.readVarInt(in);
      case OBJECT_ID -> {
        byte[] bytes = new byte[12];
        in.get(bytes);
        yield new ObjectId(bytes);
      }
      case MISSING -> Missing.getInstance();
      case NULL -> null;
      case OTHER -> readBson(in).get("v");
      default -> throw new IllegalStateException("unknown key tag " + tag);
    };
  }

  /** One encoding buffer per thread that writes pages (H2's serialization and commit threads), reused. */
  private static final ThreadLocal<ByteBuf> ENCODER = ThreadLocal.withInitial(() -> Unpooled.buffer(4096));

  private static void writeBson(WriteBuffer out, Document document) {
    ByteBuf bytes = ENCODER.get().clear();
    BsonEncoder.encodeDocument(document, bytes);
    out.put(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes()); // BSON starts with its length
    if (bytes.capacity() > 1 << 20) ENCODER.remove(); // do not keep a buffer grown by one huge document
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
