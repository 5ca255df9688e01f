package roombus.store;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/** Uploaded GIFs, in GridFS. */
public interface GifRepository {

  /** Stores the GIF in {@code path} (a file on this node), answers its id. */
  Future<String> put(String path, String roomId);

  /** The GIF's bytes; {@code NO_SUCH_GIF}. */
  Future<Buffer> get(String id);
}
