package roombus.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;
import roombus.common.ApiError;

/**
 * Receives a GIF upload: a {@code multipart/form-data} body with one file part named {@code gif},
 * streamed to a temporary file in the uploads folder (made when the verticle starts), and at most
 * {@link #MAX_PARTS} parts in all (the HTTP server is told the same limit, {@code maxFormFields},
 * so that plain fields are counted as they are decoded). The next handler finds the file in {@link
 * #RECEIVED}. Whatever happens (a refusal, a client that goes away mid-upload, the answer sent) the
 * temporary file is deleted once the request is over.
 *
 * <p>vertx-web's BodyHandler was not enough here: over its part limit it answered 500, logged an
 * error for every part it cancelled and left files behind.
 */
final class GifUploadHandler implements Handler<RoutingContext> {

  /** How many parts an upload may have: the GIF, and a few fields a browser form might add. */
  static final int MAX_PARTS = 8;

  /** How long the GIF's file may take to close once the whole request has arrived. */
  private static final long PART_CLOSE_MS = 5_000;

  /** Where the next handler finds what was received. */
  static final String RECEIVED = "roombus.gif.upload";

  /** The GIF part of an upload, stored in a temporary file. */
  record Received(String file, long size) {}

  private final Path uploads;
  private final long bodyLimit;

  GifUploadHandler(Path uploads, long bodyLimit) {
    this.uploads = uploads;
    this.bodyLimit = bodyLimit;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      ctx.fail(ApiError.badRequest("Send the GIF as multipart/form-data, in a field named 'gif'"));
      return;
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null
        && length.chars().allMatch(Character::isDigit)
        && length.length() < 19
        && Long.parseLong(length) > bodyLimit) {
      ctx.fail(tooLarge());
      return;
    }
    try {
      request.setExpectMultipart(true);
    } catch (RuntimeException malformed) {
      // a multipart type Netty cannot read: no boundary (IllegalStateException), an empty one
      // (StringIndexOutOfBoundsException), and so on
      ctx.fail(ApiError.badRequest("Send the GIF as multipart/form-data, in a field named 'gif'"));
      return;
    }
    new Receiving(ctx).start();
  }

  private static ApiError unreadable() {
    return ApiError.badRequest(
        "The upload could not be read: well-formed multipart, small fields, at most "
            + MAX_PARTS
            + " parts");
  }

  private static ApiError tooLarge() {
    return new ApiError(413, "The body is too large");
  }

  private static ApiError tooManyParts() {
    return ApiError.badRequest(
        "An upload is one GIF in the field 'gif', with at most " + MAX_PARTS + " parts in all");
  }

  /** One upload as it arrives. Everything here runs on the request's event loop. */
  private final class Receiving {
    private final RoutingContext ctx;
    private final HttpServerRequest request;
    private int parts;
    private long received;

    /** Why the upload is refused, once it is; the rest of the body is then read and dropped. */
    private ApiError refusal;

    private String file;
    private HttpServerFileUpload gif;
    private Future<Void> stored;

    /** The request is over, or its body was given up on: no part is written to disk any more. */
    private boolean over;

    Receiving(RoutingContext ctx) {
      this.ctx = ctx;
      this.request = ctx.request();
    }

    void start() {
      ctx.addEndHandler(done -> cleanUp());
      request.uploadHandler(this::part);
      request.handler(
          chunk -> {
            received += chunk.length();
            if (received > bodyLimit && refusal == null) {
              // the body is longer than announced: answer now, and close the connection behind the
              // answer
              refuse(tooLarge());
              ctx.addBodyEndHandler(v -> request.connection().close());
              ctx.fail(refusal);
            }
          });
      request.exceptionHandler(
          err -> {
            // a client that went away gets no answer; anything else is the decoder refusing the
            // body (more
            // parts than the server's maxFormFields, a field over maxFormAttributeSize, broken
            // multipart)
            if (!(err instanceof HttpClosedException)) refuse(unreadable());
          });
      request.endHandler(v -> ended());
      request.resume();
    }

    private void part(HttpServerFileUpload part) {
      parts++;
      if (refusal != null || over) return; // its bytes are dropped
      if (parts > MAX_PARTS) {
        refuse(tooManyParts());
      } else if ("gif".equals(part.name())) {
        if (gif != null) {
          refuse(ApiError.badRequest("One GIF per upload"));
        } else {
          gif = part;
          file = uploads.resolve(UUID.randomUUID().toString()).toString();
          // on a failure (the client went away) the upload deletes its file itself
          stored = part.streamToFileSystem(file);
        }
      }
      // the bytes of other parts are dropped
    }

    private void refuse(ApiError why) {
      if (refusal == null) refusal = why;
    }

    private void ended() {
      if (ctx.failed() || ctx.response().ended()) return;
      if (refusal != null) {
        ctx.fail(refusal);
        return;
      }
      if (gif == null) {
        ctx.fail(ApiError.badRequest("Attach the GIF as the multipart field 'gif'"));
        return;
      }
      if (!stored.isComplete()) {
        // the request is over: the GIF's file closes as soon as what is buffered is written,
        // unless the body ended inside the GIF's part, which no boundary closed; that part never
        // ends, nor does its file (Vert.x says nothing), and the upload would never be answered
        long timer =
            ctx.vertx()
                .setTimer(
                    PART_CLOSE_MS,
                    id -> {
                      if (!ctx.failed() && !ctx.response().ended()) ctx.fail(unreadable());
                    });
        stored.onComplete(done -> ctx.vertx().cancelTimer(timer));
      }
      stored.onComplete(
          result -> {
            if (ctx.failed() || ctx.response().ended()) return;
            if (result.failed()) {
              ctx.fail(result.cause()); // the client is gone, or the disk failed us
              return;
            }
            ctx.put(RECEIVED, new Received(file, gif.size()));
            ctx.next();
          });
    }

    /**
     * The request is over, one way or another (also called when the decoder gave up on the body,
     * which is then refused): the temporary file goes. A GIF still arriving is stopped first: the
     * client may hold the connection open after its answer, and Vert.x tells the upload nothing
     * once the response is done.
     */
    private void cleanUp() {
      over = true;
      if (stored == null) return;
      if (!stored.isComplete()) {
        try {
          gif.cancelStreamToFileSystem();
        } catch (RuntimeException ending) {
          // the stream failed already and is closing its file: it ends by itself
        }
      }
      String path = file;
      stored.onComplete(
          result ->
              ctx.vertx().fileSystem().delete(path).recover(gone -> Future.succeededFuture()));
    }
  }
}
