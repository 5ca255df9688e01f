package roombus.embedded;

import de.bwaldvogel.mongo.backend.IndexKey;
import java.util.List;

/** An index of this engine, whose entries {@link IndexScan} walks in key order. */
interface ScannableIndex {

  List<IndexKey> getKeys();

  boolean isUnique();

  IndexEntries entries();
}
