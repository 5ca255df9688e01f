package roombus.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.GridFsUploadOptions;
import io.vertx.ext.mongo.MongoGridFsClient;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collector;
import roombus.model.Refusal;
import roombus.model.Refusal.Reason;

/** {@link GifRepository} on GridFS (bucket {@code gifs}). */
final class MongoGifRepository implements GifRepository {

  private static final Pattern FILE_ID = Pattern.compile("[0-9a-f]{24}");

  private final Vertx vertx;
  private final MongoGridFsClient gridFs;

  MongoGifRepository(Vertx vertx, MongoGridFsClient gridFs) {
    this.vertx = vertx;
    this.gridFs = gridFs;
  }

  @Override
  public Future<String> put(String path, String roomId) {
    GridFsUploadOptions options =
        new GridFsUploadOptions().setMetadata(new JsonObject().put("room", roomId));
    return vertx
        .fileSystem()
        .open(path, new OpenOptions().setRead(true).setWrite(false))
        .compose(
            file ->
                gridFs
                    .uploadByFileNameWithOptions(file, "upload.gif", options)
                    .eventually(file::close));
  }

  @Override
  public Future<Buffer> get(String id) {
    if (!FILE_ID.matcher(id).matches()) return Future.failedFuture(new Refusal(Reason.NO_SUCH_GIF));
    return gridFs
        .readById(id)
        .collect(Collector.of(Buffer::buffer, Buffer::appendBuffer, Buffer::appendBuffer))
        .recover(err -> Future.failedFuture(new Refusal(Reason.NO_SUCH_GIF)));
  }

  /** Deletes GIFs of a deleted room; one that is already gone is no failure. */
  Future<Void> deleteAll(List<String> ids) {
    return Future.all(
            ids.stream()
                .filter(id -> id != null && FILE_ID.matcher(id).matches())
                .map(id -> gridFs.delete(id).recover(err -> Future.succeededFuture()))
                .toList())
        .mapEmpty();
  }
}
