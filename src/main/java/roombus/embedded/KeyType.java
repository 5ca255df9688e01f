package roombus.embedded;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * Index keys in the file: a {@link KeyValue} (the indexed fields' values, as mongo-java-server
 * normalizes them: numbers as doubles, missing as null) written part by part, and ordered part by
 * part in MongoDB's order ({@link ValueComparator}), a key before the longer keys it begins. Range
 * scans rely on that last rule: the key {@code (room)} sorts before every {@code (room, seq)} entry
 * of that room.
 */
final class KeyType extends BasicDataType<KeyValue> {

  static final KeyType INSTANCE = new KeyType();

  static final ValueComparator ORDER = ValueComparator.asc();

  // Key parts are mostly numbers, strings and object ids: those get a compact tagged form (a commit
  // rewrites every index page it touched, whole); anything else is a one-field BSON document.
  private static final byte NULL = 0,
      WHOLE_NUMBER = 1,
      DOUBLE = 2,
      LONG = 3,
      STRING = 4,
      OBJECT_ID = 5,
      OTHER = 6;
  private static final double WHOLE_LIMIT = 1L << 53;

  private KeyType() {}

  @Override
  public int compare(KeyValue a, KeyValue b) {
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      int c = comparePart(a.get(i), b.get(i));
      if (c != 0) return c;
    }
    return Integer.compare(a.size(), b.size());
  }

  /**
   * MongoDB's order of two parts; strings with strings and doubles with doubles (nearly every
   * comparison an index makes) are compared directly, as {@link ValueComparator} would.
   */
  private static int comparePart(Object a, Object b) {
    if (a instanceof String s && b instanceof String t) return s.compareTo(t);
    if (a instanceof Double x && b instanceof Double y) {
      double p = x, q = y;
      if (p < q) return -1;
      if (p > q) return 1;
      if (p == q) return 0; // and 0.0 == -0.0, as MongoDB has it
    }
    return ORDER.compare(a, b);
  }

  @Override
  public int getMemory(KeyValue key) {
    int memory = 48;
    for (Object part : key) memory += estimate(part);
    return memory;
  }

  @Override
  public void write(WriteBuffer out, KeyValue key) {
    out.putVarInt(key.size());
    for (Object part : key) writePart(out, part);
  }

  @Override
  public KeyValue read(ByteBuffer in) {
    Object[] parts = new Object[DataUtils.readVarInt(in)];
    for (int i = 0; i < parts.length; i++) parts[i] = readPart(in);
    return new KeyValue(parts);
  }

  @Override
  public KeyValue[] createStorage(int size) {
    return new KeyValue[size];
  }

  private static void writePart(WriteBuffer out, Object part) {
    if (part == null || part instanceof Missing) {
      out.put(NULL);
    } else if (part instanceof Double d && d == Math.rint(d) && Math.abs(d) < WHOLE_LIMIT) {
      out.put(WHOLE_NUMBER).putVarLong(d.longValue());
    } else if (part instanceof Double d) {
      out.put(DOUBLE).putDouble(d);
    } else if (part instanceof Long l) {
      out.put(LONG).putVarLong(l);
    } else if (part instanceof String s) {
      out.put(STRING).putVarInt(s.length()).putStringData(s, s.length());
    } else if (part instanceof ObjectId id) {
      out.put(OBJECT_ID).put(id.toByteArray());
    } else {
      byte[] bson = Bson.encode(new Document("v", part));
      out.put(OTHER).putVarInt(bson.length).put(bson);
    }
  }

  private static Object readPart(ByteBuffer in) {
    byte tag = in.get();
    return switch (tag) {
      case NULL -> null;
      case WHOLE_NUMBER -> (double) DataUtils.readVarLong(in);
      case DOUBLE -> in.getDouble();
      case LONG -> DataUtils.readVarLong(in);
      case STRING -> DataUtils.readString(in, DataUtils.readVarInt(in));
      case OBJECT_ID -> {
        byte[] bytes = new byte[12];
        in.get(bytes);
        yield new ObjectId(bytes);
      }
      case OTHER -> {
        byte[] bson = new byte[DataUtils.readVarInt(in)];
        in.get(bson);
        yield Bson.decode(bson).get("v");
      }
      default -> throw new IllegalStateException("unknown index key tag " + tag);
    };
  }

  /** A rough size on the heap; H2 uses it to size pages and its cache, not for correctness. */
  private static int estimate(Object value) {
    if (value instanceof String s) return 48 + 2 * s.length();
    if (value instanceof Map<?, ?> map) {
      int memory = 64;
      for (Map.Entry<?, ?> e : map.entrySet())
        memory += 40 + estimate(e.getKey()) + estimate(e.getValue());
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
