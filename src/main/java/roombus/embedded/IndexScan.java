package roombus.embedded;

import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.MaxKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.h2.mvstore.Cursor;

/**
 * How a query is answered from one index instead of a collection scan: the index's leading fields
 * are bound by equality (or {@code $in}) in the query, optionally the next field by a range ({@code
 * $gt}, {@code $gte}, {@code $lt}, {@code $lte}), and the scan visits only the entries within those
 * bounds, in key order, or backwards for a descending sort. When that order is the order the query
 * asks for, the documents come out already sorted and a limit stops the scan; otherwise the caller
 * sorts what the scan found.
 *
 * <p>The bounds only narrow where to look: every document found is still matched against the whole
 * query by mongo-java-server's matcher, so conditions on other fields, and values of other types
 * that happen to sort within the bounds, are filtered as they would be in a collection scan. Except
 * when the scan is {@link #exact()}: then what it finds is the answer, and matching it again would
 * only cost time (for {@code $in} a lot: the matcher compares each document with every value).
 */
final class IndexScan {

  /**
   * Beyond this many equality prefixes (a product of {@code $in} lists) the query scans the
   * collection instead.
   */
  private static final int MAX_PREFIXES = 10_000;

  private final ScannableIndex index;

  /** The values of the bound leading fields, one list per combination of {@code $in} values. */
  private final List<List<Object>> prefixes;

  private final Condition range;
  private final boolean reverse;
  private final boolean ordered;
  private final boolean exact;
  private final int score;

  private IndexScan(
      ScannableIndex index,
      List<List<Object>> prefixes,
      Condition range,
      boolean reverse,
      boolean ordered,
      boolean exact,
      int score) {
    this.index = index;
    this.prefixes = prefixes;
    this.range = range;
    this.reverse = reverse;
    this.ordered = ordered;
    this.exact = exact;
    this.score = score;
  }

  /**
   * The best index scan for the query, or null when no index helps. An equality lookup of a whole
   * unique key wins; otherwise the index with the most bound fields, then one that gives the sort
   * order.
   */
  static IndexScan plan(Document query, Document orderBy, List<ScannableIndex> indexes) {
    IndexScan best = null;
    for (ScannableIndex index : indexes) {
      IndexScan scan = planFor(index, query, orderBy);
      if (scan != null
          && (best == null
              || scan.score > best.score
              || scan.score == best.score && scan.ordered && !best.ordered)) {
        best = scan;
      }
    }
    return best;
  }

  /** Whether the positions come in the order the query sorts by (or it does not sort). */
  boolean ordered() {
    return ordered;
  }

  /**
   * Whether every document found matches the query, so that nothing is left to match: the query is
   * only equality ({@code $eq} or {@code $in}) of strings, whole numbers or booleans on the leading
   * fields of an index holding one entry per document. Index keys equal exactly when MongoDB's
   * equality holds for such values (numbers compared by value, as both do, within a double's exact
   * range).
   */
  boolean exact() {
    return exact;
  }

  private static IndexScan planFor(ScannableIndex index, Document query, Document orderBy) {
    List<String> fields = index.getKeys().stream().map(IndexKey::getKey).toList();
    List<List<Object>> equal = new ArrayList<>();
    Condition range = null;
    for (String field : fields) {
      Condition condition = Condition.of(query.get(field));
      if (condition == null) break;
      if (condition.values != null) {
        equal.add(condition.values);
        continue;
      }
      range = condition;
      break;
    }
    if (equal.isEmpty() && range == null) return null;
    List<List<Object>> prefixes = product(equal);
    if (prefixes == null) return null;

    // The entries of one prefix are in the order of the next fields: a sort on those fields (after
    // any
    // field that the query fixes to one value) is the scan's order, or its reverse.
    int next = equal.size();
    Integer direction = null;
    boolean ordered = true;
    if (orderBy != null) {
      for (Map.Entry<String, Object> sort : orderBy.entrySet()) {
        if (!(sort.getValue() instanceof Number n) || Math.abs(n.intValue()) != 1) {
          ordered = false;
          break;
        }
        Condition fixed = Condition.of(query.get(sort.getKey()));
        if (fixed != null && fixed.values != null && fixed.values.size() == 1) continue;
        if (next >= fields.size()
            || !fields.get(next).equals(sort.getKey())
            || direction != null && direction != n.intValue()
            || prefixes.size() > 1) {
          ordered = false;
          break;
        }
        direction = n.intValue();
        next++;
      }
    }
    boolean reverse = ordered && direction != null && direction < 0;
    if (range != null && index.entries().multikey()) range = range.from(reverse);

    boolean point = index.isUnique() && equal.size() == fields.size() && prefixes.size() == 1;
    int score = point ? Integer.MAX_VALUE : 2 * equal.size() + (range != null ? 1 : 0);
    boolean exact =
        range == null
            && !index.entries().multikey()
            && query.size() == equal.size()
            && fields.subList(0, equal.size()).stream()
                .allMatch(field -> Condition.isPlainEquality(query.get(field)));
    return new IndexScan(index, prefixes, range, reverse, ordered, exact, score);
  }

  /** Every combination of the bound fields' values, or null if there are too many. */
  private static List<List<Object>> product(List<List<Object>> equal) {
    List<List<Object>> prefixes = List.of(List.of());
    for (List<Object> values : equal) {
      if ((long) prefixes.size() * values.size() > MAX_PREFIXES) return null;
      List<List<Object>> longer = new ArrayList<>();
      for (List<Object> prefix : prefixes) {
        for (Object value : values) {
          List<Object> parts = new ArrayList<>(prefix);
          parts.add(value);
          longer.add(parts);
        }
      }
      prefixes = longer;
    }
    return prefixes;
  }

  /**
   * The positions of the documents in bounds, each once: on a multikey index a document has an
   * entry per array element, and only its first one found counts (for a sort, that is its smallest
   * element, or its largest backwards, the value MongoDB sorts it by).
   */
  Stream<Long> positions() {
    Stream<Long> all = prefixes.stream().flatMap(this::scan);
    if (!index.entries().multikey()) return all;
    Set<Long> seen = new HashSet<>();
    return all.filter(seen::add);
  }

  /**
   * The entries starting with {@code prefix} and within the range, walked lazily from the first
   * one.
   */
  private Stream<Long> scan(List<Object> prefix) {
    Cursor<KeyValue, Long> cursor = index.entries().map.cursor(start(prefix), null, reverse);
    int at = prefix.size();
    Spliterator<Long> entries =
        new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE, Spliterator.ORDERED) {
          private boolean done;

          @Override
          public boolean tryAdvance(Consumer<? super Long> action) {
            while (!done && cursor.hasNext()) {
              KeyValue key = cursor.next();
              if (!startsWith(key, prefix)) break;
              if (range != null) {
                Object value = key.get(at);
                if (reverse ? range.above(value) : range.below(value))
                  continue; // the start bound itself, when exclusive
                if (reverse ? range.below(value) : range.above(value)) break;
              }
              action.accept(cursor.getValue());
              return true;
            }
            done = true;
            return false;
          }
        };
    return StreamSupport.stream(entries, false);
  }

  /**
   * Where the scan starts. A key sorts before the longer keys it begins, and {@code MaxKey} after
   * any value, so {@code (p, x)} is the first entry of {@code p} with {@code x} or more, and {@code
   * (p, x, MaxKey)} the last one with {@code x} or less.
   */
  private KeyValue start(List<Object> prefix) {
    List<Object> parts = new ArrayList<>(prefix);
    Object bound = range == null ? null : reverse ? range.hi : range.lo;
    boolean inclusive = range != null && (reverse ? range.hiInclusive : range.loInclusive);
    if (bound != null) parts.add(bound);
    if (reverse && (bound == null || inclusive) || !reverse && bound != null && !inclusive)
      parts.add(MaxKey.getInstance());
    return parts.isEmpty() ? null : new KeyValue(parts);
  }

  private static boolean startsWith(KeyValue key, List<Object> prefix) {
    for (int i = 0; i < prefix.size(); i++) {
      if (KeyType.ORDER.compare(key.get(i), prefix.get(i)) != 0) return false;
    }
    return true;
  }

  /**
   * A value as index keys hold it (mongo-java-server's normalization: numbers as doubles, missing
   * as null).
   */
  static Object normalize(Object value) {
    return new KeyValue(List.of(value)).normalized().get(0);
  }

  /**
   * What a query says about one field, as far as an index can use it: equality to one of {@code
   * values}, or a range between {@code lo} and {@code hi} (either may be open). Null when the index
   * cannot help with the field (no condition, null, arrays, patterns, other operators).
   */
  private record Condition(
      List<Object> values, Object lo, boolean loInclusive, Object hi, boolean hiInclusive) {

    static Condition of(Object condition) {
      if (!isOperators(condition)) return indexable(condition) ? equalTo(List.of(condition)) : null;
      Document operators = (Document) condition;
      if (operators.containsKey("$eq")) {
        Object value = operators.get("$eq");
        return indexable(value) ? equalTo(List.of(value)) : null;
      }
      if (operators.get("$in") instanceof Collection<?> in) {
        return !in.isEmpty() && in.stream().allMatch(Condition::indexable) ? equalTo(in) : null;
      }
      Condition range = null;
      for (Map.Entry<String, Object> operator : operators.entrySet()) {
        Object value = operator.getValue();
        if (!indexable(value)) continue;
        range =
            switch (operator.getKey()) {
              case "$gt" -> Condition.range(range).withLo(value, false);
              case "$gte" -> Condition.range(range).withLo(value, true);
              case "$lt" -> Condition.range(range).withHi(value, false);
              case "$lte" -> Condition.range(range).withHi(value, true);
              default -> range;
            };
      }
      return range;
    }

    private static Condition equalTo(Collection<?> values) {
      Set<Object> distinct = new TreeSet<>(KeyType.ORDER);
      for (Object value : values) distinct.add(normalize(value));
      return new Condition(List.copyOf(distinct), null, false, null, false);
    }

    private static Condition range(Condition sofar) {
      return sofar != null ? sofar : new Condition(null, null, false, null, false);
    }

    /** With a lower bound: the tighter of this one and any already given. */
    private Condition withLo(Object value, boolean inclusive) {
      Object bound = normalize(value);
      int c = lo == null ? 1 : KeyType.ORDER.compare(bound, lo);
      return c > 0 || c == 0 && !inclusive
          ? new Condition(null, bound, inclusive, hi, hiInclusive)
          : this;
    }

    private Condition withHi(Object value, boolean inclusive) {
      Object bound = normalize(value);
      int c = hi == null ? -1 : KeyType.ORDER.compare(bound, hi);
      return c < 0 || c == 0 && !inclusive
          ? new Condition(null, lo, loInclusive, bound, inclusive)
          : this;
    }

    /** Only the bound the scan starts from: on a multikey index the other one may not stop it. */
    Condition from(boolean reverse) {
      return reverse
          ? new Condition(null, null, false, hi, hiInclusive)
          : new Condition(null, lo, loInclusive, null, false);
    }

    boolean below(Object value) {
      if (lo == null) return false;
      int c = KeyType.ORDER.compare(value, lo);
      return c < 0 || c == 0 && !loInclusive;
    }

    boolean above(Object value) {
      if (hi == null) return false;
      int c = KeyType.ORDER.compare(value, hi);
      return c > 0 || c == 0 && !hiInclusive;
    }

    /**
     * A value, or {@code {$eq: value}}, or {@code {$in: [values]}} and nothing else, of strings,
     * whole numbers or booleans only.
     */
    static boolean isPlainEquality(Object condition) {
      if (!isOperators(condition)) return isPlain(condition);
      Document operators = (Document) condition;
      if (operators.size() != 1) return false;
      if (operators.containsKey("$eq")) return isPlain(operators.get("$eq"));
      return operators.get("$in") instanceof Collection<?> in
          && in.stream().allMatch(Condition::isPlain);
    }

    /** Longs only as far as a double holds them exactly: index keys hold numbers as doubles. */
    private static boolean isPlain(Object value) {
      return value instanceof String
          || value instanceof Integer
          || value instanceof Boolean
          || value instanceof Long l && Math.abs(l) <= 1L << 53;
    }

    private static boolean isOperators(Object value) {
      return value instanceof Document d
          && !d.isEmpty()
          && d.keySet().iterator().next().startsWith("$");
    }

    /**
     * A value an index entry can equal or be compared with: arrays and nulls match in ways entries
     * do not show.
     */
    private static boolean indexable(Object value) {
      return value != null
          && !(value instanceof Collection)
          && !(value instanceof Pattern)
          && !BsonRegularExpression.isRegularExpression(value)
          && !isOperators(value);
    }
  }
}
