package roombus.http;

import static roombus.http.Requests.identity;
import static roombus.http.Requests.json;
import static roombus.http.Requests.notBanned;
import static roombus.http.Requests.roomId;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import roombus.chat.ChatService;
import roombus.common.ApiError;
import roombus.guard.RateLimits.Action;
import roombus.identity.Identity;
import roombus.store.Stores;
import roombus.upload.GifCheck;

/**
 * GIFs: the upload into a room ({@code POST /api/rooms/:id/gifs}, streamed to a temporary file by
 * {@link GifUploadHandler}, checked to be a GIF of at most 5 MiB, then stored in GridFS and posted)
 * and the download of a stored one ({@code GET /gif/:fileId}), served so that a browser can only
 * show it as an image.
 */
final class GifRoutes {

  private final Vertx vertx;
  private final Path uploads;
  private final RequestLimits limits;
  private final ChatService chats;
  private final Stores store;

  GifRoutes(Vertx vertx, Path uploads, RequestLimits limits, ChatService chats) {
    this.vertx = vertx;
    this.uploads = uploads;
    this.limits = limits;
    this.chats = chats;
    this.store = Stores.of(vertx);
  }

  /**
   * The upload: mounted before any body handler, so that access and limits come before its bytes.
   */
  void mountUpload(Router router) {
    router
        .post("/api/rooms/:id/gifs")
        .handler(RequestLimits::requireAccess)
        .handler(ctx -> limits.limited(ctx, Action.UPLOAD))
        .handler(new GifUploadHandler(uploads, GifCheck.MAX_BYTES + 64 * 1024))
        .handler(this::post);
  }

  void mountDownload(Router router) {
    router.get("/gif/:fileId").handler(this::download);
  }

  private void post(RoutingContext ctx) {
    Identity who = identity(ctx);
    GifUploadHandler.Received upload = ctx.get(GifUploadHandler.RECEIVED);
    if (upload.size() > GifCheck.MAX_BYTES) throw new ApiError(413, "A GIF is at most 5 MiB");
    String roomId = roomId(ctx);
    limits.limitPosts(roomId, who);
    readHead(upload.file())
        .compose(
            head ->
                GifCheck.isGif(head)
                    ? Future.succeededFuture()
                    : Future.failedFuture(new ApiError(415, "That file is not a GIF")))
        .compose(v -> store.rooms().get(roomId))
        .compose(notBanned(ctx))
        .compose(room -> chats.postGif(roomId, who, upload.file()))
        .onSuccess(stored -> json(ctx, 201, stored.toJson()))
        .onFailure(ctx::fail);
  }

  private Future<Buffer> readHead(String path) {
    return vertx
        .fileSystem()
        .open(path, new OpenOptions().setRead(true).setWrite(false))
        .compose(
            file ->
                file.read(Buffer.buffer(GifCheck.HEADER_BYTES), 0, 0, GifCheck.HEADER_BYTES)
                    .eventually(file::close));
  }

  private void download(RoutingContext ctx) {
    store
        .gifs()
        .get(ctx.pathParam("fileId"))
        .onSuccess(
            bytes ->
                ctx.response()
                    .putHeader("Content-Type", "image/gif")
                    .putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Content-Security-Policy", "default-src 'none'")
                    .putHeader("Content-Disposition", "inline; filename=\"chat.gif\"")
                    .putHeader("Cache-Control", "public, max-age=31536000, immutable")
                    .end(bytes))
        .onFailure(ctx::fail);
  }
}
